import { AzureCloudInstance } from "@azure/msal-node";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { defaultGraphUrl, parseAuthority } from "../../../src/core/config/authority.js";
import type { AuthorityOptions } from "../../../src/core/config/authority.js";
import { ConfigError } from "../../../src/core/errors/config-error.js";
import { GUID } from "./fixtures.js";

function parseError(input: string, options: AuthorityOptions = {}): ConfigError {
  try {
    parseAuthority(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(AuthError);
    return error as ConfigError;
  }
  return expect.unreachable(`parseAuthority(${JSON.stringify(input)}) should throw`);
}

describe("parseAuthority: Entra External ID", () => {
  it("adds the tenant domain MSAL would add to a bare ciamlogin.com host", () => {
    expect(parseAuthority("https://contoso.ciamlogin.com/")).toEqual({
      kind: "entraExternalId",
      url: "https://contoso.ciamlogin.com/contoso.onmicrosoft.com",
      knownAuthority: "contoso.ciamlogin.com",
    });
  });

  it("accepts just the tenant subdomain, as Microsoft's samples do", () => {
    expect(parseAuthority("contoso")).toEqual(parseAuthority("https://contoso.ciamlogin.com/"));
    expect(parseAuthority(" Contoso ")).toEqual(parseAuthority("https://contoso.ciamlogin.com"));
  });

  it("keeps a tenant ID (which it then trusts) or domain in the path, and drops a trailing /v2.0", () => {
    expect(parseAuthority(`https://contoso.ciamlogin.com/${GUID}/`)).toEqual({
      kind: "entraExternalId", url: `https://contoso.ciamlogin.com/${GUID}`, knownAuthority: "contoso.ciamlogin.com", tenantId: GUID,
    });
    expect(parseAuthority(`https://contoso.ciamlogin.com/${GUID.toUpperCase()}/v2.0`).tenantId).toBe(GUID);
    expect(parseAuthority("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0")).toEqual(parseAuthority("contoso"));
    expect(parseAuthority("https://CONTOSO.ciamlogin.com/contoso.onmicrosoft.com").url).toBe("https://contoso.ciamlogin.com/contoso.onmicrosoft.com");
  });

  it("uses the global Graph", () => {
    expect(defaultGraphUrl(parseAuthority("contoso"))).toBe("https://graph.microsoft.com/v1.0");
  });

  it("rejects a host without a subdomain, extra path segments and a non-tenant path", () => {
    expect(parseError("https://ciamlogin.com/").action).toContain("https://<tenant subdomain>.ciamlogin.com/");
    const extra = parseError("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0");
    expect(extra.message).toContain("extra path segments");
    expect(extra.action).toContain("https://contoso.ciamlogin.com/contoso.onmicrosoft.com.");
    expect(parseError("https://contoso.ciamlogin.com/common").action).toContain("contoso.onmicrosoft.com");
  });
});

describe("parseAuthority: Entra External ID on a custom URL domain (tenantType external)", () => {
  const external = { tenantType: "external" } as const;

  it("is External ID with the global Graph, trusting the tenant ID the path names", () => {
    const authority = parseAuthority(`https://login.contoso.com/${GUID}`, external);
    expect(authority).toEqual({
      kind: "entraExternalId", url: `https://login.contoso.com/${GUID}`, knownAuthority: "login.contoso.com", tenantId: GUID, customDomain: true,
    });
    expect(defaultGraphUrl(authority)).toBe("https://graph.microsoft.com/v1.0");
    expect(parseAuthority("https://login.contoso.com:8443/contoso.onmicrosoft.com/v2.0", external)).toEqual({
      kind: "entraExternalId", url: "https://login.contoso.com:8443/contoso.onmicrosoft.com", knownAuthority: "login.contoso.com:8443", customDomain: true,
    });
  });

  it("is a generic OpenID Provider without it", () => {
    expect(parseAuthority(`https://login.contoso.com/${GUID}`).kind).toBe("oidc");
  });

  it("needs the tenant in the path, and is not for Entra ID's hosts", () => {
    expect(() => parseAuthority("https://login.contoso.com/", external)).toThrow(/names no tenant/);
    expect(parseError(`https://login.microsoftonline.com/${GUID}`, external).message).toContain("not an External ID tenant's custom URL domain");
    expect(parseAuthority("https://contoso.ciamlogin.com/", external)).toEqual(parseAuthority("contoso"));
  });
});

/** The sign-in hosts of each cloud in the installed MSAL's own instance-discovery metadata, as msal-node resolves it. */
async function msalClouds(): Promise<string[][]> {
  const msalNode = path.dirname(createRequire(import.meta.url).resolve("@azure/msal-node/package.json"));
  const msalCommon = path.dirname(createRequire(path.join(msalNode, "package.json")).resolve("@azure/msal-common/package.json"));
  const module = await import(pathToFileURL(path.join(msalCommon, "dist/authority/AuthorityMetadata.mjs")).href) as
    { InstanceDiscoveryMetadata: { metadata: Array<{ aliases: string[] }> } };
  const clouds = module.InstanceDiscoveryMetadata.metadata.map((cloud) => cloud.aliases);
  // msal-node's CommonJS build carries its own copy: it must list the same hosts.
  const bundle = readFileSync(path.join(msalNode, "lib/msal-node.cjs"), "utf8");
  const block = bundle.slice(bundle.indexOf("instanceDiscoveryMetadata:"), bundle.indexOf("const EndpointMetadata"));
  const bundled = [...block.matchAll(/aliases:\s*\[([^\]]*)\]/g)].map((match) => [...(match[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]));
  expect(bundled).toEqual(clouds);
  return clouds;
}

const GLOBAL = "https://graph.microsoft.com/v1.0";
const US_GOV = "https://graph.microsoft.us/v1.0";
const CHINA = "https://microsoftgraph.chinacloudapi.cn/v1.0";
/** What each Microsoft sign-in host means: its cloud's Graph, none known (the profile names it), or closed. */
const MICROSOFT_HOSTS: Record<string, string | undefined> = {
  "login.microsoftonline.com": GLOBAL, "login.windows.net": GLOBAL, "login.microsoft.com": GLOBAL, "sts.windows.net": GLOBAL,
  "login.microsoftonline.us": US_GOV, "login.usgovcloudapi.net": US_GOV,
  "login.partner.microsoftonline.cn": CHINA, "login.chinacloudapi.cn": CHINA,
  "login-us.microsoftonline.com": undefined,
  "login.sovcloud-identity.fr": undefined, "login.sovcloud-identity.de": undefined, "login.sovcloud-identity.sg": undefined,
  "login.microsoftonline.de": "closed",
};

describe("parseAuthority: every Microsoft cloud in MSAL's metadata", () => {
  it("covers exactly the hosts of MSAL's metadata, each cloud's aliases alike", async () => {
    const clouds = await msalClouds();
    expect(Object.keys(MICROSOFT_HOSTS).sort()).toEqual(clouds.flat().sort());
    for (const aliases of clouds) expect(new Set(aliases.map((host) => MICROSOFT_HOSTS[host])).size).toBe(1);
  });

  it.each(Object.entries(MICROSOFT_HOSTS).filter(([, graph]) => graph !== "closed"))("%s is Entra ID with Graph %s", (host, graph) => {
    const authority = parseAuthority(`https://${host.toUpperCase()}/${GUID}/`);
    expect(authority).toEqual({ kind: "entraId", url: `https://${host}/${GUID}`, knownAuthority: host });
    expect(defaultGraphUrl(authority)).toBe(graph);
  });

  it("refuses Microsoft Cloud Germany's host, which closed, and points to the global cloud", () => {
    const error = parseError(`https://login.microsoftonline.de/${GUID}`);
    expect(error.message).toContain("Microsoft Cloud Germany");
    expect(error.message).toContain("closed on 29 October 2021");
    expect(error.action).toContain(`https://login.microsoftonline.com/${GUID}`);
  });
});

describe("parseAuthority: Entra ID", () => {
  it.each(["common", "organizations", "consumers", GUID, "contoso.onmicrosoft.com"])("accepts tenant %s", (tenant) => {
    expect(parseAuthority(`https://login.microsoftonline.com/${tenant}/`)).toEqual({
      kind: "entraId", url: `https://login.microsoftonline.com/${tenant}`, knownAuthority: "login.microsoftonline.com",
    });
  });

  it("knows every live cloud in MSAL's AzureCloudInstance list and its Graph", () => {
    const graphs: Record<string, string> = {
      AzurePublic: "https://graph.microsoft.com/v1.0",
      AzureUsGovernment: "https://graph.microsoft.us/v1.0",
      AzureChina: "https://microsoftgraph.chinacloudapi.cn/v1.0",
    };
    const live = Object.entries(AzureCloudInstance).filter(([name]) => name !== "None" && name !== "AzureGermany");
    expect(live.map(([name]) => name).sort()).toEqual(Object.keys(graphs).sort());
    for (const [name, instance] of live) {
      const authority = parseAuthority(`${instance}/${GUID}`);
      expect(authority).toEqual({ kind: "entraId", url: `${instance}/${GUID}`, knownAuthority: new URL(instance).host });
      expect(defaultGraphUrl(authority)).toBe(graphs[name]);
    }
  });

  it("knows the China cloud's partner host", () => {
    const authority = parseAuthority(`https://login.partner.microsoftonline.cn/${GUID}`);
    expect(authority.kind).toBe("entraId");
    expect(defaultGraphUrl(authority)).toBe("https://microsoftgraph.chinacloudapi.cn/v1.0");
  });

  it("asks for a tenant when there is none, and trims extra segments", () => {
    const none = parseError("https://login.microsoftonline.com/");
    expect(none.message).toContain("names no tenant");
    expect(none.action).toContain("https://login.microsoftonline.com/<tenant>");
    expect(parseError(`https://login.microsoftonline.com/${GUID}/oauth2/v2.0/authorize`).action).toContain(`Use https://login.microsoftonline.com/${GUID}.`);
    expect(parseError("https://login.microsoftonline.com/my tenant").action).toContain("Directory (tenant) ID");
  });
});

describe("parseAuthority: generic OpenID Provider", () => {
  it("keeps the port in knownAuthority so MSAL skips Microsoft's instance discovery", () => {
    expect(parseAuthority("https://localhost:47443/")).toEqual({ kind: "oidc", url: "https://localhost:47443", knownAuthority: "localhost:47443" });
  });

  it("keeps the issuer's path without a trailing slash, and drops the default port on both sides", () => {
    expect(parseAuthority("https://idp.example.com:443/realms/dev/")).toEqual({
      kind: "oidc", url: "https://idp.example.com/realms/dev", knownAuthority: "idp.example.com",
    });
  });

  it("has no Graph", () => {
    expect(defaultGraphUrl(parseAuthority("https://accounts.example.org"))).toBeUndefined();
  });
});

describe("parseAuthority: unusable values", () => {
  it("refuses http, as MSAL does (authority_uri_insecure)", () => {
    const error = parseError("http://localhost:8080/oidc");
    expect(error.message).toContain('authority "http://localhost:8080/oidc" does not use https');
    expect(error.message).toContain("authority_uri_insecure");
    expect(error.action).toContain("https://localhost:8080/oidc");
  });

  it("refuses other schemes", () => {
    expect(parseError("ftp://idp.example.com").message).toContain("does not use https");
  });

  it("asks for the scheme when it is missing", () => {
    const error = parseError("login.microsoftonline.com/common");
    expect(error.message).toContain("is not a URL");
    expect(error.action).toContain("https://login.microsoftonline.com/common");
  });

  it("refuses a query or fragment", () => {
    expect(parseError("https://idp.example.com/?p=1").action).toContain("Remove everything from the ? or #");
  });

  it("names the sample's placeholder", () => {
    const error = parseError("https://Enter_the_Tenant_Subdomain_Here.ciamlogin.com/");
    expect(error.message).toContain('placeholder "Enter_the_Tenant_Subdomain_Here"');
    expect(error.action).toContain("subdomain");
  });
});

// The CLI and the popover show these sentences as they are: each names the value, what is wrong and the fix.
describe("parseAuthority: each refusal, word for word", () => {
  const external = { tenantType: "external" } as const;
  it.each<[string, AuthorityOptions, string, string]>([
    ["localhost:8080", {}, 'authority "localhost:8080" is not a URL.',
      "Write the full https URL, e.g. https://localhost:8080 or https://<tenant subdomain>.ciamlogin.com/."],
    ["//idp.example.com/x", {}, 'authority "//idp.example.com/x" is not a URL.',
      "Write the full https URL, e.g. https://idp.example.com/x or https://<tenant subdomain>.ciamlogin.com/."],
    ["ftp://idp.example.com", {}, 'authority "ftp://idp.example.com" does not use https, and MSAL refuses other schemes (authority_uri_insecure).',
      "Use the provider's https address; a local test provider must serve TLS (as the demo identity provider does)."],
    ["http://localhost:8080/oidc", {}, 'authority "http://localhost:8080/oidc" does not use https, and MSAL refuses other schemes (authority_uri_insecure).',
      "Use the provider's https address, e.g. https://localhost:8080/oidc; a local test provider must serve TLS (as the demo identity provider does)."],
    ["https://idp.example.com/#x", {}, 'authority "https://idp.example.com/#x" has a query or fragment.',
      "Remove everything from the ? or # on: an authority is the issuer URL only."],
    ["https://a.b.ciamlogin.com/", {}, 'authority "https://a.b.ciamlogin.com/" needs exactly one tenant subdomain before .ciamlogin.com.',
      "Use https://<tenant subdomain>.ciamlogin.com/, e.g. https://contoso.ciamlogin.com/."],
    ["https://contoso.ciamlogin.com/common", {}, 'authority "https://contoso.ciamlogin.com/common" names tenant "common", which is neither a tenant ID (GUID) nor a domain.',
      "Use https://contoso.ciamlogin.com/ with the Directory (tenant) ID or a domain such as contoso.onmicrosoft.com."],
    [`https://login.microsoftonline.com/${GUID}`, external,
      `authority "https://login.microsoftonline.com/${GUID}" is a Microsoft Entra ID sign-in host, not an External ID tenant's custom URL domain.`,
      `Remove "tenantType" to sign in to Entra ID, or use the external tenant's https://<tenant subdomain>.ciamlogin.com/ or its custom URL domain.`],
    ["https://login.contoso.com/common", external, 'authority "https://login.contoso.com/common" names tenant "common", which is neither a tenant ID (GUID) nor a domain.',
      "Use https://login.contoso.com/ with the Directory (tenant) ID or a domain such as <tenant id>."],
    ["https://login.microsoftonline.de/", {}, `authority "https://login.microsoftonline.de/" is Microsoft Cloud Germany's sign-in host, and that cloud closed on 29 October 2021.`,
      "Its tenants moved to the global cloud: use https://login.microsoftonline.com/<tenant>."],
    [`https://login.microsoftonline.com/${GUID}/x`, {}, `authority "https://login.microsoftonline.com/${GUID}/x" has extra path segments after the tenant.`,
      `Use https://login.microsoftonline.com/${GUID}.`],
    ["https://login.microsoftonline.com/my_tenant", {},
      'authority "https://login.microsoftonline.com/my_tenant" names tenant "my_tenant", which is not a tenant ID (GUID), a domain, or organizations, common or consumers.',
      "Use the Directory (tenant) ID from the tenant's Overview page in the Microsoft Entra admin center."],
  ])("%s", (input, options, message, action) => {
    expect(parseError(input, options)).toMatchObject({ message, action });
  });

  it("takes a lone /v2.0 after a ciamlogin.com host for the version, not a tenant", () => {
    expect(parseAuthority("https://contoso.ciamlogin.com/v2.0")).toEqual(parseAuthority("contoso"));
  });
});
