import type { AuthError } from "../errors/auth-error.js";

/** What the app and CLI show about an account; a projection of MSAL's AccountInfo without tokens. */
export interface AccountSummary {
  homeAccountId: string;
  username: string;
  name?: string;
  tenantId?: string;
}

/** signedOut -> signingIn -> signedIn(account) <-> refreshing, and error(kind) from any state. */
export type AuthState =
  | { status: "signedOut" }
  | { status: "signingIn" }
  | { status: "signedIn"; account: AccountSummary }
  | { status: "refreshing"; account: AccountSummary }
  | { status: "error"; error: AuthError; account?: AccountSummary };
