import type { AccountSummary, AuthState } from "../core/auth/auth-state.js";
import type { SignInMethod } from "../core/broker/broker-choice.js";
import type { AuthorityKind } from "../core/config/profile.js";
import type { TokenStorageKind, TokenStorageStatus } from "../core/cache/token-cache-store.js";
import type { AuthError, AuthErrorKind } from "../core/errors/auth-error.js";

// Plain, serialisable data only: the CLI prints it (`status --json`) and the tray app sends it over IPC as it is.

/** A failure as a surface shows it. */
export interface Problem {
  kind: AuthErrorKind;
  message: string;
  action: string;
}

/** An account; `name` is null when the ID token has none. */
export interface AccountState {
  username: string;
  name: string | null;
  homeAccountId: string;
}

export interface SessionState {
  /** The profile's name, display name, authority URL and kind of identity provider. */
  name: string;
  displayName?: string;
  authority?: string;
  authorityKind?: AuthorityKind;
  /** External ID: the tenant whose issuer the profile trusts, once known. */
  tenantId?: string;
  status: AuthState["status"];
  /** The active account. */
  account?: AccountState;
  /** Every account signed in to the profile, the active one among them. */
  accounts: (AccountState & { active: boolean })[];
  /** How the profile signs in (broker or browser) and why. */
  signIn?: { method: SignInMethod; reason: string };
  problem?: Problem;
}

export interface StorageState {
  kind: TokenStorageKind;
  persistent: boolean;
  encrypted: boolean;
  description: string;
  location: string;
  warning?: string;
  problem?: Problem;
}

export const problemOf = ({ kind, message, action }: AuthError): Problem => ({ kind, message, action });

export const accountState = ({ username, name, homeAccountId }: AccountSummary): AccountState => ({ username, name: name ?? null, homeAccountId });

/** A profile that cannot be used (a broken config entry): no session, only its problem. */
export const brokenProfileState = (name: string, error: AuthError): SessionState =>
  ({ name, status: "error", accounts: [], problem: problemOf(error) });

export function storageState(status: TokenStorageStatus): StorageState {
  const { problem, ...rest } = status;
  return { ...rest, ...(problem && { problem: problemOf(problem) }) };
}
