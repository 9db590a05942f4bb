import { randomUUID } from "node:crypto";
import { link, readFile, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";

/** Who holds a lock file, as the file says. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Tells this holding apart from any later one by the same process. */
  nonce: string;
  since: string;
}

/** A lock file as read: its owner record (when it has one), its raw text and when it was last touched. */
export interface Holding {
  owner?: LockOwner;
  /** The raw text, to recognise the same holding again when the owner could not be parsed. */
  text: string;
  mtimeMs: number;
}

/**
 * Creates `path` naming this process as its owner, only if it does not exist: the owner written, or undefined when
 * the file exists. The record is written to a file of its own and then linked (link fails when the target exists,
 * as O_EXCL does): the file appears whole or not at all, so one found empty or unreadable was not made by a holder
 * in mid-write, and a full disk fails here without leaving an empty file behind.
 */
export async function createOwned(path: string): Promise<LockOwner | undefined> {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomUUID(), since: new Date().toISOString() };
  const record = `${path}.${owner.nonce}.tmp`;
  try {
    await writeFile(record, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
    await link(record, path);
    return owner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  } finally {
    await unlink(record).catch(() => undefined);
  }
}

/** The lock file's holding, or undefined when there is no such file. */
export async function readHolding(path: string): Promise<Holding | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs };
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
}

/** Silent for `staleMs`, or whose holder on this host is gone. */
export function isStale(owner: LockOwner, mtimeMs: number, staleMs: number): boolean {
  return Date.now() - mtimeMs > staleMs || (owner.host === os.hostname() && !processIsAlive(owner.pid));
}

export function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.pid === "number" && typeof value.host === "string" && typeof value.nonce === "string"
      ? { pid: value.pid, host: value.host, nonce: value.nonce, since: String(value.since) }
      : undefined;
  } catch {
    return undefined; // not an owner record: no live holder can be identified
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by someone else
  }
}
