import { readdir, unlink, utimes } from "node:fs/promises";
import path from "node:path";
import type { LockOwner } from "./lock-record.js";
import { createOwned, ignoreMissing, isStale, readHolding } from "./lock-record.js";

/** A turn whose taker has not finished it in this long crashed, or hangs: the next waiter takes the next turn. */
const TURN_STALE_MS = 5_000;

/** Whether the work ran; when it did not, whose turn was on, if that could be read. */
export type BreakTurn = { ran: true } | { ran: false; busy?: LockOwner };

/**
 * Runs `work` as the only waiter breaking the stale lock at `lockPath`, or, while another waiter's turn is on, runs
 * nothing.
 *
 * Breaking needs a lock of its own, and that one can be left behind by a crash too. Deleting a crashed one by name
 * races (a waiter that judged it crashed deletes the live one another waiter made meanwhile, and two break at
 * once), so breakers take numbered turns, `<lock>.break.<n>`: a waiter takes the turn after the highest one there,
 * when that one is over. A turn is on while its file names a process that is running (or one on another host) and
 * was touched less than 5 s ago; it is over once marked finished (mtime 0), or when its taker crashed or hangs.
 *
 * Why two waiters never hold turns at once: nobody deletes the highest turn's file (the taker of a turn deletes only
 * lower ones, and a waiter gives its own turn back only when a higher one is there), so the highest number only
 * grows. A waiter holds its turn once a second listing shows none higher; a later waiter can only take a higher
 * turn after judging this one over. A waiter that listed too early may create a lower number again, but then finds
 * the higher one and gives it back. This assumes a turn lasts less than 5 s: a taker paused for longer (a laptop
 * asleep mid-break) is passed over while it still believes it holds its turn.
 */
export async function inBreakTurn(lockPath: string, work: () => Promise<void>): Promise<BreakTurn> {
  const turn = await takeTurn(lockPath);
  if (!("file" in turn)) return turn;
  try {
    await work();
  } finally {
    await finish(turn.file);
  }
  return { ran: true };
}

/** Marks a turn over: an mtime of 0 is older than any turn that is on. Failing to only delays others until it looks stale. */
async function finish(turn: string): Promise<void> {
  await utimes(turn, 0, 0).catch(() => undefined);
}

/** This waiter's turn's file; or, when another waiter's turn is on or was taken first, not this waiter's turn. */
async function takeTurn(lockPath: string): Promise<{ file: string } | { ran: false; busy?: LockOwner }> {
  const last = (await turnsOf(lockPath)).at(-1);
  if (last !== undefined) {
    const holding = await readHolding(turnFile(lockPath, last));
    if (holding?.owner && !isStale(holding.owner, holding.mtimeMs, TURN_STALE_MS)) return { ran: false, busy: holding.owner };
  }
  const mine = (last ?? -1) + 1;
  const file = turnFile(lockPath, mine);
  if (!await createOwned(file)) return { ran: false };
  try {
    const turns = await turnsOf(lockPath);
    if (turns.some((turn) => turn > mine)) {
      await unlink(file).catch(ignoreMissing);
      return { ran: false };
    }
    await Promise.all(turns.filter((turn) => turn < mine).map((turn) => unlink(turnFile(lockPath, turn)).catch(ignoreMissing)));
  } catch (error) {
    // Over, but kept: deleting it could lower the highest turn. Left on, it would hold everyone up for 5 s.
    await finish(file);
    throw error;
  }
  return { file };
}

/** The turns whose files are there, in order. Numbers are written without leading zeros and stay exact. */
async function turnsOf(lockPath: string): Promise<number[]> {
  const prefix = `${path.basename(lockPath)}.break.`;
  return (await readdir(path.dirname(lockPath)))
    .filter((name) => name.startsWith(prefix) && /^(0|[1-9]\d{0,14})$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

const turnFile = (lockPath: string, turn: number) => `${lockPath}.break.${turn}`;

