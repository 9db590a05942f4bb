// The app layer's errors alone, for a surface that must start fast: importing index.ts loads MSAL and the keyring.
import { AuthError } from "../core/errors/auth-error.js";
import type { StorageState } from "./session-state.js";

export { AuthError, isAuthError } from "../core/errors/auth-error.js";
export type { AuthErrorKind } from "../core/errors/auth-error.js";
export { ConfigError } from "../core/errors/config-error.js";
export { describeWriteFailure } from "../core/errors/atomic-write.js";

/**
 * A "not signed in" failure where sign-ins cannot be kept (memory only: no keyring, a locked one, a home that cannot
 * be written) says so, why, and what fixes that: otherwise a locked keyring that holds the sign-ins looks like a
 * sign-out, and signing in again helps only until the process exits.
 */
export function withStorageProblem(error: AuthError, storage: StorageState): AuthError {
  const { persistent, warning, problem } = storage;
  if (error.kind !== "interactionRequired" || persistent || !problem) return error;
  return new AuthError(error.kind, [error.message, warning, problem.message].filter(Boolean).join(" "), problem.action,
    { cause: error, remedy: { kind: "fixStorage" } });
}
