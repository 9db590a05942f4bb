import type { AuthErrorKind } from "../app/index.js";

/** The CLI's documented exit codes (README, "CLI contract"); scripts branch on these, so they never change meaning. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  unreachable: 3,
  signInRequired: 4,
  /** The OS keyring failed while in use (locked or gone mid-run). */
  secureStorage: 5,
  /** Interrupted by Ctrl-C, as shells report SIGINT. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const byKind: Record<AuthErrorKind, ExitCode> = {
  config: ExitCode.usage,
  unreachable: ExitCode.unreachable,
  timeout: ExitCode.unreachable,
  cancelled: ExitCode.signInRequired,
  denied: ExitCode.signInRequired,
  interactionRequired: ExitCode.signInRequired,
  secureStorageUnavailable: ExitCode.secureStorage,
  brokerUnavailable: ExitCode.unreachable,
  unexpected: ExitCode.unexpected,
};

export const exitCodeFor = (kind: AuthErrorKind): ExitCode => byKind[kind];
