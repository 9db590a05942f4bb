import type { Authority } from "../config/profile.js";
import { AuthError } from "../errors/auth-error.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints } from "./authority-metadata.js";
import { discoveryAnswerError } from "./error-mapping.js";
import type { ObservedNetworkModule } from "./msal-network.js";

/*
 * Entra External ID answers discovery for a tenant named by its domain (https://contoso.ciamlogin.com/
 * contoso.onmicrosoft.com) with an issuer on a host named by the tenant ID: https://<tenant id>.ciamlogin.com/
 * <tenant id>/v2.0, also behind a custom URL domain. MSAL 7 accepts an issuer on another host only when that host is
 * in knownAuthorities, which cannot list a tenant ID not yet known. So entra-tray fetches the document itself, trusts
 * exactly that issuer shape (with the tenant ID the authority names, if it names one), and hands MSAL the vetted
 * endpoints as authorityMetadata, which MSAL takes as given.
 */

const ISSUER = /^https:\/\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.ciamlogin\.com\/([0-9a-f-]{36})\/v2\.0$/;

/** Where MSAL (in its default, Entra mode) reads an Entra authority's OpenID configuration. */
export const externalIdDiscoveryUrl = (authority: Authority): string => `${authority.url}/v2.0/.well-known/openid-configuration`;

/** The issuer an External ID tenant's tokens and discovery document carry. */
export const externalIdIssuer = (tenantId: string): string => `https://${tenantId}.ciamlogin.com/${tenantId}/v2.0`;

/** The tenant ID an External ID issuer names, or undefined when it does not have that shape. */
function issuerTenantId(issuer: string): string | undefined {
  const [, host, path] = ISSUER.exec(issuer) ?? [];
  return host !== undefined && host === path ? host : undefined;
}

/**
 * The tenant ID of the External ID tenant whose discovery document says `issuer`; throws AuthError(config) naming
 * the expected and the served issuer when the issuer is not `https://<tenant id>.ciamlogin.com/<tenant id>/v2.0`
 * with the authority's own tenant ID (when it names one).
 */
export function vetExternalIdIssuer(authority: Authority, issuer: string): string {
  const tenantId = issuerTenantId(issuer);
  if (tenantId !== undefined && (authority.tenantId === undefined || authority.tenantId === tenantId)) return tenantId;
  const expected = externalIdIssuer(authority.tenantId ?? "<tenant id>");
  throw new AuthError("config",
    `${authority.knownAuthority} says its issuer is "${issuer}", but an Entra External ID tenant's issuer is ${expected}, so its tokens cannot be trusted for this profile.`,
    authority.tenantId === undefined
      ? "Check the profile's authority: it must be the external tenant's https://<subdomain>.ciamlogin.com/ address or its custom URL domain with the tenant ID."
      : "Check the tenant ID in the profile's authority: it must be the Directory (tenant) ID on the external tenant's Overview page.");
}

/** The tenant ID in endpoints kept by an earlier run, or the authority's own; undefined until the first discovery. */
export function trustedTenantId(authority: Authority, endpoints: AuthorityEndpoints | undefined): string | undefined {
  return (endpoints && issuerTenantId(endpoints.issuer)) ?? authority.tenantId;
}

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
