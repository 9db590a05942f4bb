import type { Clock } from "../src/core/tokens/clock.js";
import { TokenKeeper } from "../src/core/tokens/token-keeper.js";
import type { AccessTokenResult, TokenRequest, TokenSource } from "../src/core/tokens/token-source.js";
import { FakeClock, seededRandom } from "../test/core/tokens/fake-clock.js";
import type { Table } from "./report.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TOKEN_LIFETIME_MS = HOUR;
const MIN_VALIDITY_SEC = 300;
const PRESSES = 10_000;
const SCOPES = ["User.Read"];

/**
 * MSAL's token cache in front of an IdP that issues 1-hour access tokens: a request reaches the token endpoint only
 * when the cached token would not last `minValiditySec`, or when a refresh is forced. The sign-in's own token is
 * in the cache at the start and is not counted.
 */
class ModelledIdp implements TokenSource {
  requests = 0;
  private token: AccessTokenResult;

  constructor(private readonly clock: Pick<Clock, "now">) {
    this.token = this.issue();
  }

  async getToken(request: TokenRequest): Promise<AccessTokenResult> {
    const leftMs = this.token.expiresOn.getTime() - this.clock.now();
    if (request.forceRefresh || leftMs < request.minValiditySec * 1000) {
      this.requests += 1;
      this.token = this.issue();
    }
    return this.token;
  }

  private issue(): AccessTokenResult {
    return {
      accessToken: `modelled-${this.requests}`,
      expiresOn: new Date(this.clock.now() + TOKEN_LIFETIME_MS),
      scopes: SCOPES,
      account: { homeAccountId: "modelled-user", username: "ada@example.test" },
    };
  }
}

interface DayResult { requests: number; waited: number }

/** Presses at the given offsets (ms from sign-in); a press "waited" when it caused a token-endpoint request. */
async function runDay(pressAt: readonly number[], press: (idp: ModelledIdp, clock: FakeClock) => {
  first?: () => Promise<unknown>;
  each: () => Promise<unknown>;
  done: () => void;
}): Promise<DayResult> {
  const clock = new FakeClock();
  const idp = new ModelledIdp(clock);
  const user = press(idp, clock);
  await user.first?.();
  let elapsed = 0;
  let waited = 0;
  for (const at of pressAt) {
    await clock.advance(at - elapsed);
    elapsed = at;
    const before = idp.requests;
    await user.each();
    if (idp.requests > before) waited += 1;
  }
  await clock.advance(DAY - elapsed);
  user.done();
  return { requests: idp.requests, waited };
}

/** The app as built: one keeper; it takes the sign-in's token at once, as the app does to show the account. */
const withKeeper = (idp: ModelledIdp, clock: FakeClock) => {
  const keeper = new TokenKeeper(idp, { clock, minValiditySec: MIN_VALIDITY_SEC, random: seededRandom(42) });
  return {
    first: () => keeper.currentToken(SCOPES),
    each: () => keeper.currentToken(SCOPES),
    done: () => keeper.dispose(),
  };
};

/** Microsoft's samples: acquireTokenSilent on every use, refreshing only when the cached token is too close to expiry. */
const silentPerPress = (idp: ModelledIdp) => ({
  each: () => idp.getToken({ scopes: SCOPES, minValiditySec: MIN_VALIDITY_SEC }),
  done: () => undefined,
});

/** Fewest requests that still hand every press a token with minValidity left: refresh exactly when one is needed. */
function minimumRequests(pressAt: readonly number[]): number {
  const usableMs = TOKEN_LIFETIME_MS - MIN_VALIDITY_SEC * 1000;
  let coveredUntil = usableMs;
  let requests = 0;
  for (const at of pressAt) {
    if (at <= coveredUntil) continue;
    requests += 1;
    coveredUntil = at + usableMs;
  }
  return requests;
}

/** Part 2: token-endpoint traffic over one simulated day (fake clock), idle and with 10,000 presses. */
export async function simulateDay(): Promise<Table> {
  const random = seededRandom(2026);
  const pressAt = Array.from({ length: PRESSES }, () => Math.floor(random() * DAY)).sort((a, b) => a - b);
  const idle = await runDay([], withKeeper);
  const kept = await runDay(pressAt, withKeeper);
  const silent = await runDay(pressAt, silentPerPress);
  const minimum = minimumRequests(pressAt);
  const usableMin = (TOKEN_LIFETIME_MS - MIN_VALIDITY_SEC * 1000) / MINUTE;
  const presses = PRESSES.toLocaleString("en-US");
  return {
    title: "2. Token-endpoint requests in one simulated day (fake clock; IdP modelled: 1 h access tokens behind MSAL's cache)",
    columns: ["day", "strategy", "IdP requests", "minimum", "presses that waited on the IdP"],
    rows: [
      ["idle: signed in, no presses", "TokenKeeper", idle.requests.toString(), "0", "-"],
      [`${presses} presses, uniform over 24 h`, "TokenKeeper", kept.requests.toString(), minimum.toString(), kept.waited.toString()],
      [`${presses} presses, uniform over 24 h`, "acquireTokenSilent per press", silent.requests.toString(), minimum.toString(), silent.waited.toString()],
    ],
    notes: [
      `Model: a counting token source stands for MSAL's cache in front of the IdP, which issues ${TOKEN_LIFETIME_MS / HOUR} h access tokens; the sign-in's token (t = 0) is not counted.`,
      `Keeper defaults: min validity ${MIN_VALIDITY_SEC} s, background refresh 5 min plus up to 60 s of jitter before expiry, idle after 1 h unused.`,
      `Minimum: a token can serve presses for ${usableMin} min (lifetime - min validity), so presses covering 24 h need about ceil(24 h / ${usableMin} min) - 1 = ${Math.ceil(DAY / (usableMin * MINUTE)) - 1} refreshes; exact for these press times: ${minimum}. An idle user needs none.`,
    ],
  };
}
