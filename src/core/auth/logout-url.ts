import type { Profile } from "../config/profile.js";

/**
 * What a logout URL may carry about the account being signed out. Never the ID token (`id_token_hint`): the URL is
 * printed by `logout --no-browser` and is the browser's command-line argument, visible to every local process.
 */
export interface LogoutAccount {
  /** The ID token's `login_hint` claim (Entra emits it as an optional claim); lets the IdP skip "which account?". */
  loginHint?: string;
}

/**
 * Entra ID and Entra External ID: `<authority>/oauth2/v2.0/logout`, with `logout_hint` when the ID token carried a
 * `login_hint` claim. A bare External ID authority (`https://<tenant>.ciamlogin.com/`) gets the tenant path MSAL adds too.
 */
export function entraLogoutUrl(authorityUrl: string, account: LogoutAccount): string {
  const url = new URL(authorityUrl);
  let path = url.pathname.replace(/\/+$/, "").replace(/\/v2\.0$/, "");
  if (path === "" && url.hostname.endsWith(".ciamlogin.com")) {
    path = `/${url.hostname.split(".")[0]}.onmicrosoft.com`;
  }
  const logout = new URL(`${url.origin}${path}/oauth2/v2.0/logout`);
  if (account.loginHint) logout.searchParams.set("logout_hint", account.loginHint);
  return logout.toString();
}

/**
 * A generic OpenID Provider: its discovery document's `end_session_endpoint` (RP-Initiated Logout 1.0) with
 * `client_id` and `logout_hint`; an OP that does not know the hint asks the user to confirm.
 */
export function oidcLogoutUrl(endSessionEndpoint: string, clientId: string, account: LogoutAccount): string {
  const logout = new URL(endSessionEndpoint);
  logout.searchParams.set("client_id", clientId);
  if (account.loginHint) logout.searchParams.set("logout_hint", account.loginHint);
  return logout.toString();
}

/** Where a generic OP publishes its end_session_endpoint. */
export function discoveryUrl(authorityUrl: string): string {
  return `${authorityUrl.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/**
 * The logout URL for a profile, or undefined when the OP publishes none. `fetchDiscovery` is called only for
 * generic OPs and returns the parsed discovery document.
 */
export async function logoutUrlFor(
  profile: Profile,
  account: LogoutAccount,
  fetchDiscovery: (url: string) => Promise<unknown>,
): Promise<string | undefined> {
  if (profile.authority.kind !== "oidc") return entraLogoutUrl(profile.authority.url, account);
  const discovery = (await fetchDiscovery(discoveryUrl(profile.authority.url))) as { end_session_endpoint?: unknown };
  const endpoint = discovery?.end_session_endpoint;
  return typeof endpoint === "string" ? oidcLogoutUrl(endpoint, profile.clientId, account) : undefined;
}
