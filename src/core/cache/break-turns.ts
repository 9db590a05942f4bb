import { readdir, unlink, utimes } from "node:fs/promises";
import path from "node:path";
import { createWithOwner, ignoreMissing, isStale, newOwner, readHolding } from "./lock-record.js";

/** A turn whose taker has not finished it in this long crashed, or hangs: the next waiter takes the next turn. */
const TURN_STALE_MS = 5_000;

/**
 * Runs `work` as the only waiter breaking the stale lock at `lockPath`, and says whether it ran: false while another
 * waiter's turn is on.
 *
 * Breaking needs a lock of its own, and that one can be left behind by a crash too. Deleting a crashed one by name
 * races (a waiter that judged it crashed deletes the live one another waiter made meanwhile, and two break at
 * once), so breakers take numbered turns, `<lock>.break.<n>`, and no turn is ever taken twice: after a finished or
 * crashed turn n comes n + 1. The highest turn's file is never deleted, so turns only grow, and a waiter that took
 * a turn from an out-of-date listing finds a higher one and gives its own back. The taker of the highest turn
 * deletes the lower ones, which are over; the last one stays, marked finished.
 */
export async function inBreakTurn(lockPath: string, work: () => Promise<void>): Promise<boolean> {
  const turn = await takeTurn(lockPath);
  if (!turn) return false;
  try {
    await work();
  } finally {
    // An mtime of 0 is older than any turn that is on. Failing to mark it only delays others until it looks stale.
    await utimes(turn, 0, 0).catch(() => undefined);
  }
  return true;
}

async function takeTurn(lockPath: string): Promise<string | undefined> {
  const last = (await turnsOf(lockPath)).at(-1);
  if (last !== undefined && await isOn(turnFile(lockPath, last))) return undefined;
  const mine = (last ?? -1) + 1;
  const file = turnFile(lockPath, mine);
  if (!await createWithOwner(file, newOwner())) return undefined;
  const turns = await turnsOf(lockPath);
  if (turns.some((turn) => turn > mine)) {
    await unlink(file).catch(ignoreMissing);
    return undefined;
  }
  await Promise.all(turns.filter((turn) => turn < mine).map((turn) => unlink(turnFile(lockPath, turn)).catch(ignoreMissing)));
  return file;
}

async function isOn(file: string): Promise<boolean> {
  const holding = await readHolding(file);
  return holding?.owner !== undefined && !isStale(holding.owner, holding.mtimeMs, TURN_STALE_MS);
}

/** The turns whose files are there, in order. */
async function turnsOf(lockPath: string): Promise<number[]> {
  const prefix = `${path.basename(lockPath)}.break.`;
  return (await readdir(path.dirname(lockPath)))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

const turnFile = (lockPath: string, turn: number) => `${lockPath}.break.${turn}`;
