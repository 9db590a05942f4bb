/**
 * The failures a user can act on (DESIGN.md, "The auth state machine"). Each carries a one-sentence message
 * saying what happened and an action saying what to do; both are safe to show and to log (never a token).
 */
export type AuthErrorKind =
  | "config"
  | "unreachable"
  | "timeout"
  | "cancelled"
  | "denied"
  | "interactionRequired"
  | "secureStorageUnavailable"
  | "brokerUnavailable"
  | "unexpected";

export class AuthError extends Error {
  override readonly name = "AuthError";

  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    /** What the user should do next, e.g. "Run `entra-tray login` to sign in again." */
    readonly action: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isAuthError = (value: unknown): value is AuthError => value instanceof AuthError;
