import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import { openTokenCacheStore, tokenCachePaths } from "../../src/core/cache/token-cache-store.js";
import type { TokenCacheStore } from "../../src/core/cache/token-cache-store.js";
import { demoProfile, ScriptedBrowser } from "../core/auth/support/e2e-harness.js";
import { SESSION_BUS_VARIABLES } from "../core/cache/support/keyring-session.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv, useTempHomes } from "./support/demo-env.js";

// This test process has no D-Bus session bus at all, as over SSH or in a container: libsecret cannot reach a
// keyring (it connects once, on first use, so removing the variables before any cache is opened is real absence).
// Real MSAL, real sign-ins at the demo IdP in Chromium; each "restart" is a fresh store and AuthService.
beforeAll(() => {
  for (const name of SESSION_BUS_VARIABLES) delete process.env[name];
});

const env = useDemoEnv();
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
const newHome = useTempHomes();
const alice = () => env().user(0);

function serviceOn(store: TokenCacheStore): AuthService {
  const cachePlugin = store.pluginFor("demo");
  return new AuthService({ profile: demoProfile(env().idp), openBrowser: acts.open, ...(cachePlugin ? { cachePlugin } : {}) });
}

async function signInAlice(service: AuthService) {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: alice().username }));
  await Promise.all([service.signIn({ timeoutMs: 30_000 }), browsing]);
}

describe("without a keyring", () => {
  it("keeps the sign-in in memory for this process only, writing no token to disk", async () => {
    const home = await newHome();
    const store = await openTokenCacheStore({ home });
    expect(store.status).toMatchObject({ kind: "memory", problem: { kind: "secureStorageUnavailable" } });
    expect(store.status.problem?.message).toMatch(/^There is no D-Bus session bus to reach a keyring through/);
    const service = serviceOn(store);
    await signInAlice(service);
    const { accessToken } = await service.getToken();

    const { dir } = tokenCachePaths(home);
    for (const name of await readdir(dir)) expect(await readFile(path.join(dir, name), "utf8")).not.toContain(accessToken);
    expect(await serviceOn(await openTokenCacheStore({ home })).loadAccounts()).toEqual({ status: "signedOut" });
  });

  it("with allowPlaintextCache, keeps it in a file only the user can read, and a restart serves the token without the IdP", async () => {
    const home = await newHome();
    const store = await openTokenCacheStore({ home, allowPlaintextCache: true });
    const { plaintextFile } = tokenCachePaths(home);
    expect(store.status).toMatchObject({ kind: "plaintext", warning: `Tokens are stored unencrypted on disk (${plaintextFile}).` });
    const first = serviceOn(store);
    await signInAlice(first);
    const token = await first.getToken();
    expect((await stat(plaintextFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(plaintextFile))).mode & 0o777).toBe(0o700);
    expect(await readFile(plaintextFile, "utf8")).toContain(token.accessToken);

    const requests = env().idp.tokenRequests();
    const second = serviceOn(await openTokenCacheStore({ home, allowPlaintextCache: true }));
    expect(await second.loadAccounts()).toMatchObject({ status: "signedIn", account: { username: alice().username } });
    expect((await second.getToken()).accessToken).toBe(token.accessToken);
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("sets a truncated plaintext cache aside, starts signed out, and says where the bad copy is", async () => {
    const home = await newHome();
    const first = serviceOn(await openTokenCacheStore({ home, allowPlaintextCache: true }));
    await signInAlice(first);
    const { plaintextFile, dir } = tokenCachePaths(home);
    const whole = await readFile(plaintextFile, "utf8");
    await writeFile(plaintextFile, whole.slice(0, whole.length / 2)); // as a crash in mid-write leaves it

    const warnings: string[] = [];
    const second = serviceOn(await openTokenCacheStore({ home, allowPlaintextCache: true, onWarning: (w) => warnings.push(w) }));
    expect(await second.loadAccounts()).toEqual({ status: "signedOut" });
    expect(warnings).toHaveLength(1);
    const aside = /kept at (.+\.unreadable-[\dT-]+Z), its token values removed\./.exec(warnings[0] ?? "")?.[1] ?? "";
    expect(path.dirname(aside)).toBe(dir);
    expect((await stat(aside)).mode & 0o777).toBe(0o600);
    const secrets = [...whole.matchAll(/"secret":"([^"]+)"/g)].map(([, secret]) => secret ?? "");
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const kept = await readFile(aside, "utf8");
    for (const secret of secrets) expect(kept.includes(secret.slice(0, 16)), "the copy set aside holds a token").toBe(false);
    expect(kept).toMatch(/"secret":"\(removed\)"/);

    // Another unreadable cache later: its copy replaces the first, so copies do not pile up.
    await writeFile(plaintextFile, "{ torn");
    await serviceOn(await openTokenCacheStore({ home, allowPlaintextCache: true })).loadAccounts();
    expect((await readdir(dir)).filter((name) => name.includes(".unreadable-"))).toHaveLength(1);
  });
});
