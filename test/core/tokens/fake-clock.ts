import type { Clock } from "../../../src/core/tokens/clock.js";

interface Timer { at: number; seq: number; callback: () => void }

/** Lets pending promise callbacks (a fake source answering, the keeper's bookkeeping) run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Wall and monotonic time under the test's control. Timers run on monotonic time, as Node's do, so a suspended
 * laptop (wall clock moves, monotonic does not) leaves them late exactly like the real thing.
 */
export class FakeClock implements Clock {
  private wall: number;
  private mono = 0;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(startWallMs = Date.UTC(2026, 2, 4, 14, 0, 0)) {
    this.wall = startWallMs;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { at: this.mono + Math.max(0, ms), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** The machine runs for `ms`: both clocks advance and due timers fire in order, letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    await settle();
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      const [id, timer] = next;
      this.timers.delete(id);
      this.wall += timer.at - this.mono;
      this.mono = timer.at;
      timer.callback();
      await settle();
    }
    this.wall += end - this.mono;
    this.mono = end;
  }

  /** Suspend: the wall clock moves on, the monotonic clock and every timer stand still. */
  suspend(ms: number): void {
    this.wall += ms;
  }

  /** The user or NTP sets the clock. */
  setWallClock(wallMs: number): void {
    this.wall = wallMs;
  }
}

/** mulberry32: a tiny seeded PRNG, so jitter is random yet every run is the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
