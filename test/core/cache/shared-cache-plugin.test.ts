import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { openPlaintextFile } from "../../../src/core/cache/plaintext-file.js";
import { SharedCachePlugin } from "../../../src/core/cache/shared-cache-plugin.js";
import type { CacheBackend } from "../../../src/core/cache/shared-cache-plugin.js";
import { useTempHomes } from "../../support/temp-homes.js";

// The plugin between real MSAL Node and a real cache file and lock, in this process, without an IdP: each profile's
// section holds accounts built in MSAL's own serialized shape, which MSAL lists and removes as it would signed-in
// ones. (The keyring tests cover the same plugin with real sign-ins through a browser, seconds a test.)

const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const ENVIRONMENT = "login.example.test";
const TENANT = "66666666-7777-8888-9999-000000000000";

/** An unsigned JWT: MSAL only decodes an ID token it reads from its cache. */
const idToken = (claims: Record<string, unknown>) =>
  [{ alg: "none" }, claims, "signature"].map((part) => Buffer.from(typeof part === "string" ? part : JSON.stringify(part)).toString("base64url")).join(".");

/** One signed-in account as MSAL Node 7 serializes it: its account entry, ID token and refresh token. */
function accountEntries(user: string) {
  const oid = `${user}-object-id`;
  const homeAccountId = `${oid}.${TENANT}`;
  // MSAL's credential keys: account, environment, type, client, realm, target (scopes), scheme; lower case.
  const credentialKey = (type: string, realm = "") => [homeAccountId, ENVIRONMENT, type, CLIENT_ID, realm, "", ""].join("-").toLowerCase();
  const credential = { home_account_id: homeAccountId, environment: ENVIRONMENT, client_id: CLIENT_ID };
  return {
    Account: {
      [[homeAccountId, ENVIRONMENT, TENANT].join("-").toLowerCase()]: {
        home_account_id: homeAccountId, environment: ENVIRONMENT, realm: TENANT, local_account_id: oid,
        username: `${user}@example.test`, authority_type: "MSSTS", name: user,
        client_info: Buffer.from(JSON.stringify({ uid: oid, utid: TENANT })).toString("base64url"),
        tenantProfiles: [JSON.stringify({ tenantId: TENANT, localAccountId: oid, name: user, isHomeTenant: true })],
      },
    },
    IdToken: {
      [credentialKey("idtoken", TENANT)]: {
        ...credential, credential_type: "IdToken", realm: TENANT,
        secret: idToken({ oid, tid: TENANT, sub: oid, preferred_username: `${user}@example.test`, name: user, aud: CLIENT_ID }),
      },
    },
    RefreshToken: {
      [credentialKey("refreshtoken")]: { ...credential, credential_type: "RefreshToken", secret: `refresh-token-of-${user}` },
    },
  };
}

/** A profile's MSAL section holding the given users. */
function section(...users: string[]): Record<string, Record<string, unknown>> {
  const joined: Record<string, Record<string, unknown>> = {
    Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {},
    AppMetadata: { [`appmetadata-${ENVIRONMENT}-${CLIENT_ID}`]: { client_id: CLIENT_ID, environment: ENVIRONMENT } },
  };
  for (const entries of users.map(accountEntries)) for (const [kind, values] of Object.entries(entries)) Object.assign(joined[kind] ?? {}, values);
  return joined;
}

const msalWith = (plugin: SharedCachePlugin) =>
  new PublicClientApplication({ auth: { clientId: CLIENT_ID, authority: `https://${ENVIRONMENT}/${TENANT}` }, cache: { cachePlugin: plugin } });

const documentOf = (profiles: Record<string, unknown>) => JSON.stringify({ version: 1, profiles });

const newFolder = useTempHomes();

/** A cache file (and its lock) in a fresh folder, and what a test's plugins do to it. */
async function cacheFolder(stored?: string) {
  const dir = await newFolder();
  const file = path.join(dir, "token-cache.json");
  if (stored !== undefined) await writeFile(file, stored);
  const lockPath = path.join(dir, "token-cache.lock");
  const lockHeld = () => existsSync(lockPath);
  /** Every load and save, with the lock file's content at that moment ("" when no lock was held). */
  const accesses: { access: "load" | "save"; lock: string }[] = [];
  const record = async (access: "load" | "save") => {
    accesses.push({ access, lock: await readFile(lockPath, "utf8").catch(() => "") });
  };
  const saved: string[] = [];
  const warnings: string[] = [];
  const plaintext = await openPlaintextFile(file);
  /** A plugin for `profile`, over the real file (or the backend `adapt` makes of it), as a process would make it. */
  const msal = (profile: string, adapt: (backend: CacheBackend) => CacheBackend = (backend) => backend) => {
    const backend = adapt({
      ...plaintext,
      load: async () => {
        await record("load");
        return plaintext.load();
      },
      save: async (text) => {
        await record("save");
        saved.push(text);
        await plaintext.save(text);
      },
    });
    const plugin = new SharedCachePlugin({ backend, lockPath, lockOptions: { timeoutMs: 300 }, profile, onWarning: (message) => warnings.push(message) });
    return msalWith(plugin);
  };
  const storedDocument = async () => JSON.parse(await readFile(file, "utf8")) as { version: number; profiles: Record<string, Record<string, Record<string, unknown>>> };
  return { dir, file, lockPath, accesses, saved, warnings, msal, stored: storedDocument, lockHeld };
}

const usernames = async (app: PublicClientApplication) => (await app.getTokenCache().getAllAccounts()).map((account) => account.username).sort();

describe("SharedCachePlugin", () => {
  it("hands MSAL its own profile's section of the shared document, and writes nothing to read it", async () => {
    const text = documentOf({ work: section("alice", "bob"), demo: section("carol") });
    const cache = await cacheFolder(text);
    expect(await usernames(cache.msal("work"))).toEqual(["alice@example.test", "bob@example.test"]);
    expect(await usernames(cache.msal("demo"))).toEqual(["carol@example.test"]);
    expect(await usernames(cache.msal("other"))).toEqual([]);
    expect(cache.saved).toEqual([]);
    expect(await readFile(cache.file, "utf8")).toBe(text);
    expect(cache.lockHeld()).toBe(false);
  });

  it("writes nothing when nothing is stored, even for a profile never seen", async () => {
    const cache = await cacheFolder();
    expect(await usernames(cache.msal("work"))).toEqual([]);
    // A keyring answers "nothing" with null, not with an empty text.
    expect(await usernames(cache.msal("work", (backend) => ({ ...backend, load: () => Promise.resolve(null) })))).toEqual([]);
    expect(cache.saved).toEqual([]);
    expect(cache.warnings).toEqual([]);
    expect(await readFile(cache.file, "utf8")).toBe("");
  });

  it("writes a profile's change into its own section and keeps every other profile's sign-ins as they were", async () => {
    const cache = await cacheFolder(documentOf({ work: section("alice", "bob"), demo: section("carol"), other: section("dave") }));
    const app = cache.msal("work");
    const [alice] = (await app.getTokenCache().getAllAccounts()).filter((account) => account.username === "alice@example.test");
    if (!alice) throw new Error("alice was not listed");
    await app.getTokenCache().removeAccount(alice);

    const stored = await cache.stored();
    expect(stored.version).toBe(1);
    expect(Object.keys(stored.profiles).sort()).toEqual(["demo", "other", "work"]);
    expect(stored.profiles.demo).toEqual(section("carol"));
    expect(stored.profiles.other).toEqual(section("dave"));
    expect(Object.values(stored.profiles.work?.Account ?? {})).toEqual([expect.objectContaining({ username: "bob@example.test" })]);
    expect(JSON.stringify(stored.profiles.work)).not.toContain("alice");
    expect(cache.saved).toHaveLength(1);
    expect(cache.lockHeld()).toBe(false);
    expect(await usernames(cache.msal("work"))).toEqual(["bob@example.test"]);
  });

  it("holds the lock for every read, and for a change from its read until its save (one holding, not two)", async () => {
    const cache = await cacheFolder(documentOf({ work: section("alice", "bob") }));
    const app = cache.msal("work");
    const [alice] = await app.getTokenCache().getAllAccounts();
    if (!alice) throw new Error("alice was not listed");
    await app.getTokenCache().removeAccount(alice);
    const [listing, changeRead, changeSave, ...more] = cache.accesses;
    expect(more).toEqual([]);
    expect([listing?.access, changeRead?.access, changeSave?.access]).toEqual(["load", "load", "save"]);
    expect(listing?.lock).toContain(`"pid":${process.pid}`);
    expect(changeRead?.lock).toContain(`"pid":${process.pid}`);
    // The lock file names its holding by a nonce: the same text is the same holding, never released in between.
    expect(changeSave?.lock).toBe(changeRead?.lock);
    expect(changeRead?.lock).not.toBe(listing?.lock);
    expect(cache.lockHeld()).toBe(false);
  });

  it("reads the stored document at every access: what another process removed does not come back", async () => {
    const cache = await cacheFolder(documentOf({ work: section("alice", "bob") }));
    const first = cache.msal("work");
    const second = cache.msal("work");
    expect(await usernames(first)).toEqual(["alice@example.test", "bob@example.test"]);

    const [bob] = (await second.getTokenCache().getAllAccounts()).filter((account) => account.username === "bob@example.test");
    if (!bob) throw new Error("bob was not listed");
    await second.getTokenCache().removeAccount(bob);
    expect(await usernames(first)).toEqual(["alice@example.test"]);

    // The first process's next change is made to the document as stored when it changes it: a sign-in another
    // process stored since its last read is kept.
    const [alice] = await first.getTokenCache().getAllAccounts();
    if (!alice) throw new Error("alice was not listed");
    await writeFile(cache.file, documentOf({ work: section("alice", "dave") }));
    await first.getTokenCache().removeAccount(alice);
    expect((await cache.stored()).profiles.work).toEqual(section("dave"));
  });

  it("keeps the authority metadata MSAL cached in memory when it reloads the stored document", async () => {
    const cache = await cacheFolder(documentOf({ work: section("alice") }));
    const app = cache.msal("work");
    const store = app.getTokenCache().getKVStore() as Record<string, unknown>;
    store[`authority-metadata-${CLIENT_ID}-${ENVIRONMENT}`] = { aliases: [ENVIRONMENT] };
    expect(await usernames(app)).toEqual(["alice@example.test"]);
    expect(app.getTokenCache().getKVStore()).toHaveProperty([`authority-metadata-${CLIENT_ID}-${ENVIRONMENT}`], { aliases: [ENVIRONMENT] });
  });

  it("saves nothing when a change leaves the section as it was", async () => {
    const cache = await cacheFolder(documentOf({ work: section("alice") }));
    const app = cache.msal("work");
    await app.getTokenCache().removeAccount({ homeAccountId: "nobody.nowhere", environment: ENVIRONMENT, tenantId: TENANT, username: "nobody", localAccountId: "nobody" });
    expect(cache.accesses.map(({ access }) => access)).toEqual(["load"]);
    expect(cache.saved).toEqual([]);
    expect(await usernames(app)).toEqual(["alice@example.test"]);
    expect(cache.lockHeld()).toBe(false);
  });

  describe("when storage fails", () => {
    const storageError = (message: string) => new AuthError("secureStorageUnavailable", message, "Fix the storage.");
    const failing = (error: unknown) => async (): Promise<never> => {
      await Promise.resolve();
      throw error;
    };

    it("passes on the backend's own AuthError from a read, and frees the lock", async () => {
      const cache = await cacheFolder(documentOf({ work: section("alice") }));
      const error = storageError("The keyring is locked.");
      // Not rephrased as the backend's other failures are (a keyring that stopped answering already says so).
      const app = cache.msal("work", (backend) => ({ ...backend, load: failing(error), describeFailure: () => storageError("rephrased") }));
      await expect(app.getTokenCache().getAllAccounts()).rejects.toBe(error);
      expect(cache.lockHeld()).toBe(false);
      expect(await usernames(cache.msal("work"))).toEqual(["alice@example.test"]);
    });

    it("describes any other read failure through the backend, keeps the stored copy, and frees the lock", async () => {
      const text = documentOf({ work: section("alice") });
      const cache = await cacheFolder(text);
      const described = storageError("described");
      const app = cache.msal("work", (backend) => ({
        ...backend, load: failing(new Error("EIO: i/o error")),
        describeFailure: (error) => (error instanceof Error && error.message === "EIO: i/o error" ? described : storageError("wrong error")),
      }));
      await expect(app.getTokenCache().getAllAccounts()).rejects.toBe(described);
      // A write that could not read first writes nothing either.
      await expect(app.getTokenCache().removeAccount({ homeAccountId: "x.y", environment: ENVIRONMENT, tenantId: TENANT, username: "x", localAccountId: "x" })).rejects.toBe(described);
      expect(cache.saved).toEqual([]);
      expect(await readFile(cache.file, "utf8")).toBe(text);
      expect(cache.warnings).toEqual([]);
      expect(cache.lockHeld()).toBe(false);
    });

    it("starts signed out and says why when the stored copy cannot be decrypted (DPAPI)", async () => {
      const cache = await cacheFolder(documentOf({ work: section("alice") }));
      const kept: (string | undefined)[] = [];
      const app = cache.msal("work", (backend) => ({
        ...backend, unreadableWhenLoadFails: true,
        load: failing(new Error("CachePersistenceError: Decryption failed with the error: Error: The data is invalid.")),
        keepAside: async (text) => {
          kept.push(text);
          return "beside it as token-cache.json.unreadable";
        },
      }));
      expect(await usernames(app)).toEqual([]);
      expect(kept).toEqual([undefined]);
      expect(cache.warnings).toEqual(["The saved sign-ins could not be read (it could not be decrypted: The data is invalid), so every profile " +
        "starts signed out. The unreadable copy was kept beside it as token-cache.json.unreadable. Sign in again."]);
      expect(await cache.stored()).toEqual({ version: 1, profiles: {} });
    });

    it("still starts signed out when the unreadable copy cannot be kept aside, and says that too", async () => {
      const cache = await cacheFolder("not a cache");
      const app = cache.msal("work", (backend) => ({
        ...backend, keepAside: failing(new Error("ENOSPC")),
        describeFailure: (error) => storageError(`the disk is full (${error instanceof Error ? error.message : "?"})`),
      }));
      expect(await usernames(app)).toEqual([]);
      expect(cache.warnings).toEqual(["The saved sign-ins could not be read (it is not a token cache that entra-tray wrote), so every profile " +
        "starts signed out. Keeping the unreadable copy failed too (the disk is full (ENOSPC)). Sign in again."]);
    });

    it("fails a read that must replace an unreadable copy it cannot write, and frees the lock", async () => {
      const cache = await cacheFolder("not a cache");
      const described = storageError("described");
      const app = cache.msal("work", (backend) => ({ ...backend, save: failing(new Error("EROFS")), describeFailure: () => described }));
      await expect(app.getTokenCache().getAllAccounts()).rejects.toBe(described);
      expect(await readFile(cache.file, "utf8")).toBe("not a cache");
      expect(cache.warnings).toEqual([]);
      expect(cache.lockHeld()).toBe(false);
    });

    it("fails a change it cannot save with the backend's description, keeps the stored document, and frees the lock", async () => {
      const text = documentOf({ work: section("alice", "bob"), demo: section("carol") });
      const cache = await cacheFolder(text);
      const described = storageError("described");
      const app = cache.msal("work", (backend) => ({ ...backend, save: failing(new Error("ENOSPC: no space left on device")), describeFailure: () => described }));
      const [alice] = await app.getTokenCache().getAllAccounts();
      if (!alice) throw new Error("alice was not listed");
      await expect(app.getTokenCache().removeAccount(alice)).rejects.toBe(described);
      expect(await readFile(cache.file, "utf8")).toBe(text);
      expect(cache.lockHeld()).toBe(false);
      expect(await usernames(cache.msal("work"))).toEqual(["alice@example.test", "bob@example.test"]);
    });
  });

  describe.each([
    ["is not JSON", '{ "secret": "kept-secret", not json', "it is not a token cache that entra-tray wrote"],
    ["is another program's JSON", JSON.stringify({ version: 2, profiles: {}, secret: "kept-secret" }), "it is not a token cache that entra-tray wrote"],
    ["holds entries MSAL cannot read",
      documentOf({ work: { Account: { broken: { home_account_id: "x", tenantProfiles: ["{ not json"] } }, IdToken: { kept: { secret: "kept-secret" } } } }),
      "MSAL cannot read the entries of profile work: "],
  ])("when the stored document %s", (_, text, why) => {
    it("starts signed out in a process that listens for no warnings too", async () => {
      const cache = await cacheFolder(text);
      const backend = await openPlaintextFile(cache.file);
      const plugin = new SharedCachePlugin({ backend, lockPath: cache.lockPath, profile: "work" });
      const app = msalWith(plugin);
      expect(await usernames(app)).toEqual([]);
      expect(await cache.stored()).toEqual({ version: 1, profiles: {} });
    });

    it("starts every profile signed out, keeps the copy aside without its secrets, and says so once", async () => {
      const cache = await cacheFolder(text);
      expect(await usernames(cache.msal("work"))).toEqual([]);
      expect(await cache.stored()).toEqual({ version: 1, profiles: {} });
      const asides = (await readdir(cache.dir)).filter((name) => name.includes(".unreadable-"));
      expect(asides).toHaveLength(1);
      const aside = path.join(cache.dir, asides[0] ?? "");
      expect(await readFile(aside, "utf8")).toBe(text.replace("kept-secret", "(removed)"));
      // MSAL's own reason follows the colon; the rest is ours, exactly.
      const reason = why.endsWith(": ") ? ".+" : "";
      expect(cache.warnings).toEqual([expect.stringMatching(new RegExp(`^The saved sign-ins could not be read \\(${escape(why)}${reason}\\), ` +
        `so every profile starts signed out\\. The unreadable copy was kept at ${escape(aside)}, its token values removed\\. Sign in again\\.$`))]);
      // The empty document now stored reads cleanly: nothing is set aside again.
      expect(await usernames(cache.msal("demo"))).toEqual([]);
      expect(cache.warnings).toHaveLength(1);
      expect(cache.lockHeld()).toBe(false);
    });
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
