/** Opaque to the keeper; whatever the clock's setTimeout returns. */
export type TimerHandle = unknown;

/** Time as the keeper sees it, injected so tests can run a day, or a laptop's sleep, in a millisecond. */
export interface Clock {
  /** Wall-clock time in ms since the epoch: what token expiries are measured in. It jumps when the clock is set. */
  now(): number;
  /** Monotonic ms from an arbitrary origin: never jumps when the wall clock is set. */
  monotonic(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  // unref: a pending background refresh alone must not keep a CLI process alive.
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
