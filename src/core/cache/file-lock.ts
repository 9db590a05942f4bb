import { randomUUID } from "node:crypto";
import { link, open, readFile, stat, unlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/** Who holds a lock, as its lock file says. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Tells this holding apart from any later one by the same process. */
  nonce: string;
  since: string;
}

export interface FileLockOptions {
  /** How long to wait for a live holder before giving up. Default 30 s. */
  timeoutMs?: number;
  /**
   * A lock file untouched for this long is stale even when its pid is alive (a hung holder, or a pid reused
   * after a crash). Holders touch their file every quarter of it. Default 20 s.
   */
  staleMs?: number;
  /** First pause between attempts; it doubles up to 8x. Default 5 ms. */
  retryMs?: number;
}

/** The lock stayed held by a live process for longer than the timeout. */
export class LockTimeoutError extends Error {
  override readonly name = "LockTimeoutError";

  constructor(readonly path: string, readonly owner: LockOwner, readonly waitedMs: number) {
    super(`${path} stayed locked by process ${owner.pid} on ${owner.host} for ${Math.round(waitedMs / 1000)} s.`);
  }
}

interface Holding {
  owner?: LockOwner;
  /** The raw text, to recognise the same holding again when the owner could not be parsed. */
  text: string;
  mtimeMs: number;
}

const BREAKER_STALE_MS = 5_000;

/**
 * A cross-process lock: a file that names its holder, created only if absent.
 *
 * It replaces msal-node-extensions' CrossPlatformLock, which never asks whether the holder is still alive, so a
 * lock file left by a crashed process makes every later process wait out its retries and fail. Here a lock whose
 * holder is gone (same host, pid not running), unknown (no owner record in it) or silent (file not touched for `staleMs`) is broken at once. Breaking
 * happens under a second, short-lived `.break` lock and only if the lock still names the same holding, so two
 * waiters cannot both break it, nor break the fresh lock a third process took meanwhile.
 */
export class FileLock {
  private readonly timeoutMs: number;
  private readonly staleMs: number;
  private readonly retryMs: number;
  private held: { nonce: string; heartbeat: NodeJS.Timeout } | undefined;

  constructor(readonly path: string, options: FileLockOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.staleMs = options.staleMs ?? 20_000;
    this.retryMs = options.retryMs ?? 5;
  }

  async acquire(): Promise<void> {
    if (this.held) throw new Error(`${this.path} is already held by this FileLock.`);
    const started = Date.now();
    let pause = this.retryMs;
    for (;;) {
      if (await this.tryCreate()) return;
      const holding = await readHolding(this.path);
      if (!holding) continue; // released between our attempt and the read
      // A lock with no owner record names no holder to wait for: it is broken at once, as a stale one is.
      if (holding.owner === undefined || this.isStale(holding.owner, holding.mtimeMs)) {
        await this.breakStale(holding);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= this.timeoutMs) throw new LockTimeoutError(this.path, holding.owner, waited);
      await sleep(pause * (0.5 + Math.random()));
      pause = Math.min(pause * 2, this.retryMs * 8);
    }
  }

  async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearInterval(held.heartbeat);
    // Only remove our own holding: if we were judged stale and broken, the file now belongs to someone else.
    const holding = await readHolding(this.path);
    if (holding?.owner?.nonce === held.nonce) await unlink(this.path).catch(ignoreMissing);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      await this.release();
    }
  }

  /**
   * Writes the owner record to a file of its own, then links it as the lock (link fails when the lock exists, as
   * O_EXCL does): the lock file appears whole or not at all, so one found empty or unreadable was not made by a
   * holder in mid-write, and a full disk fails here without leaving an empty lock behind.
   */
  private async tryCreate(): Promise<boolean> {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomUUID(), since: new Date().toISOString() };
    const record = `${this.path}.${owner.nonce}.tmp`;
    try {
      await writeFile(record, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
      await link(record, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    } finally {
      await unlink(record).catch(() => undefined);
    }
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(this.path, now, now).catch(() => undefined);
    }, Math.max(50, this.staleMs / 4));
    heartbeat.unref();
    this.held = { nonce: owner.nonce, heartbeat };
    return true;
  }

  /** Silent for staleMs, or whose holder here is gone. */
  private isStale(owner: LockOwner, mtimeMs: number): boolean {
    return Date.now() - mtimeMs > this.staleMs || (owner.host === os.hostname() && !processIsAlive(owner.pid));
  }

  private async breakStale(seen: Holding): Promise<void> {
    const breaker = `${this.path}.break`;
    let handle;
    try {
      handle = await open(breaker, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Another waiter is breaking it; a breaker left by a crash mid-break is cleared after a while.
      const age = await stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > BREAKER_STALE_MS) await unlink(breaker).catch(ignoreMissing);
      else await sleep(this.retryMs);
      return;
    }
    try {
      await handle.close();
      const now = await readHolding(this.path);
      if (now && now.text === seen.text && now.mtimeMs === seen.mtimeMs) await unlink(this.path).catch(ignoreMissing);
    } finally {
      await unlink(breaker).catch(ignoreMissing);
    }
  }
}

async function readHolding(path: string): Promise<Holding | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
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

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
