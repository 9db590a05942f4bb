import type { AccountInfo } from "@azure/msal-node";
import type { AccountSummary } from "./auth-state.js";

/** MSAL's AccountInfo -> what the app shows; drops the raw ID token and everything else. */
export function toAccountSummary(account: AccountInfo): AccountSummary {
  return {
    homeAccountId: account.homeAccountId,
    username: account.username,
    ...(account.name ? { name: account.name } : {}),
    ...(account.tenantId ? { tenantId: account.tenantId } : {}),
  };
}
