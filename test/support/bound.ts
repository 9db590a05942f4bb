import { setImmediate, setTimeout as sleep } from "node:timers/promises";

/** An event that a promise under test must settle before: a deadline, or the next turn of the event loop. */
export interface Bound {
  /** Resolves at the event; rejects once `signal` aborts. */
  wait(signal: AbortSignal): Promise<unknown>;
  /** Says when the event came, for the failure message. */
  label: string;
}

/** A generous deadline, many times what the awaited step takes here: the test fails at it rather than hang. */
export const seconds = (n: number): Bound => ({ wait: (signal) => sleep(n * 1000, undefined, { signal }), label: `waited ${n} s` });

/** For what happens synchronously on an event (an abort listener rejecting a promise): settled by the next turn. */
export const nextTurn: Bound = { wait: (signal) => setImmediate(undefined, { signal }), label: "by the next turn of the event loop" };

/**
 * `promise`, unless `bound` comes first: then fails with `didNotHappen`. A broken timeout or cancel thus fails in
 * seconds, saying what did not happen, instead of hanging until vitest's own timeout. `onLate` cleans up (e.g.
 * kills a process that would otherwise run on).
 */
export async function before<T>(bound: Bound, didNotHappen: string, promise: Promise<T>, onLate?: () => void): Promise<T> {
  const controller = new AbortController();
  const late = new Promise<never>((_, reject) => {
    bound.wait(controller.signal).then(() => {
      onLate?.();
      reject(new Error(`${didNotHappen} (${bound.label}).`));
    }, () => undefined);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    controller.abort();
  }
}
