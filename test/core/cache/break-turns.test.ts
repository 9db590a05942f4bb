import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { inBreakTurn } from "../../../src/core/cache/break-turns.js";
import { deadPid } from "../../support/processes.js";
import { beforeNextReaddir, clearReaddirHook } from "../../support/readdir-hook.js";

// The real readdir, except where a test gives a waiter an out-of-date listing, as a race between processes would.
vi.mock("node:fs/promises", async (importOriginal) => (await import("../../support/readdir-hook.js")).withReaddirHook(await importOriginal()));

// Real files: the turns waiters take, one at a time, to break a stale lock, and the turns crashes leave behind.
let dir: string;
let cases = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "entra-tray-turns-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(clearReaddirHook);

/** A folder of its own for a lock that is never made: only its turns matter here. */
async function freshLock(): Promise<string> {
  const folder = path.join(dir, `case-${++cases}`);
  await mkdir(folder);
  return path.join(folder, "cache.lock");
}

const record = (pid: number, host = hostname()) => JSON.stringify({ pid, host, nonce: `n-${pid}`, since: new Date().toISOString() });

/** Leaves a turn's file as a waiter (or its crash) would, `ageMs` after it was last touched. */
async function leaveTurn(lock: string, turn: number, text: string, ageMs = 0): Promise<void> {
  await writeFile(`${lock}.break.${turn}`, text);
  const touched = new Date(Date.now() - ageMs);
  await utimes(`${lock}.break.${turn}`, touched, touched);
}

/** What is beside the lock: each file's name after the lock's, and whether it is marked finished (mtime 0). */
async function besideLock(lock: string): Promise<Record<string, "finished" | "on">> {
  const folder = path.dirname(lock);
  const entries = await Promise.all((await readdir(folder)).map(async (name) =>
    [name.slice(path.basename(lock).length + 1), (await stat(path.join(folder, name))).mtimeMs === 0 ? "finished" : "on"] as const));
  return Object.fromEntries(entries);
}

describe("inBreakTurn", () => {
  it("runs the work in turn 0 when there was none, and leaves that turn marked finished", async () => {
    const lock = await freshLock();
    let during: Record<string, string> = {};
    expect(await inBreakTurn(lock, async () => void (during = await besideLock(lock)))).toEqual({ ran: true });
    expect(during).toEqual({ "break.0": "on" });
    expect(await besideLock(lock)).toEqual({ "break.0": "finished" });
  });

  it.each([
    ["while another waiter's turn is on", async () => record(process.pid), false],
    ["while a turn of a process on another machine is on, however its pid looks here", async () => record(await deadPid(), "build-7"), false],
    // Its own turn, 0, is taken and then given back: it finds turn 4 there.
    ["when a later turn is there than its out-of-date listing showed", async () => record(process.pid), true],
  ])("runs nothing %s, and leaves that turn alone", async (_case, text, outOfDate) => {
    const lock = await freshLock();
    await leaveTurn(lock, 4, await text());
    if (outOfDate) beforeNextReaddir(async () => []);
    let ran = false;
    const turn = await inBreakTurn(lock, async () => void (ran = true));
    expect(ran).toBe(false);
    expect(turn).toEqual({ ran: false, busy: outOfDate ? undefined : JSON.parse(await readFile(`${lock}.break.4`, "utf8")) });
    expect(await besideLock(lock)).toEqual({ "break.4": "on" });
  });

  it.each([
    ["finished", async () => record(process.pid), 0, true],
    ["of a process that is gone", async () => record(await deadPid()), 0, false],
    ["of a live process that has not finished it in 5 s", async () => record(process.pid), 6_000, false],
    ["with no owner record in it", async () => "", 0, false],
  ])("takes the next turn after one %s, and deletes the turns before it", async (_case, text, ageMs, finished) => {
    const lock = await freshLock();
    // Made out of order, and 12 before 3 as text: the highest is found by number.
    await leaveTurn(lock, 12, await text(), ageMs);
    if (finished) await utimes(`${lock}.break.12`, 0, 0);
    for (const crashed of [3, 10]) await leaveTurn(lock, crashed, record(await deadPid()));
    let during: Record<string, string> = {};
    expect(await inBreakTurn(lock, async () => void (during = await besideLock(lock)))).toEqual({ ran: true });
    expect(during).toEqual({ "break.13": "on" });
    expect(await besideLock(lock)).toEqual({ "break.13": "finished" });
  });

  it("runs nothing when another waiter took the same turn first", async () => {
    const lock = await freshLock();
    // Between this waiter's listing (none yet) and its taking turn 0, another waiter takes it.
    beforeNextReaddir(async () => {
      await leaveTurn(lock, 0, record(process.pid));
      return [];
    });
    let ran = false;
    expect(await inBreakTurn(lock, async () => void (ran = true))).toEqual({ ran: false });
    expect(ran).toBe(false);
    expect(await besideLock(lock)).toEqual({ "break.0": "on" });
  });

  it("takes the next turn when the last one listed is gone by the time it is read", async () => {
    const lock = await freshLock();
    beforeNextReaddir(async () => ["cache.lock.break.3"]);
    expect(await inBreakTurn(lock, async () => undefined)).toEqual({ ran: true });
    expect(await besideLock(lock)).toEqual({ "break.4": "finished" });
  });

  it("ignores files that only look like turns", async () => {
    const lock = await freshLock();
    const folder = path.dirname(lock);
    // A record being written, another lock's turn, and the single breaker file of earlier versions.
    // Numbers that are not written as turns are (a leading zero), or past the exact integers.
    for (const name of ["cache.lock.break.7.n.tmp", "other.lock.break.9", "cache.lock.break", "cache.lock.break.x", "cache.lock.break.07", "cache.lock.break.9007199254740993"]) {
      await writeFile(path.join(folder, name), record(process.pid));
    }
    expect(await inBreakTurn(lock, async () => undefined)).toEqual({ ran: true });
    expect(Object.keys(await besideLock(lock))).toContain("break.0");
  });

  it("marks its turn finished when the work fails, and passes the failure on", async () => {
    const lock = await freshLock();
    await expect(inBreakTurn(lock, async () => { throw new Error("disk gone"); })).rejects.toThrow("disk gone");
    expect(await besideLock(lock)).toEqual({ "break.0": "finished" });
    expect(await inBreakTurn(lock, async () => undefined)).toEqual({ ran: true });
  });

  it("ends its turn when deleting the turns before fails, and says why", async () => {
    const lock = await freshLock();
    await mkdir(`${lock}.break.0`);
    await leaveTurn(lock, 1, record(process.pid));
    await utimes(`${lock}.break.1`, 0, 0);
    let ran = false;
    // Deleting a folder as a file: EISDIR on Linux, EPERM on macOS and Windows.
    await expect(inBreakTurn(lock, async () => void (ran = true))).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) });
    expect(ran).toBe(false);
    // Its own turn is kept, finished (deleting the highest turn could let a number be taken twice); the folder stays.
    expect(await besideLock(lock)).toEqual({ "break.0": "on", "break.2": "finished" });
  });

  it("fails, naming the reason, when a folder stands where the last turn's file is", async () => {
    const lock = await freshLock();
    await mkdir(`${lock}.break.0`);
    await expect(inBreakTurn(lock, async () => undefined)).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("lets one waiter break at a time, among many at once, after a turn a crash left", async () => {
    for (let round = 0; round < 20; round++) {
      const lock = await freshLock();
      await leaveTurn(lock, 0, record(await deadPid()));
      let inside = 0;
      let most = 0;
      let turns = 0;
      // Each waiter tries again until it has had a turn, as FileLock does while the lock stays stale.
      await Promise.all(Array.from({ length: 12 }, async () => {
        while (!(await inBreakTurn(lock, async () => {
          most = Math.max(most, ++inside);
          await sleep(1);
          inside--;
        })).ran) await sleep(1);
        turns++;
      }));
      expect(most, `round ${round}`).toBe(1);
      expect(turns, `round ${round}`).toBe(12);
      // However many took a turn, only the last one's file is left, finished: given-back turns leave nothing.
      expect(Object.values(await besideLock(lock)), `round ${round}`).toEqual(["finished"]);
    }
  });
});
