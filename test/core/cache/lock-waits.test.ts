import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PublicClientApplication } from "@azure/msal-node";
import type { ICachePlugin } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { FileLock, LockTimeoutError } from "../../../src/core/cache/file-lock.js";
import { acquireActiveAccountsLock, acquireCacheLock, acquireRequestLock } from "../../../src/core/cache/lock-waits.js";
import { openTokenCacheStore, tokenCachePaths } from "../../../src/core/cache/token-cache-store.js";
import type { TokenCacheStoreOptions } from "../../../src/core/cache/token-cache-store.js";
import { useTempHomes } from "../../e2e/support/demo-env.js";
import { useProcessKeyring } from "./support/keyring-session.js";

// The two locks of the shared token cache, held by a real other process: each profile's token-request lock
// (held across a refresh, so across the IdP's answer) and the cache lock (held while the keyring is read or written).
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "token-worker.mjs");
useProcessKeyring();
const newHome = useTempHomes();

/** Another process takes the lock and keeps it until `release`. */
async function holdLockInAnotherProcess(file: string) {
  const child = spawn(process.execPath, [WORKER, "--hold-lock", file], { stdio: ["pipe", "pipe", "inherit"] });
  const [line] = (await once(child.stdout.setEncoding("utf8"), "data")) as [string];
  expect(line.trim()).toBe("held");
  return {
    pid: child.pid ?? 0,
    release: async () => {
      child.stdin.end();
      await once(child, "exit");
    },
  };
}

const openStore = async (options: Partial<TokenCacheStoreOptions> = {}) => {
  const home = await newHome();
  const store = await openTokenCacheStore({ home, ...options });
  expect(store.status.kind).toBe("libsecret");
  return { store, paths: tokenCachePaths(home) };
};

const elapsedOf = async (work: () => Promise<unknown>) => {
  const started = Date.now();
  await work();
  return Date.now() - started;
};

describe("token requests", () => {
  it("of one profile do not wait for another profile's request in progress", async () => {
    const { store, paths } = await openStore({ requestWaitMs: 1_000 });
    const holder = await holdLockInAnotherProcess(paths.requestLockFile("work"));
    try {
      // Waiting for "work"'s holder would end in the error below after 1 s (requestWaitMs), so resolving is the check.
      await expect(store.exclusive("personal", async () => "ran")).resolves.toBe("ran");
      await expect(store.exclusive("work", async () => undefined)).rejects.toMatchObject({ kind: "unreachable" });
    } finally {
      await holder.release();
    }
  });

  // 32 s of real waiting: skipped by `npm run mutate`, where it would rerun for each of the lock's mutants.
  it.skipIf(process.env.ENTRA_TRAY_MUTATION_RUN)("wait for a request of the same profile that takes longer than one 30 s network timeout", async () => {
    const { store, paths } = await openStore();
    const holder = await holdLockInAnotherProcess(paths.requestLockFile("work"));
    const HOLD_MS = 32_000;
    const releasing = new Promise((resolve) => setTimeout(resolve, HOLD_MS)).then(() => holder.release());
    // The holder's lock file goes before its "exit" event arrives here, so time the wait rather than the exit.
    const waited = await elapsedOf(() => store.exclusive("work", async () => undefined));
    await releasing;
    expect(waited).toBeGreaterThanOrEqual(HOLD_MS - 50);
  }, 45_000);

  it("that waited too long say which live process holds the profile and why, kind unreachable, and leave its lock alone", async () => {
    const { store, paths } = await openStore({ requestWaitMs: 1_500 });
    const file = paths.requestLockFile("work");
    const holder = await holdLockInAnotherProcess(file);
    try {
      const error = await store.exclusive("work", async () => undefined).catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "unreachable",
        message: expect.stringMatching(new RegExp(`^Another entra-tray process \\(pid ${holder.pid}\\) has been refreshing the token of profile "work" for [23] s, probably waiting on the identity provider\\.$`)),
        action: `Try again in a minute: that process gives up by itself when the identity provider does not answer in time. If this keeps happening, check your connection to the identity provider (network, VPN, proxy); if that process seems stuck, end it (pid ${holder.pid}).`,
      });
      expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid: holder.pid });
    } finally {
      await holder.release();
    }
  });
});

describe("the cache lock", () => {
  it("when held too long by a live process, says which and what it is probably waiting for, and not to delete it", async () => {
    const { store, paths } = await openStore({ lockOptions: { timeoutMs: 1_500 } });
    const plugin = store.pluginFor("demo") as ICachePlugin;
    const msal = new PublicClientApplication({ auth: { clientId: "lock-test" }, cache: { cachePlugin: plugin } });
    const holder = await holdLockInAnotherProcess(paths.lockFile);
    try {
      const error = await msal.getAllAccounts().catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "secureStorageUnavailable",
        message: expect.stringMatching(new RegExp(`^Another entra-tray process \\(pid ${holder.pid}\\) has been using the token cache for [23] s, probably waiting for the keyring \\(an unlock prompt\\)\\.$`)),
        action: `Answer the keyring's unlock prompt if one is open, then try again; if that process seems stuck, end it (pid ${holder.pid}).`,
      });
      expect(JSON.parse(await readFile(paths.lockFile, "utf8"))).toMatchObject({ pid: holder.pid });
    } finally {
      await holder.release();
    }
  });
});

// Real lock files whose holder the test writes: one on another machine (so not checked for life here), one of this
// very process, and one whose start time is unreadable.
describe("a lock wait that runs out names the holder as the user can act on it", () => {
  const lockIn = async (owner: object | undefined) => {
    const { paths } = await openStore();
    const file = paths.requestLockFile("work");
    if (owner) await writeFile(file, JSON.stringify(owner));
    return new FileLock(file, { timeoutMs: 100 });
  };
  const ninetySecondsAgo = () => new Date(Date.now() - 90_000).toISOString();
  const failureOf = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the wait should run out"), (error: unknown) => error);

  it("a process on another machine sharing the folder, held for 90 s", async () => {
    const lock = await lockIn({ pid: 4242, host: "build-7", nonce: "n", since: ninetySecondsAgo() });
    expect(await failureOf(acquireRequestLock(lock, "work"))).toMatchObject({
      kind: "unreachable",
      message: 'Another entra-tray process (pid 4242 on build-7) has been refreshing the token of profile "work" for 90 s, probably waiting on the identity provider.',
      action: "Try again in a minute: that process gives up by itself when the identity provider does not answer in time. " +
        "If this keeps happening, check your connection to the identity provider (network, VPN, proxy); if that process seems stuck, end it (pid 4242 on build-7).",
      cause: expect.any(LockTimeoutError),
    });
  });

  it("an earlier request of this same process, whose start time is unreadable: the time waited", async () => {
    const lock = await lockIn({ pid: process.pid, host: hostname(), nonce: "n", since: "a while ago" });
    expect(await failureOf(acquireActiveAccountsLock(lock))).toMatchObject({
      kind: "unexpected",
      message: "An earlier request in this process has been changing the remembered active accounts for 0 s.",
      action: "Try again; if that process seems stuck, restart entra-tray.",
    });
  });

  it("the cache lock held on another machine", async () => {
    const lock = await lockIn({ pid: 7, host: "build-7", nonce: "n", since: ninetySecondsAgo() });
    expect(await failureOf(acquireCacheLock(lock))).toMatchObject({
      kind: "secureStorageUnavailable",
      message: "Another entra-tray process (pid 7 on build-7) has been using the token cache for 90 s, probably waiting for the keyring (an unlock prompt).",
      action: "Answer the keyring's unlock prompt if one is open, then try again; if that process seems stuck, end it (pid 7 on build-7).",
    });
  });

  it("a stale lock other waiters kept breaking, none of which could be named: the time waited", async () => {
    class BrokenByOthers extends FileLock {
      override acquire(): Promise<void> {
        return Promise.reject(new LockTimeoutError(this.path, undefined, 31_000));
      }
    }
    expect(await failureOf(acquireCacheLock(new BrokenByOthers("/nowhere/cache.lock")))).toMatchObject({
      message: "Another entra-tray process has been using the token cache for 31 s, probably waiting for the keyring (an unlock prompt).",
      action: "Answer the keyring's unlock prompt if one is open, then try again; if that process seems stuck, end the other entra-tray processes.",
    });
  });

  it("passes a failure that is neither a full disk nor a wait through as it is", async () => {
    const lock = new FileLock(path.join(await newHome(), "missing", "x.lock"));
    expect(await failureOf(acquireCacheLock(lock))).toMatchObject({ code: "ENOENT" });
  });
});
