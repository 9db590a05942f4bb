import { unlink, utimes } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { inBreakTurn } from "./break-turns.js";
import type { Holding, LockOwner } from "./lock-record.js";
import { createOwned, ignoreMissing, isStale, readHolding } from "./lock-record.js";

export type { LockOwner } from "./lock-record.js";

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

/**
 * The lock stayed held by a live process for longer than the timeout, or stayed stale while other waiters kept
 * breaking it. The owner is the holder's, or the breaking waiter's; unknown when that could not be read.
 */
export class LockTimeoutError extends Error {
  override readonly name = "LockTimeoutError";

  constructor(readonly path: string, readonly owner: LockOwner | undefined, readonly waitedMs: number) {
    const by = owner ? ` by process ${owner.pid} on ${owner.host}` : "";
    super(`${path} stayed locked${by} for ${Math.round(waitedMs / 1000)} s.`);
  }
}

/**
 * A cross-process lock: a file that names its holder, created only if absent.
 *
 * It replaces msal-node-extensions' CrossPlatformLock, which never asks whether the holder is still alive, so a
 * lock file left by a crashed process makes every later process wait out its retries and fail. Here a lock whose
 * holder is gone (same host, pid not running), unknown (no owner record in it) or silent (file not touched for
 * `staleMs`) is broken at once. Breaking happens in one waiter's turn at a time (see break-turns.ts) and only if the
 * lock still names the same holding, so two waiters cannot both break it, nor break the fresh lock a third process
 * took meanwhile.
 *
 * Judging by time has the limit any such lock has: a process paused for longer than the limits (a laptop asleep,
 * a stopped process) is judged gone while it still believes it holds the lock or its turn, and machines sharing the
 * folder must agree on the time. A lock the kernel releases with its process (flock) would need a native module.
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
      let waitingFor = holding.owner;
      // A lock with no owner record names no holder to wait for: it is broken at once, as a stale one is.
      if (holding.owner === undefined || isStale(holding.owner, holding.mtimeMs, this.staleMs)) {
        const turn = await inBreakTurn(this.path, () => this.breakIfStill(holding));
        if (turn.ran) continue;
        waitingFor = turn.busy; // another waiter is breaking it: wait for that one as for a holder
      }
      const waited = Date.now() - started;
      if (waited >= this.timeoutMs) throw new LockTimeoutError(this.path, waitingFor, waited);
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

  /** Takes the lock when nobody holds it, and keeps touching it while held. */
  private async tryCreate(): Promise<boolean> {
    const owner = await createOwned(this.path);
    if (!owner) return false;
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(this.path, now, now).catch(() => undefined);
    }, Math.max(50, this.staleMs / 4));
    heartbeat.unref();
    this.held = { nonce: owner.nonce, heartbeat };
    return true;
  }

  /** Deletes the lock if it is still the stale holding seen, not one taken since. */
  private async breakIfStill(seen: Holding): Promise<void> {
    const now = await readHolding(this.path);
    if (now && now.text === seen.text && now.mtimeMs === seen.mtimeMs) await unlink(this.path).catch(ignoreMissing);
  }
}
