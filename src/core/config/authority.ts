import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { fixFor, placeholderProblem } from "./placeholders.js";
import type { Authority } from "./profile.js";

const CIAM_DOMAIN = "ciamlogin.com";

/**
 * Entra ID sign-in hosts (MSAL's AzureCloudInstance list and instance-discovery aliases) and the Microsoft Graph
 * of the same cloud. Germany's cloud is closed, so it is absent. US Gov DoD tenants use dod-graph.microsoft.us:
 * the sign-in host cannot tell, so they set graphUrl themselves.
 */
const GLOBAL_GRAPH = "https://graph.microsoft.com/v1.0";
const ENTRA_ID_GRAPH = new Map([
  ["login.microsoftonline.com", GLOBAL_GRAPH],
  ["login.microsoft.com", GLOBAL_GRAPH],
  ["login.windows.net", GLOBAL_GRAPH],
  ["login.microsoftonline.us", "https://graph.microsoft.us/v1.0"],
  ["login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0"],
  ["login.partner.microsoftonline.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0"],
]);

const MULTI_TENANT = ["common", "organizations", "consumers"];
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;
const guid = z.guid();

export const isGuid = (value: string): boolean => guid.safeParse(value).success;

function fail(value: string, problem: string, action: string): never {
  throw new ConfigError(`authority ${JSON.stringify(value)} ${problem}.`, action);
}

/**
 * Detects the identity provider's kind from an authority and normalizes it for MSAL:
 * - `https://<sub>.ciamlogin.com/[tenant id | domain]`, or just `<sub>` as Microsoft's samples take it: Entra External
 *   ID. Without a tenant the URL gets `<sub>.onmicrosoft.com`, the same rewrite MSAL applies (transformCIAMAuthority).
 * - `https://login.microsoftonline.com/<tenant>` or a national cloud's host: Entra ID workforce.
 * - Any other https URL: a generic OpenID Provider (the issuer); knownAuthority keeps the port, or MSAL would call
 *   Microsoft's instance discovery for it.
 * Throws ConfigError naming the field when the value cannot work (MSAL refuses http: `authority_uri_insecure`).
 */
export function parseAuthority(input: string): Authority {
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
      `Use the provider's https address${protocol === "http:" ? `, e.g. ${value.replace(/^http:/i, "https:")}` : ""}; a local test provider must serve TLS (as \`entra-tray demo-idp\` does).`);
  }
  if (search || hash) fail(value, `has a query or fragment`, "Remove everything from the ? or # on: an authority is the issuer URL only.");
  const segments = url.pathname.split("/").filter(Boolean);

  if (hostname === CIAM_DOMAIN || hostname.endsWith(`.${CIAM_DOMAIN}`)) {
    const subdomain = hostname.slice(0, -CIAM_DOMAIN.length - 1);
    if (!DNS_LABEL.test(subdomain)) {
      fail(value, `needs exactly one tenant subdomain before .${CIAM_DOMAIN}`, `Use https://<tenant subdomain>.${CIAM_DOMAIN}/, e.g. https://contoso.${CIAM_DOMAIN}/.`);
    }
    if (segments.length > 1) fail(value, `has extra path segments after the tenant`, `Use https://${host}/${segments[0]}.`);
    const tenant = segments[0];
    if (tenant !== undefined && !isGuid(tenant) && !DOMAIN.test(tenant)) {
      fail(value, `names tenant "${tenant}", which is neither a tenant ID (GUID) nor a domain`,
        `Use https://${host}/ alone, or add the Directory (tenant) ID or a domain such as ${subdomain}.onmicrosoft.com.`);
    }
    return externalId(subdomain, tenant, host);
  }

  if (ENTRA_ID_GRAPH.has(hostname)) {
    const [tenant, ...extra] = segments;
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

function externalId(subdomain: string, tenant?: string, host = `${subdomain}.${CIAM_DOMAIN}`): Authority {
  return { kind: "entraExternalId", url: `https://${host}/${tenant ?? `${subdomain}.onmicrosoft.com`}`, knownAuthority: host };
}

/** The Microsoft Graph of the authority's cloud; undefined for a generic OpenID Provider, which has no Graph. */
export function defaultGraphUrl(authority: Authority): string | undefined {
  if (authority.kind === "oidc") return undefined;
  if (authority.kind === "entraExternalId") return GLOBAL_GRAPH;
  return ENTRA_ID_GRAPH.get(new URL(authority.url).hostname);
}
