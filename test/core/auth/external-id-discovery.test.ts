import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { AuthService } from "../../../src/core/auth/auth-service.js";
import { fileAuthorityMetadataStore } from "../../../src/core/auth/authority-metadata.js";
import type { AuthorityMetadataStore } from "../../../src/core/auth/authority-metadata.js";
import { vetExternalIdIssuer } from "../../../src/core/auth/external-id-discovery.js";
import { parseAuthority } from "../../../src/core/config/authority.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { useTempHomes } from "../../e2e/support/demo-env.js";
import { ScriptedBrowser } from "./support/e2e-harness.js";
import { startHttps } from "./support/servers.js";
import type { RunningServer } from "./support/servers.js";
import { createTestTls } from "./support/test-tls.js";

const TENANT = "5c0f9e7a-2b41-4d8e-9a63-7f1e0d2c4b58";
const OTHER = "0d3b6e1f-8a27-4c95-b1e4-6f2a9c8d7e30";
const issuerOf = (tenantId: string) => `https://${tenantId}.ciamlogin.com/${tenantId}/v2.0`;

describe("vetExternalIdIssuer", () => {
  const byName = parseAuthority("https://contoso.ciamlogin.com/");
  const byId = parseAuthority(`https://contoso.ciamlogin.com/${TENANT}`);

  it("trusts https://<tenant id>.ciamlogin.com/<tenant id>/v2.0, learning the tenant ID when the authority names it by domain", () => {
    expect(vetExternalIdIssuer(byName, issuerOf(TENANT))).toBe(TENANT);
    expect(vetExternalIdIssuer(byId, issuerOf(TENANT))).toBe(TENANT);
  });

  it.each([
    ["two tenant IDs", `https://${TENANT}.ciamlogin.com/${OTHER}/v2.0`],
    ["http", `http://${TENANT}.ciamlogin.com/${TENANT}/v2.0`],
    ["another host", `https://${TENANT}.ciamlogin.com.example.test/${TENANT}/v2.0`],
    ["Entra ID's host", `https://login.microsoftonline.com/${TENANT}/v2.0`],
    ["a tenant name, as MSAL's own rule allows", "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0"],
    ["no version", `https://${TENANT}.ciamlogin.com/${TENANT}`],
    ["a trailing slash", `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0/`],
    ["not a GUID", "https://contoso.ciamlogin.com/contoso/v2.0"],
  ])("refuses an issuer with %s", (_what, issuer) => {
    expect(() => vetExternalIdIssuer(byName, issuer)).toThrow(AuthError);
  });

  it("refuses another tenant's issuer when the authority names its tenant ID, naming both issuers", () => {
    let error: unknown;
    try {
      vetExternalIdIssuer(byId, issuerOf(OTHER));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ kind: "config" });
    expect((error as AuthError).message).toContain(`"${issuerOf(OTHER)}"`);
    expect((error as AuthError).message).toContain(issuerOf(TENANT));
  });
});

// AuthService against a tenant whose discovery document says `issuer` (a custom URL domain on loopback).
const tls = createTestTls();
const homes = useTempHomes();
let issuer = issuerOf(TENANT);
const discoveries: string[] = [];
let server: RunningServer;
let caFile = "";
let store: AuthorityMetadataStore;

beforeAll(async () => {
  server = await startHttps(tls, (req, res) => {
    discoveries.push(req.url ?? "");
    const origin = `https://localhost:${server.port}/${TENANT}`;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
      issuer, authorization_endpoint: `${origin}/oauth2/v2.0/authorize`, token_endpoint: `${origin}/oauth2/v2.0/token`,
      jwks_uri: `${origin}/discovery/v2.0/keys`, end_session_endpoint: `${origin}/oauth2/v2.0/logout`,
    }));
  });
  const home = await homes();
  caFile = path.join(home, "ca.pem");
  await writeFile(caFile, tls.caPem);
  store = fileAuthorityMetadataStore(home);
});
afterAll(() => server?.close());

const profile = (): Profile => ({
  name: "contoso",
  cacheSection: "contoso",
  displayName: "Contoso",
  authority: parseAuthority(`https://localhost:${server.port}/${TENANT}`, { tenantType: "external" }),
  clientId: "3c5d8f0a-9b2e-4d71-a6c4-e8f19b27d053",
  scopes: ["User.Read"],
  caFile,
});

describe("an External ID profile's discovery", () => {
  it("refuses a foreign issuer before the browser opens, and keeps nothing", async () => {
    issuer = issuerOf(OTHER);
    const browser = new ScriptedBrowser();
    const service = new AuthService({ profile: profile(), openBrowser: browser.open, metadataCache: store });
    const failure = service.signIn({ timeoutMs: 10_000 });
    await expect(failure).rejects.toMatchObject({ kind: "config", message: expect.stringContaining(`says its issuer is "${issuerOf(OTHER)}"`) });
    expect(discoveries).toEqual([`/${TENANT}/v2.0/.well-known/openid-configuration`]);
    expect(browser.urls).toEqual([]);
    expect(service.state).toMatchObject({ status: "error", error: { kind: "config" } });
    expect(store.load(profile().authority.url)).toBeUndefined();
  });

  it("drops saved endpoints whose issuer is not the tenant's, and trusts only the authority's tenant", () => {
    store.save(profile().authority.url, JSON.stringify({
      issuer: issuerOf(OTHER), authorization_endpoint: "https://localhost/a", token_endpoint: "https://localhost/t", jwks_uri: "https://localhost/k",
    }));
    const lines: string[] = [];
    const service = new AuthService({ profile: profile(), metadataCache: store, log: (_level, line) => lines.push(line) });
    expect(service.trustedTenantId).toBe(TENANT);
    expect(lines.join("\n")).toContain("saved endpoints");
  });
});
