import type { AccountSummary, AuthState } from "./auth-state.js";

/**
 * signedOut -> signingIn -> signedIn(account) <-> refreshing, and error from any state, with the active account.
 * While a sign-in runs, only its end changes the state (`set`); other outcomes `show` theirs unless one runs.
 * Calls `changed` on every change that listeners would redraw.
 */
export class AuthStateMachine {
  /** The account tokens are for when the caller names none. */
  active: AccountSummary | undefined;

  constructor(private readonly changed: (state: AuthState) => void, private current: AuthState = { status: "signedOut" }) {}

  get state(): AuthState {
    return this.current;
  }

  /** What to show when nothing is going on: the active account, or signed out. */
  resting(): AuthState {
    return this.active ? { status: "signedIn", account: this.active } : { status: "signedOut" };
  }

  /** After the cache changed: keep the active account if it is still there, else take the first one. */
  settle(accounts: AccountSummary[]): void {
    const stillThere = accounts.find((a) => a.homeAccountId === this.active?.homeAccountId);
    this.active = stillThere ?? accounts[0];
    this.show(this.resting());
  }

  /** A sign-in succeeded: its account becomes the active one. */
  adopt(account: AccountSummary): void {
    this.active = account;
    this.set({ status: "signedIn", account });
  }

  /** Shows the state another operation's outcome implies, unless a sign-in is under way: its end decides then. */
  show(next: AuthState): void {
    if (this.current.status !== "signingIn") this.set(next);
  }

  set(next: AuthState): void {
    if (sameState(this.current, next)) return;
    this.current = next;
    this.changed(next);
  }
}

/** Same status, same account and same error: nothing for listeners to redraw. */
function sameState(a: AuthState, b: AuthState): boolean {
  if (a.status !== b.status) return false;
  const accountOf = (s: AuthState) => ("account" in s ? s.account?.homeAccountId : undefined);
  const errorOf = (s: AuthState) => (s.status === "error" ? s.error : undefined);
  return accountOf(a) === accountOf(b) && errorOf(a) === errorOf(b);
}
