import { AuthError } from "../../../src/core/errors/auth-error.js";
import type { Clock } from "../../../src/core/tokens/clock.js";
import type { AccessTokenResult, TokenRequest, TokenSource } from "../../../src/core/tokens/token-source.js";

/** Every token this source issues contains this marker, so tests can prove no token leaks into events or logs. */
export const TOKEN_MARKER = "SECRET-TOKEN";

/** A token with a custom lifetime, or (as a misbehaving source might) for another account than the one asked for. */
interface Issue { lifetimeMs?: number; account?: string }
type Outcome = "ok" | AuthError | Error | Issue | Promise<void>;

/**
 * Records each request (with the wall-clock time it arrived) and answers from a script, then with fresh tokens for
 * the account asked for, or for `activeAccount` when the request names none (as AuthService does).
 */
export class FakeTokenSource implements TokenSource {
  readonly calls: Array<TokenRequest & { at: number }> = [];
  activeAccount = "ada";
  private readonly script: Outcome[] = [];
  private issued = 0;

  constructor(private readonly clock: Pick<Clock, "now">, private readonly lifetimeMs = 60 * 60_000) {}

  /** Queues outcomes for the next calls: a failure, a gate to wait on, a custom token, or "ok". */
  answerNext(...outcomes: Outcome[]): this {
    this.script.push(...outcomes);
    return this;
  }

  async getToken(request: TokenRequest): Promise<AccessTokenResult> {
    this.calls.push({ ...request, at: this.clock.now() });
    const outcome = this.script.shift() ?? "ok";
    if (outcome instanceof Error) throw outcome;
    if (outcome instanceof Promise) await outcome;
    const issue: Issue = typeof outcome === "object" && !(outcome instanceof Promise) ? outcome : {};
    const account = issue.account ?? request.account?.homeAccountId ?? this.activeAccount;
    this.issued += 1;
    return {
      accessToken: `${TOKEN_MARKER}-${this.issued}-${account}`,
      expiresOn: new Date(this.clock.now() + (issue.lifetimeMs ?? this.lifetimeMs)),
      scopes: request.scopes,
      account: { homeAccountId: account, username: `${account}@example.com` },
    };
  }
}

export const unreachable = () =>
  new AuthError("unreachable", "The identity provider at idp.example could not be reached.", "Check the network.");
export const interactionRequired = () =>
  new AuthError("interactionRequired", "The session ended; the refresh token was revoked.", "Sign in again.");

/** A promise the test resolves when it wants the source to answer. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
