import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import type { AuthService } from "../../../src/core/auth/auth-service.js";
import { TokenKeeper, type TokenKeeperEvents, type TokenKeeperOptions } from "../../../src/core/tokens/token-keeper.js";
import type { TokenSource } from "../../../src/core/tokens/token-source.js";
import { FakeClock, seededRandom, settle } from "./fake-clock.js";
import { FakeTokenSource, TOKEN_MARKER, gate, interactionRequired, unreachable } from "./fake-token-source.js";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const SCOPES = ["User.Read"];

/** Token lifetime 1 h, min validity 5 min, jitter up to 60 s drawn as 0.5: background refresh 54.5 min after issue. */
const REFRESH_AFTER = HOUR - 5 * MIN - 30 * SEC;

/** Jitter up to 20 min drawn as 0.5: the background refresh is due at 45 min, while 15 min are left. */
const early = { jitterMaxMs: 20 * MIN, retry: { initialMs: 30 * SEC, maxMs: 2 * MIN } };

const keepers: TokenKeeper[] = [];
afterEach(() => {
  for (const keeper of keepers.splice(0)) keeper.dispose();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function setup(options: TokenKeeperOptions = {}) {
  const clock = new FakeClock();
  const start = clock.now();
  const source = new FakeTokenSource(clock);
  const keeper = new TokenKeeper(source, { clock, random: () => 0.5, ...options });
  keepers.push(keeper);
  const events: Array<{ name: keyof TokenKeeperEvents; payload: unknown }> = [];
  for (const name of ["refreshed", "refreshFailed", "signInRequired", "clockJump", "idle"] as const) {
    keeper.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  const named = (name: keyof TokenKeeperEvents) => events.filter((event) => event.name === name).map((e) => e.payload);
  /** Minutes since the start at which the source was called. */
  const callMinutes = () => source.calls.map((call) => (call.at - start) / MIN);
  return { clock, source, keeper, events, named, callMinutes, start };
}

describe("TokenKeeper: answering from memory", () => {
  it("fetches once, then serves the held token without asking the source while it has min validity left", async () => {
    const { clock, source, keeper } = setup();

    const first = await keeper.currentToken(SCOPES);
    await clock.advance(REFRESH_AFTER - SEC);
    const later = await keeper.currentToken(["User.Read", "User.Read"]);

    expect(later).toBe(first);
    expect(source.calls).toEqual([{ scopes: ["User.Read"], minValiditySec: 300, at: expect.any(Number) }]);
  });

  it("still serves the held token with exactly min validity left", async () => {
    const { clock, source, keeper } = setup({ idleAfterMs: MIN });
    const first = await keeper.currentToken(SCOPES);
    await clock.advance(55 * MIN);
    expect(await keeper.currentToken(SCOPES)).toBe(first);
    expect(source.calls).toHaveLength(1);
  });

  it("awaits one refresh when the held token has less than min validity left, without forcing the source", async () => {
    // Idle after 1 min, so no background refresh gets there first.
    const { clock, source, keeper, callMinutes, start } = setup({ idleAfterMs: MIN });
    const first = await keeper.currentToken(SCOPES);
    await clock.advance(56 * MIN);

    const next = await keeper.currentToken(SCOPES);

    expect(next.accessToken).not.toBe(first.accessToken);
    expect(callMinutes()).toEqual([0, 56]);
    expect(source.calls[1]).toEqual({ scopes: SCOPES, minValiditySec: 300, at: start + 56 * MIN });
  });

  it("shares one refresh among concurrent callers: the source sees one call", async () => {
    const { source, keeper } = setup();
    const answer = gate();
    source.answerNext(answer.promise);

    const callers = Array.from({ length: 25 }, () => keeper.currentToken(["b", "a"]));
    await settle();
    expect(source.calls).toHaveLength(1);
    answer.open();
    const tokens = await Promise.all(callers);

    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(source.calls).toEqual([expect.objectContaining({ scopes: ["a", "b"] })]);
  });

  it("refreshes for a caller that needs more validity than the held token has, and asks the source for that much", async () => {
    const { clock, source, keeper, start } = setup({ idleAfterMs: MIN });
    const first = await keeper.currentToken(SCOPES);
    await clock.advance(30 * MIN);

    expect(await keeper.currentToken(SCOPES)).toBe(first);
    const longer = await keeper.currentToken(SCOPES, { minValiditySec: 40 * 60 });

    expect(longer.accessToken).not.toBe(first.accessToken);
    expect(source.calls[1]).toEqual({ scopes: SCOPES, minValiditySec: 2400, at: start + 30 * MIN });
  });

  it("does not hand a caller the result of a refresh under way that asked for less validity than it needs", async () => {
    const { source, keeper } = setup();
    const answer = gate();
    source.answerNext(answer.promise);
    const usual = keeper.currentToken(SCOPES);
    const longer = keeper.currentToken(SCOPES, { minValiditySec: 3000 });
    await settle();
    expect(source.calls).toHaveLength(1);
    answer.open();
    await Promise.all([usual, longer]);

    expect(source.calls.map((call) => call.minValiditySec)).toEqual([300, 3000]);
  });

  it("keeps a token per scope set", async () => {
    const { source, keeper } = setup();
    const graph = await keeper.currentToken(["User.Read"]);
    const api = await keeper.currentToken(["api://app/.default"]);

    expect(graph.accessToken).not.toBe(api.accessToken);
    expect(await keeper.currentToken(["User.Read"])).toBe(graph);
    expect(source.calls.map((call) => call.scopes)).toEqual([["User.Read"], ["api://app/.default"]]);
  });

  it("forceRefresh skips the held token; concurrent forced callers share one call, after any refresh under way", async () => {
    const { source, keeper } = setup();
    const held = await keeper.currentToken(SCOPES);

    const forced = await Promise.all([
      keeper.currentToken(SCOPES, { forceRefresh: true }),
      keeper.currentToken(SCOPES, { forceRefresh: true }),
    ]);
    expect(forced[0]).toBe(forced[1]);
    expect(forced[0].accessToken).not.toBe(held.accessToken);
    expect(source.calls.slice(1)).toEqual([expect.objectContaining({ forceRefresh: true })]);

    // A demand refresh may answer from the source's cache, so a forced one queued behind it still goes out.
    const fresh = setup();
    const answer = gate();
    fresh.source.answerNext(answer.promise);
    const demand = fresh.keeper.currentToken(SCOPES);
    const forcedAfter = fresh.keeper.currentToken(SCOPES, { forceRefresh: true });
    answer.open();
    expect((await forcedAfter).accessToken).not.toBe((await demand).accessToken);
    expect(fresh.source.calls.map((call) => call.forceRefresh ?? false)).toEqual([false, true]);
  });
});

describe("TokenKeeper: background refresh", () => {
  it("refreshes at expiry - min validity - jitter, forcing the source, so callers never wait", async () => {
    const { clock, source, keeper, named, start } = setup();
    await keeper.currentToken(SCOPES);

    await clock.advance(REFRESH_AFTER - 1);
    expect(source.calls).toHaveLength(1);
    await clock.advance(1);
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]).toMatchObject({ forceRefresh: true, at: start + REFRESH_AFTER });
    expect(named("refreshed")).toEqual([
      { scopes: SCOPES, expiresOn: new Date(start + HOUR), trigger: "demand" },
      { scopes: SCOPES, expiresOn: new Date(start + REFRESH_AFTER + HOUR), trigger: "background" },
    ]);
    expect((await keeper.currentToken(SCOPES)).accessToken).toBe(`${TOKEN_MARKER}-2-ada`);
  });

  it("draws the jitter at random, within [0, jitterMaxMs], from the injected source of randomness", async () => {
    const offsets: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { clock, source, keeper, start } = setup({ random: seededRandom(seed), jitterMaxMs: 2 * MIN });
      await keeper.currentToken(SCOPES);
      await clock.advance(HOUR - 5 * MIN);
      const call = source.calls[1];
      if (!call) throw new Error(`seed ${seed}: no background refresh before expiry - min validity`);
      offsets.push(HOUR - 5 * MIN - (call.at - start));
    }
    expect(offsets.every((offset) => offset >= 0 && offset <= 2 * MIN)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(4);
  });

  it("retries a failed refresh with capped exponential backoff and keeps serving the valid token", async () => {
    const { clock, source, keeper, named, callMinutes, start } = setup(early);
    const held = await keeper.currentToken(SCOPES);
    source.answerNext(unreachable(), unreachable(), unreachable(), unreachable());

    await clock.advance(50 * MIN);
    // Retries 0.5, 1, 2, 2 min apart (capped at 2); the one at 50.5 min will succeed.
    expect(callMinutes()).toEqual([0, 45, 45.5, 46.5, 48.5]);
    expect(await keeper.currentToken(SCOPES)).toBe(held);
    expect(source.calls).toHaveLength(5);
    expect(named("refreshFailed")[3]).toEqual({
      scopes: SCOPES,
      error: expect.objectContaining({ kind: "unreachable" }),
      attempt: 4,
      retryAt: new Date(start + 50.5 * MIN),
      heldExpiresOn: held.expiresOn,
    });
    expect(keeper.status).toBe("active");

    await clock.advance(MIN);
    expect(callMinutes()).toEqual([0, 45, 45.5, 46.5, 48.5, 50.5]);
    expect(source.calls.slice(1).every((call) => call.forceRefresh)).toBe(true);
    // The backoff was reset: the next refresh comes one normal cycle after the success.
    await clock.advance(45 * MIN);
    expect(callMinutes()).toEqual([0, 45, 45.5, 46.5, 48.5, 50.5, 95.5]);
  });

  it("counts failures afresh after a success: the next failure is attempt 1 and retries after the first delay", async () => {
    const { clock, source, keeper, named, callMinutes, start } = setup(early);
    await keeper.currentToken(SCOPES);
    source.answerNext(unreachable(), unreachable(), unreachable());
    await clock.advance(50 * MIN);
    // Failed at 45, 45.5 and 46.5 min; the token from 48.5 min is due for refresh 45 min later.
    expect(callMinutes()).toEqual([0, 45, 45.5, 46.5, 48.5]);

    await keeper.currentToken(SCOPES); // still in use, so it is not left idle
    source.answerNext(unreachable());
    await clock.advance(44 * MIN);
    // Failed at 93.5 min, retried half a minute later (the first delay), not after the capped 2 min.
    expect(callMinutes()).toEqual([0, 45, 45.5, 46.5, 48.5, 93.5, 94]);
    expect(named("refreshFailed").at(-1)).toMatchObject({ attempt: 1, retryAt: new Date(start + 94 * MIN) });
  });

  it("serves the still-valid token while retries fail, and fails callers only once it is below min validity", async () => {
    const { clock, source, keeper } = setup(early);
    const held = await keeper.currentToken(SCOPES);
    source.answerNext(...Array.from({ length: 20 }, unreachable));

    await clock.advance(54 * MIN);
    expect(await keeper.currentToken(SCOPES)).toBe(held);
    await clock.advance(2 * MIN);
    // 4 min left, less than the 5 promised: the keeper does not hand out a token that dies soon, and says why.
    await expect(keeper.currentToken(SCOPES)).rejects.toMatchObject({
      name: "AuthError",
      kind: "unreachable",
      message: expect.stringContaining("idp.example"),
    });
  });

  it("wraps errors that are not AuthErrors into an 'unexpected' AuthError with a message and an action", async () => {
    const { source, keeper } = setup();
    source.answerNext(new TypeError("fetch failed"));

    const failure = await keeper.currentToken(SCOPES).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({
      kind: "unexpected",
      message: "Refreshing the access token failed unexpectedly (TypeError).",
      action: expect.stringMatching(/sign in again/),
    });
  });

  it("does not loop when the source keeps returning a token already inside the refresh window", async () => {
    const { clock, source, keeper, start } = setup({ retry: { initialMs: 10 * SEC, maxMs: 2 * MIN } });
    await keeper.currentToken(SCOPES);
    // From now on the source answers with tokens that have only 4 min left (a broker ignoring forceRefresh).
    source.answerNext(...Array.from({ length: 100 }, () => ({ lifetimeMs: 4 * MIN })));

    await clock.advance(HOUR);

    // Backing off 10 s, 20 s, 40 s, 80 s, 2 min between 54.5 and 60 min: a handful of calls, not thousands.
    expect(source.calls.map((call) => (call.at - start) / SEC)).toEqual([0, 3270, 3280, 3300, 3340, 3420, 3540]);
  });
});

describe("TokenKeeper: sign-in required", () => {
  it("stops retrying on interactionRequired, says so once, keeps serving a valid token, and resumes on request", async () => {
    const { clock, source, keeper, named, start } = setup(early);
    const held = await keeper.currentToken(SCOPES);
    await keeper.currentToken(["api://app/.default"]);
    source.answerNext(interactionRequired(), interactionRequired());

    await clock.advance(45 * MIN);
    expect(keeper.status).toBe("signInRequired");
    expect(named("signInRequired")).toEqual([
      { scopes: SCOPES, error: expect.objectContaining({ kind: "interactionRequired", action: "Sign in again." }) },
    ]);
    expect(named("refreshFailed")).toHaveLength(2);
    expect(named("refreshFailed")[0]).not.toHaveProperty("retryAt");

    await clock.advance(5 * MIN);
    expect(source.calls).toHaveLength(4);
    expect(await keeper.currentToken(SCOPES)).toBe(held);

    keeper.resume();
    await clock.advance(0);
    expect(source.calls.slice(4)).toEqual([
      expect.objectContaining({ scopes: ["User.Read"], forceRefresh: true, at: start + 50 * MIN }),
      expect.objectContaining({ scopes: ["api://app/.default"], forceRefresh: true, at: start + 50 * MIN }),
    ]);
    expect(keeper.status).toBe("active");
  });

  it("rejects a caller whose token ran out with the stored AuthError, without asking the identity provider", async () => {
    const { clock, source, keeper, named } = setup({ jitterMaxMs: 0 });
    await keeper.currentToken(SCOPES);
    source.answerNext(interactionRequired());
    await clock.advance(2 * HOUR);
    const [stored] = named("signInRequired") as Array<{ error: AuthError }>;

    for (const forceRefresh of [false, false, true]) {
      await expect(keeper.currentToken(SCOPES, { forceRefresh })).rejects.toBe(stored?.error);
    }
    expect(source.calls).toHaveLength(2);
  });

  it("after a failed first request, keeps rejecting at once until resume() or reset()", async () => {
    const { source, keeper } = setup();
    source.answerNext(interactionRequired());
    const first = await keeper.currentToken(SCOPES).catch((error: unknown) => error);
    expect(first).toMatchObject({ kind: "interactionRequired" });

    await expect(keeper.currentToken(SCOPES)).rejects.toBe(first);
    expect(source.calls).toHaveLength(1);

    keeper.resume();
    await keeper.currentToken(SCOPES);
    expect(source.calls).toHaveLength(2);

    source.answerNext(interactionRequired());
    await keeper.currentToken(["other"]).catch(() => undefined);
    keeper.reset();
    expect(keeper.status).toBe("active");
    await keeper.currentToken(["other"]);
    expect(source.calls).toHaveLength(4);
  });
});

describe("TokenKeeper: accounts", () => {
  it("asks the source for the named account and keeps each account's tokens apart, refreshes included", async () => {
    const { clock, source, keeper } = setup({ idleAfterMs: 8 * HOUR });
    const ada = await keeper.currentToken(SCOPES, { account: "ada" });
    const bob = await keeper.currentToken(SCOPES, { account: "bob" });

    expect([ada.account.homeAccountId, bob.account.homeAccountId]).toEqual(["ada", "bob"]);
    expect(await keeper.currentToken(SCOPES, { account: "ada" })).toBe(ada);
    expect(await keeper.currentToken(SCOPES, { account: "bob" })).toBe(bob);
    await clock.advance(REFRESH_AFTER);
    expect(source.calls.map((call) => [call.account?.homeAccountId, call.forceRefresh ?? false])).toEqual([
      ["ada", false], ["bob", false], ["ada", true], ["bob", true],
    ]);
    expect((await keeper.currentToken(SCOPES, { account: "bob" })).account.homeAccountId).toBe("bob");
  });

  it("after an account switch, reset() stops it serving any account's token and clears its timers", async () => {
    const { clock, source, keeper } = setup();
    const ada = await keeper.currentToken(SCOPES);
    const named = await keeper.currentToken(SCOPES, { account: "carol" });
    source.activeAccount = "bob"; // the app switched accounts

    keeper.reset();

    expect(clock.pendingTimers).toBe(0);
    const next = await keeper.currentToken(SCOPES);
    expect(next.account.homeAccountId).toBe("bob");
    expect(next.accessToken).not.toBe(ada.accessToken);
    expect(await keeper.currentToken(SCOPES, { account: "carol" })).not.toBe(named);
    expect(source.calls).toHaveLength(4);
  });

  it("reset(account) drops that account's and the active account's tokens, and keeps the others'", async () => {
    const { clock, source, keeper, callMinutes } = setup({ jitterMaxMs: 0, idleAfterMs: 8 * HOUR });
    await keeper.currentToken(SCOPES, { account: "ada" });
    const bob = await keeper.currentToken(SCOPES, { account: "bob" });
    await keeper.currentToken(SCOPES); // the active account: ada

    keeper.reset("ada"); // ada signed out
    source.activeAccount = "bob";

    expect(clock.pendingTimers).toBe(2); // bob's refresh and the clock check
    expect(await keeper.currentToken(SCOPES, { account: "bob" })).toBe(bob);
    expect((await keeper.currentToken(SCOPES)).account.homeAccountId).toBe("bob");
    await clock.advance(55 * MIN);
    expect(callMinutes()).toEqual([0, 0, 0, 0, 55, 55]);
    expect(source.calls.slice(3).map((call) => call.account?.homeAccountId ?? "active")).toEqual(["active", "bob", "active"]);
  });

  it("rejects callers still waiting on a refresh that reset() dropped, and never keeps its token", async () => {
    const { clock, source, keeper } = setup();
    const answer = gate();
    source.answerNext(answer.promise);
    const pending = keeper.currentToken(SCOPES);
    await settle();

    keeper.reset();
    source.activeAccount = "bob";
    answer.open();

    await expect(pending).rejects.toMatchObject({
      name: "AuthError", kind: "cancelled", message: expect.stringContaining("switched"), action: expect.stringContaining("again"),
    });
    expect(clock.pendingTimers).toBe(0);
    expect((await keeper.currentToken(SCOPES)).account.homeAccountId).toBe("bob");
  });

  it("says nothing about a refresh that reset() dropped and that then fails (no 'sign in again' after a sign-out)", async () => {
    const { keeper, source, events } = setup();
    let fail!: () => void;
    source.answerNext(new Promise<void>((_, reject) => (fail = () => reject(interactionRequired()))));
    const pending = keeper.currentToken(SCOPES).catch((error: unknown) => error);
    await settle();

    keeper.reset();
    fail();

    expect(await pending).toMatchObject({ kind: "interactionRequired" });
    expect(events.map((event) => event.name)).toEqual([]);
  });

  it("tells once per account that it must sign in again, and resume(account) restarts only that account", async () => {
    const { clock, source, keeper, named } = setup(early);
    for (const account of ["ada", "bob"]) {
      await keeper.currentToken(SCOPES, { account });
      await keeper.currentToken(["api://app/.default"], { account });
    }
    source.answerNext(...Array.from({ length: 4 }, interactionRequired));
    await clock.advance(45 * MIN);

    expect(named("signInRequired")).toEqual([
      { scopes: SCOPES, account: "ada", error: expect.objectContaining({ kind: "interactionRequired" }) },
      { scopes: SCOPES, account: "bob", error: expect.objectContaining({ kind: "interactionRequired" }) },
    ]);
    keeper.resume("bob");
    await clock.advance(0);
    expect(source.calls.slice(8).map((call) => call.account?.homeAccountId)).toEqual(["bob", "bob"]);
    expect(keeper.status).toBe("signInRequired");
  });

  it("does not serve a token the source issued for another account than the one asked for", async () => {
    const { clock, source, keeper, named } = setup(early);
    source.answerNext({ account: "bob" });
    await expect(keeper.currentToken(SCOPES, { account: "ada" })).rejects.toMatchObject({
      kind: "unexpected", message: expect.stringContaining("different account"), action: expect.stringMatching(/^Try again/),
    });
    const held = await keeper.currentToken(SCOPES, { account: "ada" });

    source.answerNext({ account: "bob" });
    await clock.advance(45 * MIN);

    expect(await keeper.currentToken(SCOPES, { account: "ada" })).toBe(held);
    expect(named("refreshFailed").at(-1)).toMatchObject({ account: "ada", scopes: SCOPES, error: { kind: "unexpected" } });
    expect(JSON.stringify(named("refreshFailed"))).not.toContain(TOKEN_MARKER);
  });
});

describe("TokenKeeper: clock jumps", () => {
  it("after a 2-hour suspend, refreshes within one clock check of waking instead of trusting the late timer", async () => {
    const { clock, source, keeper, named, start } = setup({ idleAfterMs: 8 * HOUR, jitterMaxMs: 0 });
    await keeper.currentToken(SCOPES);
    await clock.advance(30 * MIN);

    clock.suspend(2 * HOUR);
    await clock.advance(15 * SEC);

    expect(named("clockJump")).toEqual([{ driftMs: 2 * HOUR }]);
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]).toMatchObject({ forceRefresh: true, at: start + 2.5 * HOUR + 15 * SEC });
    expect((await keeper.currentToken(SCOPES)).expiresOn.getTime()).toBe(start + 3.5 * HOUR + 15 * SEC);
    expect(source.calls).toHaveLength(2);
  });

  it("after a suspend longer than the idle limit, refreshes nothing until the next request", async () => {
    const { clock, source, keeper, named } = setup();
    await keeper.currentToken(SCOPES);

    clock.suspend(2 * HOUR);
    await clock.advance(15 * SEC);

    expect(named("idle")).toEqual([{ scopes: SCOPES, idleForMs: 2 * HOUR + 15 * SEC }]);
    expect(source.calls).toHaveLength(1);
    const token = await keeper.currentToken(SCOPES);
    expect(source.calls).toHaveLength(2);
    expect(token.accessToken).toBe(`${TOKEN_MARKER}-2-ada`);
  });

  it("follows the wall clock when it is set forward or back while awake", async () => {
    const { clock, keeper, callMinutes, start } = setup({ jitterMaxMs: 0, idleAfterMs: 24 * HOUR });
    await keeper.currentToken(SCOPES);

    // Set forward past the refresh due at 55 min: the next clock check refreshes.
    clock.setWallClock(start + 58 * MIN);
    await clock.advance(15 * SEC);
    expect(callMinutes()).toEqual([0, 58.25]);

    // Set back an hour: the refresh due at 113.25 min (wall) is now 114.75 min away, and waits for it.
    clock.setWallClock(clock.now() - HOUR);
    await clock.advance(15 * SEC);
    await clock.advance(114 * MIN);
    expect(callMinutes()).toHaveLength(2);
    await clock.advance(MIN);
    expect(callMinutes()).toEqual([0, 58.25, 113.25]);
  });

  it("reports no jump while wall and monotonic time advance alike", async () => {
    const { clock, keeper, named } = setup();
    await keeper.currentToken(SCOPES);
    await clock.advance(10 * HOUR);
    expect(named("clockJump")).toEqual([]);
  });

  it("uses the system clocks by default (Date for expiries, performance.now for elapsed time)", async () => {
    vi.useFakeTimers({ toFake: ["Date", "performance", "setTimeout", "clearTimeout"] });
    const source = new FakeTokenSource({ now: () => Date.now() });
    const keeper = new TokenKeeper(source, { idleAfterMs: 8 * HOUR, jitterMaxMs: 0 });
    keepers.push(keeper);
    const jumps: number[] = [];
    keeper.on("clockJump", ({ driftMs }) => jumps.push(driftMs));
    await keeper.currentToken(SCOPES);

    vi.setSystemTime(Date.now() + 2 * HOUR); // moves Date but not performance.now, as a suspend does
    await vi.advanceTimersByTimeAsync(15 * SEC);

    expect(jumps).toEqual([2 * HOUR]);
    expect(source.calls).toHaveLength(2);
  });
});

describe("TokenKeeper: idle scope sets", () => {
  it("stops refreshing a scope set nobody asked for within idleAfterMs, and revives it on the next request", async () => {
    const { clock, keeper, named, callMinutes } = setup({ jitterMaxMs: 0 });
    await keeper.currentToken(SCOPES);

    await clock.advance(24 * HOUR);

    // Refreshed once (used 55 min before), then idle: no traffic for the rest of the day, no timers left.
    expect(callMinutes()).toEqual([0, 55]);
    expect(named("idle")).toEqual([{ scopes: SCOPES, idleForMs: 110 * MIN }]);
    expect(clock.pendingTimers).toBe(0);

    const revived = await keeper.currentToken(SCOPES);
    expect(revived.expiresOn.getTime()).toBe(clock.now() + HOUR);
    await clock.advance(55 * MIN);
    expect(callMinutes()).toEqual([0, 55, 24 * 60, 24 * 60 + 55]);
  });

  it("revives background refresh when an idle scope set is used while its token is still fresh", async () => {
    const { clock, source, keeper, named, callMinutes } = setup({ idleAfterMs: 10 * MIN, jitterMaxMs: 20 * MIN });
    const first = await keeper.currentToken(SCOPES);
    await clock.advance(50 * MIN); // due at 45 min, but unused for 10 min: idle, no refresh
    expect(named("idle")).toHaveLength(1);
    expect(source.calls).toHaveLength(1);

    // 10 min left: served from memory, and the background refresh (already due) runs at once.
    expect(await keeper.currentToken(SCOPES)).toBe(first);
    await clock.advance(0);
    expect(callMinutes()).toEqual([0, 50]);
    expect(source.calls[1]).toMatchObject({ forceRefresh: true });
  });
});

describe("TokenKeeper: lifecycle and secrecy", () => {
  it("dispose() clears every timer, ignores a refresh that finishes later, and refuses further requests", async () => {
    const { clock, source, keeper } = setup();
    await keeper.currentToken(SCOPES);
    const answer = gate();
    source.answerNext(answer.promise);
    const pending = keeper.currentToken(["other"]);
    expect(clock.pendingTimers).toBeGreaterThan(0);

    keeper.dispose();
    expect(clock.pendingTimers).toBe(0);
    answer.open();
    await pending;
    expect(clock.pendingTimers).toBe(0);
    expect(keeper.status).toBe("disposed");
    const refused = await keeper.currentToken(SCOPES).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({
      kind: "cancelled", message: "The token request was cancelled because this profile's token keeper was stopped.",
      action: "Open the profile again and ask for the token again.",
    });
  });

  it("never puts a token into an event payload and never writes to the console", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method));
    const { clock, source, keeper, events } = setup();
    await keeper.currentToken(SCOPES);
    source.answerNext(unreachable(), new Error(`boom ${TOKEN_MARKER}-in-a-cause`), interactionRequired());
    await clock.advance(3 * HOUR);
    clock.suspend(HOUR);
    await clock.advance(MIN);

    expect(new Set(events.map((event) => event.name))).toEqual(
      new Set(["refreshed", "refreshFailed", "signInRequired"]),
    );
    const serialized = JSON.stringify(events.map((event) => event.payload), (_key, value: unknown) =>
      value instanceof Error ? { ...value, name: value.name, message: value.message } : value);
    expect(serialized).not.toContain(TOKEN_MARKER);
    expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
  });
});

describe("TokenKeeper: options and wiring", () => {
  it("takes the app's AuthService as its token source as it is (checked by tsc)", () => {
    expectTypeOf<AuthService>().toExtend<TokenSource>();
  });

  it("refuses settings that would make no sense or spin, naming the option", () => {
    const source = new FakeTokenSource(new FakeClock());
    // Seconds, as given: not the milliseconds the keeper counts in.
    expect(() => new TokenKeeper(source, { minValiditySec: -1 })).toThrow("option minValiditySec must be a number >= 0, got -1.");
    expect(() => new TokenKeeper(source, { idleAfterMs: Number.NaN })).toThrow(/idleAfterMs/);
    expect(() => new TokenKeeper(source, { retry: { initialMs: 0 } })).toThrow("option retry.initialMs must be a number >= 1");
    expect(() => new TokenKeeper(source, { clockCheckIntervalMs: 0 })).toThrow(/clockCheckIntervalMs/);
  });

  it("refuses a request's own minimum validity below zero, naming it", async () => {
    const { keeper } = setup();
    await expect(keeper.currentToken(SCOPES, { minValiditySec: -5 })).rejects.toThrow("option minValiditySec must be a number >= 0, got -5.");
  });
});
