import { ConfigError } from "../errors/config-error.js";
import { fixFor, placeholderProblem } from "./placeholders.js";
import type { Authority } from "./profile.js";

const CIAM_DOMAIN = "ciamlogin.com";

/**
 * The Microsoft Entra ID clouds, with the sign-in hosts (aliases included) that MSAL 7.2.1 itself lists for each
 * (msal-common's AuthorityMetadata; the tests hold this table to the installed MSAL), and each cloud's Microsoft
 * Graph where Microsoft documents one (learn.microsoft.com/graph/deployments). US Gov DoD tenants use
 * dod-graph.microsoft.us, which the sign-in host cannot tell. For a cloud whose Graph is not known, Graph stays off
 * unless the profile's graphUrl names it: signing in and tokens work without it, and the popover says that graphUrl
 * is missing, where a required field would stop the user before the first sign-in for the sake of a profile picture.
 */
interface EntraCloud {
  hosts: readonly string[];
  graphUrl?: string;
  /** Why the cloud cannot be used any more; its hosts are refused with this. */
  closed?: string;
}
const GLOBAL_GRAPH = "https://graph.microsoft.com/v1.0";
const ENTRA_CLOUDS: readonly EntraCloud[] = [
  { hosts: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"], graphUrl: GLOBAL_GRAPH },
  { hosts: ["login.microsoftonline.us", "login.usgovcloudapi.net"], graphUrl: "https://graph.microsoft.us/v1.0" },
  { hosts: ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"], graphUrl: "https://microsoftgraph.chinacloudapi.cn/v1.0" },
  { hosts: ["login-us.microsoftonline.com"] },
  { hosts: ["login.sovcloud-identity.fr"] },
  { hosts: ["login.sovcloud-identity.de"] },
  { hosts: ["login.sovcloud-identity.sg"] },
  { hosts: ["login.microsoftonline.de"], closed: "is Microsoft Cloud Germany's sign-in host, and that cloud closed on 29 October 2021" },
];
const ENTRA_CLOUD_BY_HOST = new Map(ENTRA_CLOUDS.flatMap((cloud) => cloud.hosts.map((host) => [host, cloud] as const)));

const MULTI_TENANT = ["common", "organizations", "consumers"];
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;
/** zod 4's `z.guid()` pattern (its regexes.guid), without loading zod: every command checks its profile's authority. */
const GUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export const isGuid = (value: string): boolean => GUID.test(value);

function fail(value: string, problem: string, action: string): never {
  throw new ConfigError(`authority ${JSON.stringify(value)} ${problem}.`, action);
}

export interface AuthorityOptions {
  /**
   * `"external"`: the authority is an Entra External ID tenant on its custom URL domain (e.g. `https://login.contoso.com/
   * <tenant id>`), which its host cannot tell. A `*.ciamlogin.com` authority is an external tenant without it.
   */
  tenantType?: "external";
}

/**
 * Detects the identity provider's kind from an authority and normalizes it for MSAL:
 * - `https://<sub>.ciamlogin.com/[tenant id | domain]`, or just `<sub>` as Microsoft's samples take it: Entra External
 *   ID. Without a tenant the URL gets `<sub>.onmicrosoft.com`, the same rewrite MSAL applies (transformCIAMAuthority).
 *   With `tenantType: "external"`, any other https host with a tenant path: External ID on a custom URL domain.
 *   A trailing `/v2.0`, as some of Microsoft's samples write it, is dropped (MSAL adds it for discovery).
 * - `https://login.microsoftonline.com/<tenant>`, or any other Microsoft cloud's sign-in host: Entra ID workforce.
 * - Any other https URL: a generic OpenID Provider (the issuer); knownAuthority keeps the port, or MSAL would call
 *   Microsoft's instance discovery for it.
 * Throws ConfigError naming the field when the value cannot work (MSAL refuses http: `authority_uri_insecure`).
 */
export function parseAuthority(input: string, options: AuthorityOptions = {}): Authority {
  const value = input.trim();
  const placeholder = placeholderProblem(value);
  if (placeholder) fail(value, placeholder, fixFor("authority"));
  if (DNS_LABEL.test(value)) return externalId(value.toLowerCase());

  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !value.includes("://")) {
    fail(value, `is not a URL`, `Write the full https URL, e.g. https://${value.replace(/^\/+/, "")} or https://<tenant subdomain>.ciamlogin.com/.`);
  }
  const { protocol, hostname, host, search, hash } = url;
  if (protocol !== "https:") {
    fail(value, `does not use https, and MSAL refuses other schemes (authority_uri_insecure)`,
      `Use the provider's https address${protocol === "http:" ? `, e.g. ${value.replace(/^http:/i, "https:")}` : ""}; a local test provider must serve TLS (as the demo identity provider does).`);
  }
  if (search || hash) fail(value, `has a query or fragment`, "Remove everything from the ? or # on: an authority is the issuer URL only.");
  const segments = url.pathname.split("/").filter(Boolean);
  const cloud = ENTRA_CLOUD_BY_HOST.get(hostname);

  if (hostname === CIAM_DOMAIN || hostname.endsWith(`.${CIAM_DOMAIN}`)) {
    const subdomain = hostname.slice(0, -CIAM_DOMAIN.length - 1);
    if (!DNS_LABEL.test(subdomain)) {
      fail(value, `needs exactly one tenant subdomain before .${CIAM_DOMAIN}`, `Use https://<tenant subdomain>.${CIAM_DOMAIN}/, e.g. https://contoso.${CIAM_DOMAIN}/.`);
    }
    const tenant = externalIdTenant(value, host, segments, `${subdomain}.onmicrosoft.com`);
    return externalId(subdomain, tenant, host);
  }
  if (options.tenantType === "external") {
    if (cloud) {
      fail(value, `is a Microsoft Entra ID sign-in host, not an External ID tenant's custom URL domain`,
        `Remove "tenantType" to sign in to Entra ID, or use the external tenant's https://<tenant subdomain>.${CIAM_DOMAIN}/ or its custom URL domain.`);
    }
    const tenant = externalIdTenant(value, host, segments, "<tenant id>");
    if (tenant === undefined) {
      fail(value, `names no tenant, which a custom URL domain needs`,
        `Append the Directory (tenant) ID from the external tenant's Overview page: https://${host}/<tenant id>.`);
    }
    return { ...externalIdAuthority(`https://${host}/${tenant}`, host, tenant), customDomain: true };
  }

  if (cloud) {
    const [tenant, ...extra] = segments;
    if (cloud.closed) fail(value, cloud.closed, `Its tenants moved to the global cloud: use https://login.microsoftonline.com/${tenant ?? "<tenant>"}.`);
    if (tenant === undefined) {
      fail(value, `names no tenant`, `Append the Directory (tenant) ID, or organizations, common or consumers: https://${host}/<tenant>.`);
    }
    if (extra.length) fail(value, `has extra path segments after the tenant`, `Use https://${host}/${tenant}.`);
    if (!isGuid(tenant) && !DOMAIN.test(tenant) && !MULTI_TENANT.includes(tenant.toLowerCase())) {
      fail(value, `names tenant "${tenant}", which is not a tenant ID (GUID), a domain, or organizations, common or consumers`,
        "Use the Directory (tenant) ID from the tenant's Overview page in the Microsoft Entra admin center.");
    }
    return { kind: "entraId", url: `https://${host}/${tenant}`, knownAuthority: host };
  }

  const path = segments.length ? `/${segments.join("/")}` : "";
  return { kind: "oidc", url: `https://${host}${path}`, knownAuthority: host };
}

/** The tenant segment of an External ID authority's path (a tenant ID or a domain), or undefined when it has none. */
function externalIdTenant(value: string, host: string, segments: string[], example: string): string | undefined {
  const [tenant, ...extra] = segments.at(-1)?.toLowerCase() === "v2.0" ? segments.slice(0, -1) : segments;
  if (extra.length) fail(value, `has extra path segments after the tenant`, `Use https://${host}/${tenant}.`);
  if (tenant !== undefined && !isGuid(tenant) && !DOMAIN.test(tenant)) {
    fail(value, `names tenant "${tenant}", which is neither a tenant ID (GUID) nor a domain`,
      `Use https://${host}/ with the Directory (tenant) ID or a domain such as ${example}.`);
  }
  return tenant;
}

function externalId(subdomain: string, tenant?: string, host = `${subdomain}.${CIAM_DOMAIN}`): Authority {
  return externalIdAuthority(`https://${host}/${tenant ?? `${subdomain}.onmicrosoft.com`}`, host, tenant);
}

function externalIdAuthority(url: string, host: string, tenant: string | undefined): Authority {
  return { kind: "entraExternalId", url, knownAuthority: host, ...(tenant !== undefined && isGuid(tenant) ? { tenantId: tenant.toLowerCase() } : {}) };
}

/**
 * The Microsoft Graph of the authority's cloud; undefined for a generic OpenID Provider, which has no Graph, and for
 * a Microsoft cloud whose Graph is not known (the profile's graphUrl names it, or the app shows claims only).
 */
export function defaultGraphUrl(authority: Authority): string | undefined {
  if (authority.kind === "oidc") return undefined;
  if (authority.kind === "entraExternalId") return GLOBAL_GRAPH;
  return ENTRA_CLOUD_BY_HOST.get(new URL(authority.url).hostname)?.graphUrl;
}
