import { EventEmitter } from "node:events";
import { AuthError, isAuthError } from "../errors/auth-error.js";
import { backoffDelayMs, type BackoffOptions } from "../errors/backoff.js";
import { MS_PER_SECOND } from "../errors/time-units.js";
import { ClockJumpDetector } from "./clock-jump-detector.js";
import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import type { AccessTokenResult, TokenSource } from "./token-source.js";

export interface TokenKeeperOptions {
  /** Tokens handed out have at least this many seconds left. Default 300. */
  minValiditySec?: number;
  /** A scope set nobody asked for during this long stops being refreshed until the next request. Default 1 h. */
  idleAfterMs?: number;
  /** Background refreshes start up to this much earlier, at random, so scope sets and processes spread out. Default 60 s. */
  jitterMaxMs?: number;
  /** Retry delays after a failed refresh: doubling from initialMs up to maxMs. Default 5 s to 2 min. */
  retry?: Partial<BackoffOptions>;
  /** How often wall-clock and monotonic time are compared to catch sleep/resume and clock changes. Default 15 s. */
  clockCheckIntervalMs?: number;
  /** Disagreement between the two clocks that counts as a jump. Default 5 s. */
  clockJumpToleranceMs?: number;
  clock?: Clock;
  /** Source of the jitter, in [0, 1). Default Math.random; tests pass a seeded one. */
  random?: () => number;
}

/**
 * Why a token was fetched: `demand` = a caller needed one now, `background` = ahead of expiry or a retry,
 * `forced` = a caller asked to skip the cache.
 */
export type RefreshTrigger = "demand" | "background" | "forced";

export type KeeperStatus = "active" | "signInRequired" | "disposed";

/** Which kept token an event is about. */
export interface EntryRef {
  scopes: string[];
  /** homeAccountId the caller named; absent for the tokens of whichever account is active. */
  account?: string;
}

// Event payloads carry scopes, account ids, times and AuthErrors (whose messages are token-free), never a token.
export interface RefreshedEvent extends EntryRef { expiresOn: Date; trigger: RefreshTrigger }
export interface RefreshFailedEvent extends EntryRef {
  error: AuthError;
  /** Consecutive failures for this scope set, this one included. */
  attempt: number;
  /** When the keeper tries again; absent when it stopped because the user must sign in. */
  retryAt?: Date;
  /** Expiry of the token still being served, if any. */
  heldExpiresOn?: Date;
}
export interface SignInRequiredEvent extends EntryRef { error: AuthError }
export interface ClockJumpEvent { /** Wall-clock time that passed minus monotonic time that passed. */ driftMs: number }
export interface IdleEvent extends EntryRef { idleForMs: number }

export interface TokenKeeperEvents {
  refreshed: [RefreshedEvent];
  /** Every failed refresh, for status and logs. */
  refreshFailed: [RefreshFailedEvent];
  /** An account (or the active one) now needs an interactive sign-in, said once per account: the app notifies. */
  signInRequired: [SignInRequiredEvent];
  clockJump: [ClockJumpEvent];
  /** A scope set stopped being refreshed because nobody used it. */
  idle: [IdleEvent];
}

interface InFlight<T> { promise: Promise<T>; trigger: RefreshTrigger; minValidityMs: number }

export interface CurrentTokenOptions {
  /** Skip every cache, e.g. after an API answered 401. */
  forceRefresh?: boolean;
  /** homeAccountId of the account the token is for. Default: whichever account the source has active. */
  account?: string;
  /** This call needs at least this many seconds left. Default the keeper's minValiditySec. */
  minValiditySec?: number;
}

/** One scope set of one account (or of the active account) of the profile. */
interface Entry<T> {
  readonly key: string;
  readonly scopes: string[];
  readonly account?: string;
  held?: T;
  inFlight?: InFlight<T>;
  lastUsedAt: number;
  /** Wall-clock time of the next background refresh or retry; undefined while idle or waiting for a sign-in. */
  dueAt?: number;
  timer?: TimerHandle;
  failures: number;
  /** Set while the user must sign in: callers whose held token will not do get this error without a request. */
  signInError?: AuthError;
  /** Set by reset(): a refresh under way for it must not hand its token to anyone. */
  dropped?: boolean;
}

// Node timers overflow above 2^31 - 1 ms (about 24.8 days) and then fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

const normalizeScopes = (scopes: readonly string[]): string[] => [...new Set(scopes)].sort();

// A foreign error is not kept as the cause: its text is unknown and could quote a request, so only its type is named.
const asAuthError = (error: unknown): AuthError =>
  isAuthError(error)
    ? error
    : new AuthError("unexpected",
      `Refreshing the access token failed unexpectedly (${error instanceof Error ? error.name : typeof error}).`,
      "Try again; if it keeps failing, sign in again.");

const disposedError = () =>
  new AuthError("cancelled", "The token request was cancelled because this profile's token keeper was stopped.",
    "Open the profile again and ask for the token again.");

const droppedError = () =>
  new AuthError("cancelled", "The token request was cancelled because the account was signed out or switched.",
    "Ask for the token again.");

const otherAccountError = (asked: string) =>
  new AuthError("unexpected", `The token source returned a token for a different account than the one asked for (${asked}); it was not used.`,
    "Try again; if it keeps happening, sign out and sign in again.");

/** Entries reset(account) and resume(account) act on: that account's, and the active account's, which it may be. */
const concerns = (entry: Entry<AccessTokenResult>, account: string | undefined): boolean =>
  account === undefined || entry.account === undefined || entry.account === account;

/** Option values as the caller wrote them (seconds as seconds), so a message quotes what they gave. */
function requireNumbers(values: Record<string, number>, minimum: number): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(Number.isFinite(value) && value >= minimum)) {
      throw new RangeError(`TokenKeeper option ${name} must be a number >= ${minimum}, got ${value}.`);
    }
  }
}

/**
 * Keeps, for one profile, an access token per account and scope set in use with at least `minValiditySec` left, so
 * that `currentToken` answers from memory. Refreshes ahead of expiry in the background (forcing the source past its
 * cache), retries failures with capped exponential backoff while still serving a valid token, stops on
 * `interactionRequired` until `resume()`, re-checks at once after a wall-clock jump, and leaves scope sets nobody
 * uses alone. Tokens asked for without an account are the active account's: the app calls `reset()` when the user
 * switches accounts or signs out, or they keep being served. Never logs; events carry no tokens.
 */
export class TokenKeeper<T extends AccessTokenResult = AccessTokenResult> extends EventEmitter<TokenKeeperEvents> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly minValidityMs: number;
  private readonly idleAfterMs: number;
  private readonly jitterMaxMs: number;
  private readonly retry: BackoffOptions;
  private readonly jumpDetector: ClockJumpDetector;
  private disposed = false;

  constructor(private readonly source: TokenSource<T>, options: TokenKeeperOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const minValiditySec = options.minValiditySec ?? 300;
    this.minValidityMs = minValiditySec * MS_PER_SECOND;
    this.idleAfterMs = options.idleAfterMs ?? 60 * 60_000;
    this.jitterMaxMs = options.jitterMaxMs ?? 60_000;
    this.retry = { initialMs: 5_000, maxMs: 120_000, ...options.retry };
    const clockCheck = {
      intervalMs: options.clockCheckIntervalMs ?? 15_000,
      toleranceMs: options.clockJumpToleranceMs ?? 5_000,
    };
    requireNumbers({ minValiditySec, idleAfterMs: this.idleAfterMs, jitterMaxMs: this.jitterMaxMs,
      clockJumpToleranceMs: clockCheck.toleranceMs }, 0);
    // Zero here would turn retries or clock checks into a busy loop.
    requireNumbers({ "retry.initialMs": this.retry.initialMs, "retry.maxMs": this.retry.maxMs,
      clockCheckIntervalMs: clockCheck.intervalMs }, 1);
    this.jumpDetector = new ClockJumpDetector(this.clock, clockCheck, (driftMs) => this.onClockJump(driftMs));
  }

  get status(): KeeperStatus {
    if (this.disposed) return "disposed";
    for (const entry of this.entries.values()) if (entry.signInError) return "signInRequired";
    return "active";
  }

  /**
   * A token for `scopes` (of `account`, else of the active account) with at least minValiditySec left: the held one
   * when it qualifies (no call to the source), otherwise the result of one refresh shared by all concurrent callers.
   * While the user must sign in again, a held token that will not do is not refreshed: the call rejects at once with
   * the error that said so, until resume() or reset(). Rejects with an AuthError.
   */
  async currentToken(scopes: readonly string[], options: CurrentTokenOptions = {}): Promise<T> {
    if (this.disposed) throw disposedError();
    if (options.minValiditySec !== undefined) requireNumbers({ minValiditySec: options.minValiditySec }, 0);
    const minValidityMs = options.minValiditySec === undefined ? this.minValidityMs : options.minValiditySec * MS_PER_SECOND;
    const entry = this.entryFor(scopes, options.account);
    const now = this.clock.now();
    entry.lastUsedAt = now;
    const held = entry.held;
    const fresh = held !== undefined && held.expiresOn.getTime() - now >= minValidityMs;
    if (fresh && !options.forceRefresh) {
      const idle = entry.dueAt === undefined && !entry.signInError && !entry.inFlight;
      if (idle) this.schedule(entry, this.refreshDueAt(held));
      return held;
    }
    if (entry.signInError) throw entry.signInError;
    return this.refresh(entry, options.forceRefresh ? "forced" : "demand", minValidityMs);
  }

  /**
   * Call after the user signed in again (as `account`, or whoever is active): background refresh restarts at once
   * for the scope sets that had stopped, and callers reach the source again.
   */
  resume(account?: string): void {
    for (const entry of this.entries.values()) {
      if (!entry.signInError || !concerns(entry, account)) continue;
      entry.signInError = undefined;
      entry.failures = 0;
      this.schedule(entry, this.clock.now());
    }
  }

  /**
   * Forgets tokens and stops their timers: every one, or those of `account` and of the active account (call it when
   * that account signs out or the user switches away from it). Callers waiting on a dropped refresh are rejected.
   */
  reset(account?: string): void {
    for (const entry of [...this.entries.values()]) {
      if (!concerns(entry, account)) continue;
      entry.dropped = true;
      this.entries.delete(entry.key);
      this.unschedule(entry);
    }
  }

  /** Clears every timer; refreshes already under way finish without effect. */
  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.values()) this.clearTimer(entry);
    this.entries.clear();
    this.jumpDetector.stop();
    this.removeAllListeners();
  }

  private entryFor(scopes: readonly string[], account: string | undefined): Entry<T> {
    const normalized = normalizeScopes(scopes);
    const key = JSON.stringify([account ?? null, normalized]);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, scopes: normalized, ...(account !== undefined && { account }), lastUsedAt: this.clock.now(), failures: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /**
   * Single flight per scope set: callers join the refresh under way, except that a forced refresh does not trust one
   * that may answer from the cache, nor a caller one that asked for less validity: those start after it.
   */
  private refresh(entry: Entry<T>, trigger: RefreshTrigger, minValidityMs = this.minValidityMs): Promise<T> {
    const current = entry.inFlight;
    const enough = current !== undefined && current.minValidityMs >= minValidityMs;
    if (current && enough && (trigger !== "forced" || current.trigger === "forced")) return current.promise;
    const start = () => this.fetch(entry, trigger, minValidityMs);
    const flight: InFlight<T> = { promise: current ? current.promise.then(start, start) : start(), trigger, minValidityMs };
    entry.inFlight = flight;
    const settle = () => {
      if (entry.inFlight === flight) entry.inFlight = undefined;
    };
    flight.promise.then(settle, settle);
    return flight.promise;
  }

  private async fetch(entry: Entry<T>, trigger: RefreshTrigger, minValidityMs: number): Promise<T> {
    if (entry.dropped) throw droppedError();
    let token: T;
    try {
      token = await this.source.getToken({
        scopes: [...entry.scopes],
        minValiditySec: minValidityMs / MS_PER_SECOND,
        // A background refresh happens while the cached token is still valid: only forcing gets a newer one.
        ...(trigger !== "demand" && { forceRefresh: true }),
        ...(entry.account !== undefined && { account: { homeAccountId: entry.account } }),
      });
      if (entry.account !== undefined && token.account.homeAccountId !== entry.account) throw otherAccountError(entry.account);
    } catch (thrown) {
      const error = asAuthError(thrown);
      if (!this.disposed && !entry.dropped) this.onFailure(entry, error);
      throw error;
    }
    if (entry.dropped) throw droppedError();
    if (!this.disposed) this.onSuccess(entry, token, trigger);
    return token;
  }

  private describe(entry: Entry<T>): EntryRef {
    return { scopes: [...entry.scopes], ...(entry.account !== undefined && { account: entry.account }) };
  }

  private onSuccess(entry: Entry<T>, token: T, trigger: RefreshTrigger): void {
    entry.held = token;
    entry.signInError = undefined;
    const now = this.clock.now();
    const dueAt = this.refreshDueAt(token);
    if (dueAt > now) {
      entry.failures = 0;
      this.schedule(entry, dueAt);
    } else {
      // The source returned a token already inside the refresh window (e.g. a broker that ignores forceRefresh):
      // back off instead of refreshing in a tight loop.
      entry.failures += 1;
      this.schedule(entry, now + backoffDelayMs(entry.failures, this.retry));
    }
    this.emit("refreshed", { ...this.describe(entry), expiresOn: token.expiresOn, trigger });
  }

  private onFailure(entry: Entry<T>, error: AuthError): void {
    entry.failures += 1;
    const failure: RefreshFailedEvent = { ...this.describe(entry), error, attempt: entry.failures };
    if (entry.held) failure.heldExpiresOn = entry.held.expiresOn;
    if (error.kind === "interactionRequired") {
      // One notification per account, not one per scope set.
      const told = [...this.entries.values()].some((other) => other.signInError && other.account === entry.account);
      entry.signInError = error;
      this.unschedule(entry);
      this.emit("refreshFailed", failure);
      if (!told) this.emit("signInRequired", { ...this.describe(entry), error });
      return;
    }
    const retryAt = this.clock.now() + backoffDelayMs(entry.failures, this.retry);
    this.schedule(entry, retryAt);
    this.emit("refreshFailed", { ...failure, retryAt: new Date(retryAt) });
  }

  private refreshDueAt(token: AccessTokenResult): number {
    return token.expiresOn.getTime() - this.minValidityMs - this.random() * this.jitterMaxMs;
  }

  private schedule(entry: Entry<T>, dueAt: number): void {
    entry.dueAt = dueAt;
    this.arm(entry);
    this.jumpDetector.start();
  }

  private unschedule(entry: Entry<T>): void {
    this.clearTimer(entry);
    entry.dueAt = undefined;
    if (![...this.entries.values()].some((other) => other.dueAt !== undefined)) this.jumpDetector.stop();
  }

  private arm(entry: Entry<T>): void {
    this.clearTimer(entry);
    if (entry.dueAt === undefined) return;
    const delay = Math.min(Math.max(0, entry.dueAt - this.clock.now()), MAX_TIMER_MS);
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.check(entry);
    }, delay);
  }

  private clearTimer(entry: Entry<T>): void {
    if (entry.timer === undefined) return;
    this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  /** Decides by the wall clock, whatever woke it: a timer, or a detected clock jump. */
  private check(entry: Entry<T>): void {
    if (entry.dueAt === undefined) return;
    const now = this.clock.now();
    if (now < entry.dueAt) {
      this.arm(entry);
      return;
    }
    const idleForMs = now - entry.lastUsedAt;
    if (idleForMs >= this.idleAfterMs) {
      this.unschedule(entry);
      this.emit("idle", { ...this.describe(entry), idleForMs });
      return;
    }
    // Failures are handled (rescheduled, reported) in onFailure; nobody awaits a background refresh.
    this.refresh(entry, "background").catch(() => undefined);
  }

  private onClockJump(driftMs: number): void {
    this.emit("clockJump", { driftMs });
    for (const entry of this.entries.values()) {
      this.clearTimer(entry);
      this.check(entry);
    }
  }
}
