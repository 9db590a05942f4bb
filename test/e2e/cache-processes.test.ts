import { spawn } from "node:child_process";
import { once } from "node:events";
import { stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import { KEYRING_SERVICE, openTokenCacheStore, tokenCachePaths } from "../../src/core/cache/token-cache-store.js";
import { demoProfile, ScriptedBrowser } from "../core/auth/support/e2e-harness.js";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";
import { before, seconds } from "../support/bound.js";

// Real processes sharing one token cache in a real (private, unlocked) GNOME Keyring, like the tray app and any
// number of `entra-tray token` calls: each worker opens the cache, checks the keyring, and asks for a token.
// Access tokens live 310 s at the demo IdP; MSAL renews 300 s before expiry, so a token is served from the cache
// for 10 s after it was issued and refreshed after that: the workers below start on both sides of that moment.
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../core/cache/support/token-worker.mjs");
const keyring = useProcessKeyring();
const env = useDemoEnv({ accessTokenTtlSec: 310 });
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
const alice = () => env().user(0);
const bob = () => env().user(1);

interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  ok?: boolean;
  fingerprint?: string;
  expiresOn?: string;
  storage?: string;
  kind?: string;
  message?: string;
}

async function startWorker(args: string[]): Promise<WorkerResult> {
  const child = spawn(process.execPath, [WORKER, ...args], { env: keyring().env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  return { code, signal, ...(out.trim() ? JSON.parse(out) as object : {}) };
}

const tokenFor = (homeAccountId: string, minValiditySec = 0) =>
  startWorker([env().home, JSON.stringify(demoProfile(env().idp)), homeAccountId, String(minValiditySec)]);

async function storedSection() {
  const text = await keyring().lookup({ service: KEYRING_SERVICE, account: tokenCachePaths(env().home).keyringAccount });
  const section = (JSON.parse(text ?? "{}") as { profiles?: Record<string, Record<string, Record<string, unknown>>> }).profiles?.demo ?? {};
  const count = (kind: string) => Object.keys(section[kind] ?? {}).length;
  return { accounts: count("Account"), refreshTokens: count("RefreshToken"), accessTokens: count("AccessToken") };
}

describe("one token cache shared by many processes", () => {
  /** Alice's token as first served, and the moment MSAL stops serving it from the cache (300 s before expiry). */
  let alicesToken: { fingerprint: string; renewAt: number };

  it("after a sign-in in this process, another process gets the token from the keyring without asking the IdP", async () => {
    const service = new AuthService({
      profile: demoProfile(env().idp), openBrowser: acts.open,
      cachePlugin: (await openTokenCacheStore({ home: env().home })).pluginFor("demo"),
    });
    for (const who of [bob(), alice()]) {
      const browsing = acts.will((url) => browser().completeSignIn(url, { user: who.username }));
      await Promise.all([service.signIn({ timeoutMs: 30_000, selectAccount: true }), browsing]);
    }
    const { expiresOn } = await service.getToken({ minValiditySec: 0 });
    const requests = env().idp.tokenRequests();
    const other = await tokenFor(alice().sub);
    expect(other).toMatchObject({ code: 0, ok: true, storage: "libsecret" });
    expect(env().idp.tokenRequests()).toBe(requests);
    alicesToken = { fingerprint: other.fingerprint ?? "", renewAt: expiresOn.getTime() - 300_000 };
  });

  it("gives every one of many processes started across the token's expiry a token, and loses no account or refresh token", async () => {
    const requests = env().idp.tokenRequests();
    // Ten processes 1.2 s apart, alternately for alice and bob, the first 6 s before alice's token is due: her first
    // two start 6 and 3.6 s before (room for a slow start on a busy machine), her last two 1.2 and 3.6 s after.
    const firstAt = Math.max(Date.now(), alicesToken.renewAt - 6_000);
    const runs = Array.from({ length: 10 }, async (_, i) => {
      await sleep(firstAt + i * 1_200 - Date.now());
      return tokenFor((i % 2 === 0 ? alice() : bob()).sub);
    });
    const results = await Promise.all(runs);
    expect(results.map((r) => `${r.code} ${r.ok} ${r.kind ?? ""} ${r.message ?? ""}`)).toEqual(Array(10).fill("0 true  "));
    // The run did cross the expiry: alice's first processes got the cached token, her last ones a refreshed one.
    const alices = results.filter((_, i) => i % 2 === 0).map((r) => r.fingerprint);
    expect(alices.slice(0, 2)).toEqual([alicesToken.fingerprint, alicesToken.fingerprint]);
    expect(alices.slice(3)).not.toContain(alicesToken.fingerprint);
    // Each profile's requests take turns (TokenCacheStore.exclusive): one refresh per account, not one per process.
    expect(env().idp.tokenRequests()).toBe(requests + 2);
    expect(await storedSection()).toEqual({ accounts: 2, refreshTokens: 2, accessTokens: 2 });
  });

  it("lets many processes that start at the same instant check the keyring and read the cache", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => tokenFor((i % 2 === 0 ? alice() : bob()).sub)));
    expect(results.map((r) => r.code)).toEqual(Array(6).fill(0));
    expect(await storedSection()).toMatchObject({ accounts: 2, refreshTokens: 2 });
  });

  it("lets one of many processes that need a fresher token at the same instant refresh it, and the others use it", async () => {
    // Wait until alice's token has at most 301 s left, then ask for 302 s: each process must refresh, unless it
    // finds the token that another one has just refreshed (310 s left). Without turns, each would ask the IdP.
    const { expiresOn } = await tokenFor(alice().sub);
    await sleep(Date.parse(expiresOn ?? "") - 301_000 - Date.now());
    const requests = env().idp.tokenRequests();
    const results = await Promise.all(Array.from({ length: 5 }, () => tokenFor(alice().sub, 302)));
    expect(results.map((r) => `${r.code} ${r.ok} ${r.message ?? ""}`)).toEqual(Array(5).fill("0 true "));
    expect(env().idp.tokenRequests()).toBe(requests + 1);
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(1);
  });

  it("is not blocked by a process that was killed while holding the cache lock", async () => {
    const crashed = await startWorker(["--crash-holding-lock", env().home]);
    expect(crashed.signal).toBe("SIGKILL");
    await expect(stat(tokenCachePaths(env().home).lockFile)).resolves.toBeDefined();
    // Sooner than the 20 s after which any untouched lock counts as stale: the dead holder itself must be noticed.
    expect(await before(seconds(10), "The lock of the killed process held the next one up", tokenFor(alice().sub))).toMatchObject({ code: 0, ok: true });
  });
});
