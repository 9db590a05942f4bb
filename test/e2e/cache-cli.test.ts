import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { jsonShape } from "../support/json-shape.js";
import { baseEnv, runCli } from "../support/run-cli.js";
import { browserCommandEnv, makeTempHome, useDemoEnv } from "./support/demo-env.js";
import type { TempHome } from "./support/demo-env.js";

// `entra-tray` processes sharing one token cache in a real (private, unlocked) GNOME Keyring, against the demo
// IdP. Access tokens live 306 s; MSAL and `--min-valid 300` renew them 300 s early, so a token is served from the
// cache for about 6 s after it was issued, and refreshed after that.
const keyring = useProcessKeyring();
const env = useDemoEnv({ accessTokenTtlSec: 306 });
let home: TempHome;
beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(async () => {
  await home?.remove();
});

const flags = () => ["--authority", env().idp.authority, "--client-id", env().idp.clientId, "--ca-file", env().idp.caFile];
const cliEnv = (extra: NodeJS.ProcessEnv = {}) => ({ ...baseEnv(home.path), DBUS_SESSION_BUS_ADDRESS: keyring().address, ...extra });
const alice = () => env().user(0).username;

interface TokenJson { accessToken: string; tokenType: string; expiresOn: string; account: { username: string } }
async function tokenJson(): Promise<TokenJson> {
  const run = await runCli(["token", "--json", "--no-interactive", ...flags()], cliEnv());
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as TokenJson;
}

describe("entra-tray processes sharing the token cache in the keyring", () => {
  let signedInAt = 0;
  let first: TokenJson;

  it("`login` in one process, then `token` in another prints a token without a new sign-in or IdP request", async () => {
    const login = await runCli(["login", ...flags()], cliEnv(browserCommandEnv(env().idp, { user: alice() })));
    signedInAt = Date.now();
    expect(login.stderr).toMatch(/Signed in to .* as alice@/);
    expect(login.code).toBe(0);
    const requests = env().idp.tokenRequests();
    first = await tokenJson();
    expect(first.account.username).toBe(alice());
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("after the access token expires, the next `token` refreshes it, and the one after is served from the cache", async () => {
    await sleep(Math.max(0, signedInAt + 7_000 - Date.now()));
    const requests = env().idp.tokenRequests();
    const refreshed = await tokenJson();
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(new Date(refreshed.expiresOn).getTime()).toBeGreaterThan(new Date(first.expiresOn).getTime());
    expect(env().idp.tokenRequests()).toBe(requests + 1);
    expect((await tokenJson()).accessToken).toBe(refreshed.accessToken);
    expect(env().idp.tokenRequests()).toBe(requests + 1);
  });

  it("six `token` processes started together across an expiry all print the same fresh token; the IdP sees one refresh", async () => {
    const before = await tokenJson();
    // Wait until that token is inside MSAL's renewal window, so each process on its own would refresh it.
    await sleep(Math.max(0, new Date(before.expiresOn).getTime() - 300_000 - Date.now() + 1_000));
    const requests = env().idp.tokenRequests();
    const runs = await Promise.all(Array.from({ length: 6 }, () => runCli(["token", "--json", "--no-interactive", ...flags()], cliEnv())));
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    const tokens = runs.map((run) => JSON.parse(run.stdout) as TokenJson);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(tokens[0]?.accessToken).not.toBe(before.accessToken);
    expect(tokens[0]?.account.username).toBe(alice());
    expect(env().idp.tokenRequests()).toBe(requests + 1);
  });

  it("`status` says the tokens are in the keyring and that this profile signs in in the browser, and why", async () => {
    const run = await runCli(["status", "--json", ...flags()], cliEnv());
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as { storage: Record<string, unknown>; profiles: Record<string, unknown>[] };
    expect(status.storage).toMatchObject({ kind: "libsecret", persistent: true, encrypted: true });
    expect(status.profiles[0]).toMatchObject({
      state: "signedIn",
      signIn: { method: "browser", reason: expect.stringMatching(/^The native broker serves Microsoft Entra ID accounts only/) },
    });
  });

  it("`whoami` in another process shows the signed-in account and its ID-token claims", async () => {
    const json = await runCli(["whoami", "--json", ...flags()], cliEnv());
    expect(json.code).toBe(0);
    const { account, idTokenClaims } = JSON.parse(json.stdout) as { account: Record<string, string>; idTokenClaims: Record<string, unknown> };
    expect(account.username).toBe(alice());
    expect(idTokenClaims).toMatchObject({ preferred_username: alice(), iss: env().idp.issuer, aud: env().idp.clientId });
    const text = await runCli(["whoami", ...flags()], cliEnv());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^.*: ${alice()}\n`));
    expect(text.stdout).toMatch(/^ {2}Expires.*\(exp\) +.* \((in|expires in) /m);
  });

  it("a second account: `login` makes it active for later commands, `--account` picks either, `status` lists both", async () => {
    const bob = env().user(1).username;
    const login = await runCli(["login", "--select-account", ...flags()], cliEnv(browserCommandEnv(env().idp, { user: bob })));
    expect(login.code).toBe(0);
    const username = async (args: string[]) => {
      const run = await runCli(["token", "--json", "--no-interactive", ...args, ...flags()], cliEnv());
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as TokenJson).account.username;
    };
    expect(await username([])).toBe(bob);
    expect(await username(["--account", alice()])).toBe(alice());
    expect(await username(["--account", alice().toUpperCase()])).toBe(alice());
    expect(await username([])).toBe(bob);

    const status = await runCli(["status", "--json", ...flags()], cliEnv());
    const json = JSON.parse(status.stdout) as { profiles: { account: { username: string }; accounts: { username: string; active: boolean }[] }[] };
    const [profile] = json.profiles;
    expect(profile?.account.username).toBe(bob);
    expect(profile?.accounts.map((each) => [each.username, each.active]).sort()).toEqual([[alice(), false], [bob, true]].sort());
    // The README's CLI contract, for storage in the keyring and a profile with two accounts.
    const account = { username: "string", name: "string", homeAccountId: "string" };
    expect(jsonShape(json)).toEqual({
      agent: { running: "boolean" },
      storage: { kind: "string", persistent: "boolean", encrypted: "boolean", location: "string", description: "string" },
      profiles: [{
        name: "string", displayName: "string", authority: "string", state: "string", account,
        accounts: [{ ...account, active: "boolean" }, { ...account, active: "boolean" }], signIn: { method: "string", reason: "string" },
      }],
    });

    const unknown = await runCli(["token", "--no-interactive", "--account", "carol@demo.entra-tray.test", ...flags()], cliEnv());
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/carol@demo\.entra-tray\.test is not signed in to .* \(signed in: .*alice.*\)/);
    expect(unknown.stderr).toContain("Run `entra-tray login --login-hint carol@demo.entra-tray.test` with the same profile.");
    // Asked for carol, the person signs in as alice: alice's token is not handed out as carol's.
    const carol = "carol@demo.entra-tray.test";
    const other = await runCli(["token", "--json", "--account", carol, ...flags()], cliEnv(browserCommandEnv(env().idp, { user: alice() })));
    expect(other.stdout).toBe("");
    expect(other.code).toBe(4);
    expect(other.stderr).toContain(`${alice()} signed in to `);
    expect(other.stderr).toContain(`, not ${carol}: ${carol} is still not signed in. Run \`entra-tray login --select-account --login-hint ${carol}\``);

    const logout = await runCli(["logout", "--no-browser", "--account", bob, ...flags()], cliEnv());
    expect(logout.code).toBe(0);
    expect(logout.stderr).toMatch(/Signed out of .* as bob@/);
    expect(await username([])).toBe(alice());
  });

  it("`token --pop` is refused for a profile without the broker, and `--pop` needs `--url`", async () => {
    const refused = await runCli(["token", "--pop", "--url", "https://api.example.com/items", "--no-interactive", ...flags()], cliEnv());
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^entra-tray: A proof-of-possession token needs the native broker, which is not in use: .+ signs in without it\./m);
    expect(refused.code).toBe(3);
    const usage = await runCli(["token", "--pop", ...flags()], cliEnv());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--pop was given without --url/);
  });

  it("`logout` in another process signs out everywhere: the next `token` needs a sign-in (exit 4)", async () => {
    const logout = await runCli(["logout", "--no-browser", ...flags()], cliEnv());
    expect(logout.code).toBe(0);
    expect(logout.stderr).toMatch(/Signed out of .* as alice@/);
    expect(logout.stdout).toMatch(/^https:\/\/localhost:\d+\/oauth2\/v2\.0\/logout\?/);
    const after = await runCli(["token", "--no-interactive", ...flags()], cliEnv());
    expect(after.code).toBe(4);
    expect(after.stdout).toBe("");
  });

  it("without a keyring, `status` says the tokens are kept in memory only, and why", async () => {
    const noBus = { ...baseEnv(home.path) };
    delete noBus.DBUS_SESSION_BUS_ADDRESS;
    const run = await runCli(["status", ...flags()], noBus);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^storage\tmemory\tTokens are kept in memory only .*There is no D-Bus session bus/m);
  });
});
