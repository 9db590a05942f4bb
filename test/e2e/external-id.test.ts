import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { useFileFixture } from "../support/file-fixture.js";
import { loopbackNamesEnv } from "../support/loopback-names.js";
import { baseEnv, runCli } from "../support/run-cli.js";
import { DemoBrowser } from "./support/demo-browser.js";
import { browserCommandEnv, useDemoEnv, useTempHomes } from "./support/demo-env.js";

// Entra External ID end to end: `entra-tray` processes (real MSAL Node, a real keyring) against the demo IdP shaped
// like an External ID tenant and reached as contoso.ciamlogin.com or a custom URL domain (their names resolve to
// loopback in these processes and in Chromium only), sign-ins and sign-outs in real Chromium. The tenant's issuer
// is on another host, https://<tenant id>.ciamlogin.com/<tenant id>/v2.0, as a real tenant's is.
const TENANT_ID = "5c0f9e7a-2b41-4d8e-9a63-7f1e0d2c4b58";
const CIAM_HOST = "contoso.ciamlogin.com";
const CUSTOM_DOMAIN = "login.contoso.test";
const HOSTS = [CIAM_HOST, CUSTOM_DOMAIN];

const keyring = useProcessKeyring();
const env = useDemoEnv({ externalId: { subdomain: "contoso", tenantId: TENANT_ID, hostNames: HOSTS } });
const browser = useFileFixture("Chromium", () => DemoBrowser.launch(env().idp, HOSTS), (chromium) => chromium.close());
const newHome = useTempHomes();
let dnsLog = "";
beforeAll(async () => {
  dnsLog = path.join(await newHome(), "dns.log");
});

interface TokenJson { accessToken: string; account: { username: string; homeAccountId: string } }

const FORMS = [
  { form: "https://<subdomain>.ciamlogin.com/", authority: (port: number) => `https://${CIAM_HOST}:${port}/`, tenantPath: "contoso.onmicrosoft.com" },
  { form: "https://<subdomain>.ciamlogin.com/<subdomain>.onmicrosoft.com", authority: (port: number) => `https://${CIAM_HOST}:${port}/contoso.onmicrosoft.com`, tenantPath: "contoso.onmicrosoft.com" },
  { form: "https://<subdomain>.ciamlogin.com/<tenant id>", authority: (port: number) => `https://${CIAM_HOST}:${port}/${TENANT_ID}`, tenantPath: TENANT_ID },
  { form: "a custom URL domain with the tenant id", authority: (port: number) => `https://${CUSTOM_DOMAIN}:${port}/${TENANT_ID}`, tenantPath: TENANT_ID, tenantType: "external" },
];

describe.each(FORMS)("External ID authority $form", ({ authority, tenantPath, tenantType }) => {
  let home = "";
  let signedIn: TokenJson;
  const alice = () => env().user(0);
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli([...args, "--profile", "contoso"], {
    ...baseEnv(home), DBUS_SESSION_BUS_ADDRESS: keyring().address, ...loopbackNamesEnv(HOSTS, dnsLog), ...extra,
  });

  beforeAll(async () => {
    home = await newHome();
    const profile = { authority: authority(env().idp.port), clientId: env().idp.clientId, caFile: env().idp.caFile, ...(tenantType && { tenantType }) };
    await writeFile(path.join(home, "config.json"), JSON.stringify({ profiles: { contoso: profile } }));
  });

  it("signs in in the browser, and another process serves the cached token without a single request", async () => {
    const login = await cli(["token", "--json"], browserCommandEnv(env().idp, { user: alice().username }));
    expect(login.stderr).not.toMatch(/error|cannot/i);
    expect(login.code).toBe(0);
    signedIn = JSON.parse(login.stdout) as TokenJson;
    expect(signedIn.account.username).toBe(alice().username);

    const requests = env().idp.requests().count;
    const again = await cli(["token", "--json", "--no-interactive"]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as TokenJson).accessToken).toBe(signedIn.accessToken);
    expect(env().idp.requests().count).toBe(requests);
  });

  it("knows the account by its object and tenant IDs (client_info), and status names the tenant it trusts", async () => {
    expect(signedIn.account.homeAccountId).toBe(`${alice().sub}.${TENANT_ID}`);
    const whoami = await cli(["whoami", "--json"]);
    expect(whoami.code).toBe(0);
    expect((JSON.parse(whoami.stdout) as { idTokenClaims: Record<string, unknown> }).idTokenClaims)
      .toMatchObject({ tid: TENANT_ID, oid: alice().sub, iss: `https://${TENANT_ID}.ciamlogin.com/${TENANT_ID}/v2.0` });
    const status = await cli(["status", "--json"]);
    expect((JSON.parse(status.stdout) as { profiles: unknown[] }).profiles).toEqual([expect.objectContaining({ name: "contoso", tenantId: TENANT_ID, state: "signedIn" })]);
    expect((await cli(["status"])).stdout).toMatch(new RegExp(`^contoso\tsignedIn\t.*\ttenant: ${TENANT_ID}$`, "m"));
  });

  it("refreshes the access token with the refresh token", async () => {
    const requests = env().idp.tokenRequests();
    // Tokens live an hour: asking for an hour's validity makes the token a refresh one.
    const refreshed = await cli(["token", "--json", "--no-interactive", "--min-valid", "3600"]);
    expect(refreshed.code).toBe(0);
    expect((JSON.parse(refreshed.stdout) as TokenJson).accessToken).not.toBe(signedIn.accessToken);
    expect(env().idp.tokenRequests()).toBe(requests + 1);
  });

  it("signs out at the authority's own host with logout_hint, and the next token needs a sign-in", async () => {
    const claims = (JSON.parse((await cli(["whoami", "--json"])).stdout) as { idTokenClaims: { login_hint: string } }).idTokenClaims;
    const logout = await cli(["logout", "--no-browser"]);
    expect(logout.code).toBe(0);
    const url = new URL(logout.stdout.trim());
    expect(url.origin).toBe(new URL(authority(env().idp.port)).origin);
    expect(url.pathname).toBe(`/${tenantPath}/oauth2/v2.0/logout`);
    expect(url.searchParams.get("logout_hint")).toBe(claims.login_hint);
    await browser().completeLogout(url.href);
    expect((await cli(["token", "--no-interactive"])).code).toBe(4);
  });
});

describe("the hosts an External ID profile reaches", () => {
  it("are the tenant's own and loopback: never login.microsoftonline.com or any other Microsoft host", async () => {
    const names = new Set((await readFile(dnsLog, "utf8")).split("\n").filter(Boolean));
    expect(names).toContain(CIAM_HOST);
    expect(names).toContain(CUSTOM_DOMAIN);
    for (const name of names) expect([...HOSTS, "localhost", "127.0.0.1"]).toContain(name);
    expect(env().idp.requests().hosts).toEqual(new Set(HOSTS));
  });
});
