// The app layer: what the CLI and the tray app's main process use. Surfaces import this file and nothing of core.
export { AppContext } from "./app-context.js";
export type { AppContextOptions, ProfileChoice } from "./app-context.js";
export { ClipboardGuard } from "./clipboard-guard.js";
export { ensureConfigFile } from "./config-file.js";
export type { ClipboardGuardOptions, SecretClipboard } from "./clipboard-guard.js";
export { startEmbeddedDemo } from "./embedded-demo.js";
export { bindShortcut } from "./shortcut-binding.js";
export type { ShortcutRegistry, ShortcutStatus } from "./shortcut-binding.js";
export { ProfileSession } from "./profile-session.js";
export type {
  SessionDeviceCodeOptions,
  SessionSignInOptions,
  SessionSignOutOptions,
  SessionTokenOptions,
  SignedOut,
} from "./profile-session.js";
export { brokenProfileState } from "./session-state.js";
export type { AccountState, Problem, SessionState, StorageState } from "./session-state.js";
export { AuthError, ConfigError, isAuthError } from "./errors.js";
export type { AuthErrorKind } from "./errors.js";
export { TokenService } from "./token-service/token-service.js";
export { serviceEndpoint } from "./token-service/endpoint.js";
export type { AccountSummary } from "../core/auth/auth-state.js";
export type { TokenResult } from "../core/auth/auth-service.js";
export type { ClaimRow } from "../core/claims/claim-rows.js";
export type { RawProfile } from "../core/config/profile-schema.js";
