import { watch } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FileLock, LockTimeoutError } from "../../../src/core/cache/file-lock.js";
import { acquireCacheLock } from "../../../src/core/cache/lock-waits.js";
import { before, seconds } from "../../support/bound.js";
import { mountTmpfs } from "../../support/mounts.js";
import { isTryOf, triedFor } from "../../support/lock-tries.js";
import { deadPid, liveProcess } from "../../support/processes.js";
import { beforeNextReaddir, clearReaddirHook, readdirHookPending } from "../../support/readdir-hook.js";

// The real readdir, except that a test can change the lock just before a waiter lists the break turns: after the
// waiter read it as stale and before its turn to break it, as another process could.
vi.mock("node:fs/promises", async (importOriginal) => (await import("../../support/readdir-hook.js")).withReaddirHook(await importOriginal()));

// Real files and real processes: a lock file left by a process that is gone, one held by a live process, and
// one whose live-looking holder has stopped touching it.
let dir: string;
let lockPath: string;
let cases = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "entra-tray-lock-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(clearReaddirHook);
const freshLockPath = () => (lockPath = path.join(dir, `case-${++cases}.lock`));

/** A 64 KiB tmpfs filled up to the last byte, or why there can be none here. */
async function fullTmpfs(): Promise<{ dir: string; unmount: () => Promise<void> } | string> {
  const dir = await mkdtemp(path.join(tmpdir(), "entra-tray-full-"));
  const unmounted = mountTmpfs(dir, "64k");
  if (typeof unmounted === "string") {
    await rm(dir, { recursive: true });
    return unmounted;
  }
  await writeFile(path.join(dir, "filler"), Buffer.alloc(1024 * 1024)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOSPC") throw error;
  });
  return { dir, unmount: async () => { unmounted(); await rm(dir, { recursive: true }); } };
}

const writeOwner = (pid: number, host = hostname()) =>
  writeFile(lockPath, JSON.stringify({ pid, host, nonce: `n-${pid}`, since: new Date().toISOString() }));

/** The break turns' files beside the lock, as `break.<n>`, each checked to be marked finished (mtime 0). */
async function finishedTurns(): Promise<string[]> {
  const prefix = `${path.basename(lockPath)}.`;
  const names = (await readdir(dir)).filter((name) => name.startsWith(`${prefix}break`)).sort();
  for (const name of names) expect((await stat(path.join(dir, name))).mtimeMs, `${name} is not marked finished`).toBe(0);
  return names.map((name) => name.slice(prefix.length));
}

describe("FileLock", () => {
  // After a break, the last turn's file stays (finished): turn numbers only grow, so none is ever taken twice. A
  // waiter that read the stale lock before it was broken may take a later turn and find nothing left to break.
  it.each([
    ["with no lock there", async () => undefined, undefined],
    ["from a lock left by a process that is gone", async () => writeOwner(await deadPid()), 0],
    ["from a lock left by a process that is gone, and a break turn a crash left", async () => {
      await writeOwner(await deadPid());
      await writeFile(`${lockPath}.break.0`, JSON.stringify({ pid: await deadPid(), host: hostname(), nonce: "crashed", since: "" }));
    }, 1],
  ])("lets one holder in at a time, among many waiting in parallel, %s", async (_case, leftBehind, firstTurn) => {
    freshLockPath();
    await leftBehind();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => new FileLock(lockPath).run(async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(2);
      order.push(i);
      inside--;
    })));
    expect(most).toBe(1);
    expect(order).toHaveLength(12);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: "ENOENT" });
    const turns = await finishedTurns();
    if (firstTurn === undefined) expect(turns).toEqual([]);
    else {
      expect(turns).toHaveLength(1);
      expect(Number(turns[0]?.replace(/^break\./, ""))).toBeGreaterThanOrEqual(firstTurn);
    }
  });

  it("names its holder in the lock file, readable only by the user", async () => {
    freshLockPath();
    const lock = new FileLock(lockPath);
    await lock.acquire();
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
    expect((await stat(lockPath)).mode & 0o777).toBe(0o600);
    await lock.release();
  });

  it("recovers at once a lock left by a process that is no longer running", async () => {
    freshLockPath();
    await writeOwner(await deadPid());
    // At once, not after the 20 s that makes any untouched lock stale: the bound fails a lock that waits that out.
    await before(seconds(5), "The lock of a process that is gone was not taken over at once", new FileLock(lockPath).run(async () => undefined));
  });

  it("waits for a live holder and then gives up with an error naming it", async () => {
    freshLockPath();
    const holder = await liveProcess();
    try {
      await writeOwner(holder.pid);
      const error = await new FileLock(lockPath, { timeoutMs: 300 }).acquire().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect(error).toMatchObject({ name: "LockTimeoutError", path: lockPath, owner: { pid: holder.pid } });
      // 0.3 s, rounded; a slow disk can make the wait last past half a second.
      const said = `${lockPath} stayed locked by process ${holder.pid} on ${hostname()} for `;
      expect([`${said}0 s.`, `${said}1 s.`]).toContain((error as LockTimeoutError).message);
      expect(await readFile(lockPath, "utf8")).toContain(`"pid":${holder.pid}`);
    } finally {
      await holder.stop();
    }
  });

  it("gets the lock as soon as a live holder releases it", async () => {
    freshLockPath();
    const first = new FileLock(lockPath);
    await first.acquire();
    const tried = triedFor(lockPath);
    const second = new FileLock(lockPath).acquire();
    await tried; // the second has found the lock taken and waits
    await first.release();
    await expect(second).resolves.toBeUndefined();
  });

  it("breaks a lock whose holder looks alive but stopped touching it (hung, or a reused pid)", async () => {
    freshLockPath();
    const holder = await liveProcess();
    try {
      await writeOwner(holder.pid);
      const old = new Date(Date.now() - 60_000);
      await utimes(lockPath, old, old);
      await new FileLock(lockPath, { staleMs: 10_000, timeoutMs: 1_000 }).run(async () => undefined);
    } finally {
      await holder.stop();
    }
  });

  it("keeps its own lock fresh while held, so a long holding is not mistaken for a hung one", async () => {
    freshLockPath();
    const lock = new FileLock(lockPath, { staleMs: 400 });
    await lock.acquire();
    // Made to look silent for a minute: only the holder's heartbeat makes it fresh again.
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    await expect.poll(async () => Date.now() - (await stat(lockPath)).mtimeMs, { message: "the holder never touched its lock file" }).toBeLessThan(400);
    // Waiting twice the staleness limit: a heartbeat slower than the limit lets the waiter break the lock meanwhile.
    await expect(new FileLock(lockPath, { staleMs: 400, timeoutMs: 800 }).acquire()).rejects.toBeInstanceOf(LockTimeoutError);
    await lock.release();
  });

  it("breaks at once a lock file with no owner record in it, as a full disk or a crash leaves it", async () => {
    freshLockPath();
    await writeFile(lockPath, "");
    await new FileLock(lockPath, { timeoutMs: 1_000 }).run(async () => undefined);
    await writeFile(lockPath, '{"pid":');
    await new FileLock(lockPath, { timeoutMs: 1_000 }).run(async () => undefined);
  });

  it("on a full disk, fails saying so and leaves no lock file behind", async (context) => {
    const full = await fullTmpfs();
    if (typeof full === "string") return context.skip(full);
    try {
      const error = await acquireCacheLock(new FileLock(path.join(full.dir, "tokens.lock"))).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "secureStorageUnavailable", message: expect.stringMatching(/could not be created: the disk is full \(ENOSPC\)\.$/),
        cause: expect.objectContaining({ code: "ENOSPC" }) });
      expect(await readdir(full.dir)).toEqual(["filler"]);
      await rm(path.join(full.dir, "filler"));
      await new FileLock(path.join(full.dir, "tokens.lock"), { timeoutMs: 1_000 }).run(async () => undefined);
    } finally {
      await full.unmount();
    }
  });

  it("does not delete a lock that was broken and taken by someone else meanwhile", async () => {
    freshLockPath();
    // A holder that hangs: its heartbeat (every staleMs / 4) does not come round during the test.
    const slow = new FileLock(lockPath, { staleMs: 3_600_000 });
    await slow.acquire();
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    const taker = new FileLock(lockPath, { staleMs: 100 });
    await taker.acquire();
    await slow.release();
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: process.pid });
    await expect(new FileLock(lockPath, { timeoutMs: 100, staleMs: 60_000 }).acquire()).rejects.toBeInstanceOf(LockTimeoutError);
    await taker.release();
    await expect(stat(lockPath)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("takes a stale lock that its holder released before the waiter's turn to break it came", async () => {
    freshLockPath();
    await writeOwner(await deadPid());
    beforeNextReaddir(() => rm(lockPath));
    const lock = new FileLock(lockPath, { timeoutMs: 300 });
    await lock.acquire();
    expect(readdirHookPending(), "the lock was not released before the waiter's turn").toBe(false);
    await lock.release();
  });

  // Each time the lock changes after the waiter read it as stale: it then breaks nothing and waits for the holder.
  it.each([
    ["taken by another process (even one with the same time stamp)", async (holder: number) => {
      // A whole second, which every file system keeps exactly.
      const stamp = new Date(Math.floor(Date.now() / 1000) * 1000);
      await writeOwner(await deadPid());
      await utimes(lockPath, stamp, stamp);
      return async () => {
        await writeOwner(holder);
        await utimes(lockPath, stamp, stamp);
      };
    }],
    ["touched again by its silent holder (the same record, newer)", async (holder: number) => {
      await writeOwner(holder);
      const silent = new Date(Date.now() - 60_000);
      await utimes(lockPath, silent, silent);
      return async () => {
        const now = new Date();
        await utimes(lockPath, now, now);
      };
    }],
  ])("breaks nothing, and waits, when before its turn the stale lock was %s", async (_case, leave) => {
    freshLockPath();
    const holder = await liveProcess();
    try {
      beforeNextReaddir(await leave(holder.pid));
      await expect(new FileLock(lockPath, { timeoutMs: 300 }).acquire()).rejects.toMatchObject({ name: "LockTimeoutError", owner: { pid: holder.pid } });
      expect(readdirHookPending()).toBe(false);
      expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: holder.pid });
    } finally {
      await holder.stop();
    }
  });

  it("says how long it waited when it cannot say for whom", () => {
    expect(new LockTimeoutError("/home/me/.entra-tray/cache.lock", undefined, 31_400).message).toBe("/home/me/.entra-tray/cache.lock stayed locked for 31 s.");
  });

  it("refuses a second acquire of the same FileLock, and a release of one not held leaves the holder's lock alone", async () => {
    freshLockPath();
    const holder = new FileLock(lockPath);
    await holder.acquire();
    await expect(holder.acquire()).rejects.toThrow(`${lockPath} is already held by this FileLock.`);
    await new FileLock(lockPath).release();
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: process.pid });
    expect((await readdir(dir)).filter((name) => name.startsWith(path.basename(lockPath)))).toEqual([path.basename(lockPath)]);
    await holder.release();
  });

  it("waits for a holder on another machine however its pid looks here, and for a pid of another user", async () => {
    freshLockPath();
    await writeOwner(await deadPid(), "build-7");
    await expect(new FileLock(lockPath, { timeoutMs: 100 }).acquire()).rejects.toMatchObject({ owner: { host: "build-7" } });
    // pid 1 always runs; for anyone but root, asking about it is refused (EPERM), which still means alive.
    await writeOwner(1);
    await expect(new FileLock(lockPath, { timeoutMs: 100 }).acquire()).rejects.toMatchObject({ owner: { pid: 1 } });
  });

  it.each([
    ["a pid that is not a number", { pid: "12", host: "build-7", nonce: "n" }],
    ["a host that is not text", { pid: 12, host: 7, nonce: "n" }],
    ["no nonce", { pid: 12, host: "build-7" }],
  ])("breaks at once a lock whose owner record has %s, as no holder can be known from it", async (_case, record) => {
    freshLockPath();
    await writeFile(lockPath, JSON.stringify(record));
    await new FileLock(lockPath, { timeoutMs: 1_000 }).run(async () => undefined);
  });

  it.each([
    ["empty and untouched for a minute", "", 60_000],
    ["of a live process, but untouched for longer than a break can take", JSON.stringify({ pid: process.pid, host: hostname(), nonce: "hung", since: "" }), 6_000],
  ])("passes over a break turn a crash left, %s, and breaks the stale lock", async (_case, record, ageMs) => {
    freshLockPath();
    await writeOwner(await deadPid());
    await writeFile(`${lockPath}.break.0`, record);
    const old = new Date(Date.now() - ageMs);
    await utimes(`${lockPath}.break.0`, old, old);
    await before(seconds(5), "The crashed break turn was not passed over", new FileLock(lockPath, { timeoutMs: 1_000 }).run(async () => undefined));
    expect(await finishedTurns()).toEqual(["break.1"]);
  });

  it("releases quietly when its lock file was removed or overwritten meanwhile, leaving what is there", async () => {
    freshLockPath();
    const gone = new FileLock(lockPath);
    await gone.acquire();
    await rm(lockPath);
    await gone.release();
    const overwritten = new FileLock(lockPath);
    await overwritten.acquire();
    await writeFile(lockPath, "not an owner record");
    await overwritten.release();
    expect(await readFile(lockPath, "utf8")).toBe("not an owner record");
  });

  it("fails, naming the reason, when a folder stands where a break turn's file goes", async () => {
    freshLockPath();
    await writeOwner(await deadPid());
    await mkdir(`${lockPath}.break.0`);
    await expect(before(seconds(5), "The lock kept trying to clear a folder", new FileLock(lockPath, { timeoutMs: 1_000 }).acquire()))
      .rejects.toMatchObject({ code: "EISDIR" });
  });

  // The second: a turn touched an hour ahead (a clock ahead on another machine) stays on for as long.
  it.each([
    ["for a live holder", async (pid: number) => writeOwner(pid)],
    ["for another waiter breaking a stale lock", async (pid: number) => {
      await writeOwner(await deadPid());
      await writeFile(`${lockPath}.break.0`, JSON.stringify({ pid, host: hostname(), nonce: "breaking", since: "" }));
      const ahead = new Date(Date.now() + 3_600_000);
      await utimes(`${lockPath}.break.0`, ahead, ahead);
    }],
  ])("pauses between tries while it waits %s, never trying in a busy loop, and gives up in time naming it", async (_case, leave) => {
    freshLockPath();
    const other = await liveProcess();
    await leave(other.pid);
    const tries = new Set<string>();
    const watcher = watch(dir, (_event, name) => {
      if (isTryOf(lockPath, name)) tries.add(name);
    });
    try {
      await expect(before(seconds(5), "The wait did not give up", new FileLock(lockPath, { timeoutMs: 400, retryMs: 20 }).acquire()))
        .rejects.toMatchObject({ name: "LockTimeoutError", owner: { pid: other.pid } });
    } finally {
      watcher.close();
      await other.stop();
    }
    // Pauses of 20, 40, 80 ms, then 160 ms (each between half and one and a half of it): at most 9 tries fit in
    // 400 ms, and a busy machine only makes fewer.
    expect(tries.size).toBeGreaterThanOrEqual(1);
    expect(tries.size).toBeLessThanOrEqual(9);
  });

  it("fails, naming the reason, when a folder stands where the lock file goes", async () => {
    freshLockPath();
    await mkdir(lockPath);
    await expect(before(seconds(5), "The lock kept trying a folder", new FileLock(lockPath, { timeoutMs: 1_000 }).acquire()))
      .rejects.toMatchObject({ code: "EISDIR" });
  });
});
