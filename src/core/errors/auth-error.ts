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

/**
 * The fix an action describes, as data, for a surface that says it in its own words (the CLI names its flags and
 * commands, the tray app its menu items). Core's `action` says it in terms of profiles, accounts and settings.
 */
export type Remedy =
  /** No config file: create one, or use the built-in demo profile (when the demo identity provider has run). */
  | { kind: "createConfig"; file: string; demoProfile?: string }
  /** Several profiles and no default: pick one of them. */
  | { kind: "chooseProfile"; choices: string[] }
  /** A proof-of-possession token cannot be had here: a Bearer token can. */
  | { kind: "bearerInstead" }
  /** The built-in demo profile needs the demo identity provider to have run on this machine. */
  | { kind: "startDemoIdp" }
  /**
   * The account named is not signed in to the profile: sign in with it; `selectAccount` when the identity provider
   * signed in another one (its browser session), so the person must be asked to pick.
   */
  | { kind: "signInAs"; loginHint: string; selectAccount?: boolean }
  /** A token service already answers on this machine: use it (a second one is not needed). */
  | { kind: "useRunningService"; pid: number }
  /** Sign-ins cannot be kept (no keyring, a locked one): the action says how to make storage work, not how to sign in. */
  | { kind: "fixStorage" };

export interface AuthErrorOptions {
  cause?: unknown;
  remedy?: Remedy;
}

export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly remedy: Remedy | undefined;

  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    /** What the user should do next, e.g. "Sign in again to this profile." */
    readonly action: string,
    options?: AuthErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.remedy = options?.remedy;
  }
}

export const isAuthError = (value: unknown): value is AuthError => value instanceof AuthError;
