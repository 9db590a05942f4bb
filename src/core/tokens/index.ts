export { systemClock, type Clock, type TimerHandle } from "./clock.js";
export type { AccessTokenResult, TokenRequest, TokenSource } from "./token-source.js";
export {
  TokenKeeper,
  type ClockJumpEvent,
  type CurrentTokenOptions,
  type EntryRef,
  type IdleEvent,
  type KeeperStatus,
  type RefreshedEvent,
  type RefreshFailedEvent,
  type RefreshTrigger,
  type SignInRequiredEvent,
  type TokenKeeperEvents,
  type TokenKeeperOptions,
} from "./token-keeper.js";
