import type { Middleware } from "./msal-compat.js";

/**
 * The demo identity provider shaped like a Microsoft Entra External ID tenant, so the External ID path (discovery by
 * tenant name, the tenant-ID issuer on another host, client_info, tenant paths) runs for real without Microsoft:
 * - discovery at `/<tenant>/v2.0/.well-known/openid-configuration` for each name of the tenant (subdomain,
 *   `<subdomain>.onmicrosoft.com`, tenant ID), with the issuer `https://<tenant id>.ciamlogin.com/<tenant id>/v2.0`;
 * - the endpoints under `/<tenant id>/oauth2/v2.0/...` and the keys at `/<tenant id>/discovery/v2.0/keys`, also
 *   reachable through the tenant's other names (as Entra's logout URL is, for instance);
 * - `client_info` (`{uid, utid}`) in token answers, from which MSAL makes the account's `<oid>.<tid>` home id.
 * Served on whatever host names the requests use: `<subdomain>.ciamlogin.com` in tests (their name resolution
 * points it at loopback), or a custom URL domain such as localhost.
 */
export interface ExternalIdTenant {
  /** The tenant subdomain: `contoso` for contoso.ciamlogin.com. */
  subdomain: string;
  /** The Directory (tenant) ID, a GUID in lower case. */
  tenantId: string;
  /** Host names, besides localhost and 127.0.0.1, that the server certificate covers. */
  hostNames?: string[];
}

export const externalIdIssuer = (tenant: ExternalIdTenant): string =>
  `https://${tenant.tenantId}.ciamlogin.com/${tenant.tenantId}/v2.0`;

/** oidc-provider's discovery route, relative to where it is mounted. */
const PROVIDER_DISCOVERY = "/.well-known/openid-configuration";

/**
 * Maps the tenant's other names in a path onto its ID, and its discovery document onto oidc-provider's own (which
 * builds the endpoint URLs from the request's host); oidc-provider's root discovery route is not Entra's, so it
 * answers 404.
 */
export function tenantPaths(tenant: ExternalIdTenant): Middleware {
  const aliases = new Set([tenant.subdomain, `${tenant.subdomain}.onmicrosoft.com`, tenant.tenantId].map((name) => name.toLowerCase()));
  const tenantDiscovery = `/${tenant.tenantId}/v2.0${PROVIDER_DISCOVERY}`;
  return async (ctx, next) => {
    if (ctx.path === PROVIDER_DISCOVERY) {
      ctx.status = 404;
      return;
    }
    const [, first = "", rest = ""] = /^\/([^/]+)(\/.*)?$/.exec(ctx.path) ?? [];
    if (aliases.has(first.toLowerCase())) {
      const path = `/${tenant.tenantId}${rest}`;
      ctx.path = path === tenantDiscovery ? PROVIDER_DISCOVERY : path;
    }
    await next();
  };
}

/** Entra's `client_info`: base64url JSON naming the user's object ID and the tenant, in every token answer. */
export function clientInfo(tenant: ExternalIdTenant, tokenPath: string): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method !== "POST" || ctx.path !== tokenPath || ctx.status !== 200) return;
    const answer = ctx.body as { id_token?: unknown } | undefined;
    if (typeof answer?.id_token !== "string") return;
    const claims = JSON.parse(Buffer.from(answer.id_token.split(".")[1] ?? "", "base64url").toString("utf8")) as { oid?: string; sub?: string };
    const info = { uid: claims.oid ?? claims.sub, utid: tenant.tenantId };
    ctx.body = { ...answer, client_info: Buffer.from(JSON.stringify(info)).toString("base64url") };
  };
}
