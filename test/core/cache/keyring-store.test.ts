import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import type { AccountInfo, ICachePlugin } from "@azure/msal-node";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../src/core/auth/auth-service.js";
import { buildMsalConfiguration } from "../../../src/core/auth/msal-config.js";
import { FileLock } from "../../../src/core/cache/file-lock.js";
import { KEYRING_SERVICE, openTokenCacheStore, tokenCachePaths } from "../../../src/core/cache/token-cache-store.js";
import type { TokenCacheStore } from "../../../src/core/cache/token-cache-store.js";
import { useDemoBrowser } from "../../e2e/support/demo-browser.js";
import { useDemoEnv, useTempHomes } from "../../e2e/support/demo-env.js";
import { demoProfile, ScriptedBrowser } from "../auth/support/e2e-harness.js";
import { before, seconds } from "../../support/bound.js";
import { triedFor } from "../../support/lock-tries.js";
import { useProcessKeyring } from "./support/keyring-session.js";

// A real, unlocked GNOME Keyring on a private D-Bus session, real MSAL, real sign-ins at the demo IdP in Chromium.
// Each "restart" is a fresh store, plugin and AuthService on the same app home, as a new process would make.
const keyring = useProcessKeyring();
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
const newHome = useTempHomes();
const alice = () => env().user(0);
const bob = () => env().user(1);
const profile = () => demoProfile(env().idp);
/** A service for one profile (its section of the shared cache document), all of them at the demo IdP. */
const serviceOn = (store: TokenCacheStore, section = "demo") =>
  new AuthService({ profile: { ...profile(), name: section }, openBrowser: acts.open, cachePlugin: requirePlugin(store, section) });
const msalOn = (plugin: ICachePlugin) =>
  new PublicClientApplication(buildMsalConfiguration(profile(), { cachePlugin: plugin }).configuration);

function requirePlugin(store: TokenCacheStore, section = "demo"): ICachePlugin {
  const plugin = store.pluginFor(section);
  if (!plugin) throw new Error(`No cache plugin: ${store.status.description}`);
  return plugin;
}

async function signIn(service: AuthService, username: string) {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: username }));
  const [account] = await Promise.all([service.signIn({ timeoutMs: 30_000, selectAccount: true }), browsing]);
  return account;
}

/** An app home where the given users have signed in (each sign-in through the keyring-backed cache). */
async function homeWithSignIns(...usernames: string[]): Promise<string> {
  const home = await newHome();
  const service = serviceOn(await openTokenCacheStore({ home }));
  for (const username of usernames) await signIn(service, username);
  return home;
}

const storedDocument = async (home: string) => {
  const text = await keyring().lookup({ service: KEYRING_SERVICE, account: tokenCachePaths(home).keyringAccount });
  return text === undefined ? undefined : JSON.parse(text) as { version: number; profiles: Record<string, Record<string, Record<string, { secret: string }>>> };
};

describe("the token cache in the Secret Service keyring (libsecret)", () => {
  it("opens the keyring, says so, and keeps its folder private", async () => {
    const home = await newHome();
    const store = await openTokenCacheStore({ home });
    expect(store.status).toMatchObject({
      kind: "libsecret", persistent: true, encrypted: true, location: path.join(home, "token-cache"),
      description: "Tokens are encrypted in the Secret Service keyring (libsecret).",
    });
    expect(store.status.problem).toBeUndefined();
    expect(store.status.warning).toBeUndefined();
    expect((await stat(path.join(home, "token-cache"))).mode & 0o777).toBe(0o700);
  });

  it("after a restart, restores the account and serves the still-valid token without asking the IdP", async () => {
    const home = await newHome();
    const first = serviceOn(await openTokenCacheStore({ home }));
    await signIn(first, alice().username);
    const token = await first.getToken();
    const requests = env().idp.tokenRequests();

    const second = serviceOn(await openTokenCacheStore({ home }));
    expect(await second.loadAccounts()).toMatchObject({ status: "signedIn", account: { username: alice().username } });
    const again = await second.getToken();
    expect(again.accessToken).toBe(token.accessToken);
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("writes nothing to the keyring when reading finds nothing stored", async () => {
    // A locked keyring also answers "nothing": a read that wrote would pop an unlock prompt whose acceptance
    // would replace every profile's sign-ins with an empty cache.
    const home = await newHome();
    const msal = msalOn(requirePlugin(await openTokenCacheStore({ home })));
    expect(await msal.getAllAccounts()).toEqual([]);
    expect(await storedDocument(home)).toBeUndefined();
  });

  it("trusts the keyring without writing a test entry when its own entry loads, and checks it otherwise", async () => {
    // A folder where msal-node-extensions' check would write its test file makes the check fail.
    const home = await homeWithSignIns(alice().username);
    await mkdir(path.join(tokenCachePaths(home).dir, "test.cache"));
    expect((await openTokenCacheStore({ home })).status.kind).toBe("libsecret");

    const empty = await newHome();
    await mkdir(path.join(tokenCachePaths(empty).dir, "test.cache"), { recursive: true });
    expect((await openTokenCacheStore({ home: empty })).status).toMatchObject({ kind: "memory", problem: { message: expect.stringMatching(/EISDIR/) } });
  });

  it("keeps the tokens in the keyring entry and nowhere on disk", async () => {
    const home = await homeWithSignIns(alice().username);
    const document = await storedDocument(home);
    const section = document?.profiles.demo;
    const secrets = [section?.AccessToken, section?.RefreshToken, section?.IdToken].flatMap((entries) => Object.values(entries ?? {}).map((e) => e.secret));
    expect(secrets).toHaveLength(3);
    const { dir } = tokenCachePaths(home);
    for (const name of await readdir(dir)) {
      const content = await readFile(path.join(dir, name), "utf8");
      for (const secret of secrets) expect(content.includes(secret), `${name} holds a token`).toBe(false);
    }
  });

  it("keeps every other profile's sign-ins when one profile's cache changes", async () => {
    // One keyring entry holds every profile's section: a write must replace only its own.
    const home = await newHome();
    const store = await openTokenCacheStore({ home });
    const [demo, work] = [serviceOn(store, "demo"), serviceOn(store, "work")];
    await signIn(demo, alice().username);
    await signIn(work, bob().username);
    expect(Object.keys((await storedDocument(home))?.profiles ?? {}).sort()).toEqual(["demo", "work"]);

    await demo.signOut({ openBrowser: false });
    const restarted = await openTokenCacheStore({ home });
    expect(await serviceOn(restarted, "demo").loadAccounts()).toEqual({ status: "signedOut" });
    expect(await serviceOn(restarted, "work").loadAccounts()).toMatchObject({ status: "signedIn", account: { username: bob().username } });
  });

  it("loses no update when two processes change the cache at the same moment", async () => {
    const home = await homeWithSignIns(alice().username, bob().username);
    const store = await openTokenCacheStore({ home });
    const [a, b] = [msalOn(requirePlugin(store)), msalOn(requirePlugin(store))];
    const find = (accounts: AccountInfo[], index: number) => accounts.find((x) => x.username === env().user(index).username);
    const [seenByA, seenByB] = [await a.getAllAccounts(), await b.getAllAccounts()];
    expect(seenByA).toHaveLength(2);

    // A third process is writing: both removals start meanwhile and wait for the lock.
    const writer = new FileLock(tokenCachePaths(home).lockFile);
    await writer.acquire();
    const bothWait = triedFor(tokenCachePaths(home).lockFile, 2);
    const removals = Promise.all([
      a.getTokenCache().removeAccount(find(seenByA, 0) as AccountInfo),
      b.getTokenCache().removeAccount(find(seenByB, 1) as AccountInfo),
    ]);
    await before(seconds(10), "The removals never tried the cache lock", bothWait);
    await writer.release();
    await removals;

    const after = await msalOn(requirePlugin(await openTokenCacheStore({ home }))).getAllAccounts();
    expect(after).toEqual([]);
  });

  it("is not held up by a lock file that a crashed process left behind", async () => {
    const home = await homeWithSignIns(alice().username);
    const { lockFile } = tokenCachePaths(home);
    await writeFile(lockFile, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), nonce: "crashed" }));
    // Sooner than the lock's own timeout and staleness (20 s and more), which would also get past it, slowly.
    const status = async () => (await serviceOn(await openTokenCacheStore({ home })).loadAccounts()).status;
    expect(await before(seconds(5), "The crashed process's lock held the cache up", status())).toBe("signedIn");
  });

  it("starts signed out when the keyring entry is unreadable, keeps the bad copy in the keyring, and says so", async () => {
    const home = await homeWithSignIns(alice().username);
    const { keyringAccount } = tokenCachePaths(home);
    await keyring().store({ service: KEYRING_SERVICE, account: keyringAccount }, "{ not json");
    const warnings: string[] = [];
    const service = serviceOn(await openTokenCacheStore({ home, onWarning: (w) => warnings.push(w) }));

    expect(await service.loadAccounts()).toEqual({ status: "signedOut" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The saved sign-ins could not be read \(it is not a token cache that entra-tray wrote\), so every profile starts signed out\. The unreadable copy was kept in the keyring as "entra-tray" \/ "token cache in .+ \(unreadable, [\dT-]+Z\)"\. Sign in again\.$/);
    const asideAccount = /\/ "(.+)"\. Sign in/.exec(warnings[0] ?? "")?.[1] ?? "";
    expect(await keyring().lookup({ service: KEYRING_SERVICE, account: asideAccount })).toBe("{ not json");
    expect(await storedDocument(home)).toEqual({ version: 1, profiles: {} });

    await signIn(service, alice().username);
    const restarted = serviceOn(await openTokenCacheStore({ home }));
    expect((await restarted.loadAccounts()).status).toBe("signedIn");
  });

  it.each([
    ["an entry that is not an object", { Account: { broken: null } }, /\(it is not a token cache that entra-tray wrote\)/],
    ["an entry MSAL cannot deserialize", { Account: { broken: { tenantProfiles: ["{"] } } },
      /\(MSAL cannot read the entries of profile demo: Expected property name .+\)/],
  ])("sets aside a cache holding %s", async (_, section, why) => {
    const home = await newHome();
    await keyring().store({ service: KEYRING_SERVICE, account: tokenCachePaths(home).keyringAccount },
      JSON.stringify({ version: 1, profiles: { demo: section } }));
    const warnings: string[] = [];
    const service = serviceOn(await openTokenCacheStore({ home, onWarning: (w) => warnings.push(w) }));
    expect(await service.loadAccounts()).toEqual({ status: "signedOut" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(why);
  });

  it("checks the keyring once per start-up, one start-up at a time, even when many start together", async () => {
    const home = await newHome();
    const stores = await Promise.all(Array.from({ length: 8 }, () => openTokenCacheStore({ home })));
    expect(stores.map((s) => s.status.kind)).toEqual(Array(8).fill("libsecret"));
  });

  it("moves a plaintext cache left from a time without keyring into the keyring, and deletes the file", async () => {
    const from = await homeWithSignIns(alice().username);
    const home = await newHome();
    const { plaintextFile, dir } = tokenCachePaths(home);
    await openTokenCacheStore({ home }); // creates the folder
    await writeFile(plaintextFile, JSON.stringify(await storedDocument(from)), { mode: 0o600 });
    const warnings: string[] = [];
    const service = serviceOn(await openTokenCacheStore({ home, onWarning: (w) => warnings.push(w) }));
    expect(warnings).toEqual([
      "Secure storage works again: the sign-ins kept in the plaintext file were added to it and the file was deleted.",
    ]);
    expect(await readdir(dir)).not.toContain(path.basename(plaintextFile));
    expect(await service.loadAccounts()).toMatchObject({ status: "signedIn", account: { username: alice().username } });
  });

  it("moves a plaintext cache into a keyring that already holds sign-ins, keeping the accounts of both", async () => {
    const home = await homeWithSignIns(alice().username);
    const plain = await storedDocument(await homeWithSignIns(bob().username));
    const { plaintextFile } = tokenCachePaths(home);
    await writeFile(plaintextFile, JSON.stringify({ version: 1, profiles: { demo: plain?.profiles.demo, work: plain?.profiles.demo } }), { mode: 0o600 });
    const warnings: string[] = [];
    const store = await openTokenCacheStore({ home, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      "Secure storage works again: the sign-ins kept in the plaintext file were added to it and the file was deleted.",
    ]);
    const usernames = (await msalOn(requirePlugin(store)).getAllAccounts()).map((account) => account.username);
    expect(usernames.sort()).toEqual([alice().username, bob().username].sort());
    expect(Object.keys((await storedDocument(home))?.profiles ?? {}).sort()).toEqual(["demo", "work"]);
  });

  it("deletes the copies of a plaintext cache set aside, with their tokens, once the keyring works", async () => {
    const home = await homeWithSignIns(alice().username);
    const { plaintextFile, dir } = tokenCachePaths(home);
    const aside = `${plaintextFile}.unreadable-2026-11-01T00-00-00-000Z`;
    await writeFile(aside, JSON.stringify(await storedDocument(await homeWithSignIns(bob().username))).slice(0, 2000), { mode: 0o600 });
    await openTokenCacheStore({ home });
    expect((await readdir(dir)).filter((name) => name.includes(".unreadable-"))).toEqual([]);
  });

  // Last: locking is for good in this file, so these sign in and read the cache before the first lock.
  describe("once the keyring is locked while in use", () => {
    let store: TokenCacheStore;
    let reader: AuthService;
    beforeAll(async () => {
      store = await openTokenCacheStore({ home: await homeWithSignIns(alice().username) });
      reader = serviceOn(store);
      await reader.loadAccounts();
    });

    it("a sign-out whose removal cannot be stored fails with secureStorageUnavailable, saying the keyring is locked", async () => {
      // The screen locker strikes between the sign-out's read of the cache and its write.
      const plugin = requirePlugin(store);
      const service = new AuthService({ profile: profile(), openBrowser: acts.open, cachePlugin: {
        beforeCacheAccess: async (context) => {
          await plugin.beforeCacheAccess(context);
          if (context.cacheHasChanged) await keyring().lock();
        },
        afterCacheAccess: (context) => plugin.afterCacheAccess(context),
      } });
      await service.loadAccounts();
      const error = await service.signOut({ openBrowser: false }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "secureStorageUnavailable", message: expect.stringMatching(/^The keyring is locked \(.+\)\.$/) });
      expect(service.state).toMatchObject({ status: "error", error: { kind: "secureStorageUnavailable" } });
    });

    it("fails token requests with secureStorageUnavailable, and says to unlock it", async () => {
      // libsecret answers a lookup in a locked keyring with "nothing", as for an empty one: only having seen the
      // entry tells the two apart (no read-only call does, and writing is what must not happen).
      await keyring().lock();
      const error = await reader.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "secureStorageUnavailable",
        message: "The keyring stopped returning the saved sign-ins: it was probably locked (or entra-tray's entry in it was removed).",
        action: expect.stringMatching(/^Unlock your login keyring .* "allowPlaintextCache": true in config\.json\.$/),
      });
      expect(reader.state).toMatchObject({ status: "error", error: { kind: "secureStorageUnavailable" } });
    });
  });
});
