import type { Authority } from "../config/profile.js";
import { AuthError } from "../errors/auth-error.js";
import type { AuthorityEndpoints } from "./authority-metadata.js";

// Which issuer an External ID tenant may have (see external-id-discovery.ts). Apart from the discovery itself, which
// maps errors with MSAL's types, so that checking kept endpoints loads no MSAL (the CLI's cached-token path).

const ISSUER = /^https:\/\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.ciamlogin\.com\/([0-9a-f-]{36})\/v2\.0$/;

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
