import type { Clock, TimerHandle } from "./clock.js";

export interface ClockJumpOptions {
  /** How often to compare the clocks. */
  intervalMs: number;
  /** Disagreement between wall and monotonic elapsed time that counts as a jump. */
  toleranceMs: number;
}

/**
 * Timers do not follow the wall clock: across a suspend they fire late (the monotonic clock stops while the wall
 * clock runs on), and setting the clock moves expiries but not timers. A periodic tick compares how much wall-clock
 * and monotonic time passed since the previous tick, and reports a jump (wall minus monotonic, in ms) when they
 * differ by more than the tolerance.
 */
export class ClockJumpDetector {
  private timer?: TimerHandle;
  private lastWall = 0;
  private lastMonotonic = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: ClockJumpOptions,
    private readonly onJump: (driftMs: number) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.lastWall = this.clock.now();
    this.lastMonotonic = this.clock.monotonic();
    this.arm();
  }

  stop(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.options.intervalMs);
  }

  private tick(): void {
    const wall = this.clock.now();
    const monotonic = this.clock.monotonic();
    const driftMs = wall - this.lastWall - (monotonic - this.lastMonotonic);
    this.lastWall = wall;
    this.lastMonotonic = monotonic;
    this.arm();
    if (Math.abs(driftMs) > this.options.toleranceMs) this.onJump(driftMs);
  }
}
