import type { Authority } from "../config/profile.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints } from "./authority-metadata.js";
import { discoveryAnswerError } from "./error-mapping.js";
import { vetExternalIdIssuer } from "./external-id-issuer.js";
import type { ObservedNetworkModule } from "./msal-network.js";

export { externalIdIssuer, trustedTenantId, vetExternalIdIssuer } from "./external-id-issuer.js";

/*
 * Entra External ID answers discovery for a tenant named by its domain (https://contoso.ciamlogin.com/
 * contoso.onmicrosoft.com) with an issuer on a host named by the tenant ID: https://<tenant id>.ciamlogin.com/
 * <tenant id>/v2.0, also behind a custom URL domain. MSAL 7 accepts an issuer on another host only when that host is
 * in knownAuthorities, which cannot list a tenant ID not yet known. So entra-tray fetches the document itself, trusts
 * exactly that issuer shape (with the tenant ID the authority names, if it names one), and hands MSAL the vetted
 * endpoints as authorityMetadata, which MSAL takes as given.
 */

/** Where MSAL (in its default, Entra mode) reads an Entra authority's OpenID configuration. */
export const externalIdDiscoveryUrl = (authority: Authority): string => `${authority.url}/v2.0/.well-known/openid-configuration`;

/**
 * Fetches the tenant's discovery document through MSAL's own network client and returns its endpoints, vetted.
 * Throws AuthError: unreachable (network, TLS), config (an answer that is not a usable document, or a foreign issuer).
 */
export async function discoverExternalId(authority: Authority, network: ObservedNetworkModule): Promise<AuthorityEndpoints> {
  const url = externalIdDiscoveryUrl(authority);
  const answer = await network.sendGetRequestAsync<unknown>(url);
  const endpoints = answer.status < 400 ? authorityEndpoints(answer.body) : undefined;
  if (!endpoints) throw discoveryAnswerError(new URL(url).host, answer.status);
  vetExternalIdIssuer(authority, endpoints.issuer);
  return endpoints;
}
