import { EventEmitter } from "node:events";
import type { AuthService, SignOutResult, TokenResult } from "../core/auth/auth-service.js";
import type { AccountSummary } from "../core/auth/auth-state.js";
import type { DeviceCodeInfo } from "../core/auth/device-code-run.js";
import type { PopRequest } from "../core/broker/pop-request.js";
import type { ActiveAccounts } from "../core/cache/active-accounts.js";
import { claimRows, type ClaimRow } from "../core/claims/claim-rows.js";
import { decodeJwtClaims } from "../core/claims/decode-jwt-claims.js";
import { tokenExpiry, type TokenExpiry } from "../core/claims/token-expiry.js";
import type { Profile } from "../core/config/profile.js";
import { AuthError } from "../core/errors/auth-error.js";
import { withStorageProblem } from "./errors.js";
import { GraphClient, type GraphPhoto, type GraphResult, type GraphUser } from "../core/graph/graph-client.js";
import { TokenKeeper } from "../core/tokens/token-keeper.js";
import { accountState, problemOf, type SessionState, type StorageState } from "./session-state.js";

export interface SessionDeps {
  auth: AuthService;
  signIn: NonNullable<SessionState["signIn"]>;
  activeAccounts: ActiveAccounts;
  /** Where the process keeps tokens (the same for every profile). */
  storage: () => Promise<StorageState>;
  /** Called after this session signed in or out or switched accounts: its siblings look at the cache again. */
  changed: (session: ProfileSession) => Promise<void>;
  closed: (session: ProfileSession) => void;
  /** Told of what went wrong after a success (the sign-in holds, but it could not be remembered). */
  warn?: (message: string) => void;
}

export interface SessionSignInOptions {
  /** "Sign in with another account": the identity provider lets the user pick or enter one. */
  selectAccount?: boolean;
  loginHint?: string;
  /** The window a broker's dialog belongs to (Electron: `getNativeWindowHandle()`). */
  windowHandle?: Buffer;
  /** Default 5 minutes. */
  timeoutMs?: number;
  /** What the first token is for; default the profile's scopes. */
  scopes?: string[];
  /** Cancels the sign-in, as cancelSignIn() does. */
  signal?: AbortSignal;
  /** Told just before the browser opens: the identity provider was found and accepted the request. */
  onOpeningBrowser?: () => void;
  /** Told when the browser could not be opened, with the page to open by hand; the sign-in then waits for that. */
  onBrowserFailed?: (url: string, error: AuthError) => void;
  /**
   * The account (username or home account id) this sign-in is for: it is the login hint, and the sign-in fails when
   * the identity provider signs in another account (which stays signed in, and becomes the active one).
   */
  forAccount?: string;
}

export interface SessionDeviceCodeOptions {
  onCode: (info: DeviceCodeInfo) => void;
  timeoutMs?: number;
  scopes?: string[];
  signal?: AbortSignal;
}

export interface SessionSignOutOptions {
  /** Default the active account; `all` signs out every account of the profile. */
  account?: AccountSummary | "all";
  /** Open the identity provider's logout page to end its browser session too. Default true. */
  openBrowser?: boolean;
}

export interface SignedOut extends SignOutResult {
  account: AccountSummary;
}

export interface SessionTokenOptions {
  /** Default the profile's scopes. */
  scopes?: string[];
  /** The token stays valid at least this long. Default 300. */
  minValiditySec?: number;
  forceRefresh?: boolean;
  /** A proof-of-possession token bound to this request (never kept: it is good for that request only). */
  pop?: PopRequest;
}

/**
 * One profile as a surface (the CLI, the tray app's main process) sees it: its state as plain data with change
 * events, sign-in and sign-out, the accounts and which one is active (remembered across processes), tokens kept
 * fresh by a TokenKeeper, the claims and the Graph profile of the active account. Another session of the same
 * profile, here or in another process, signing in or out or switching accounts shows here within seconds.
 */
export class ProfileSession {
  readonly profile: Profile;
  private readonly auth: AuthService;
  private readonly deps: SessionDeps;
  private readonly keeper: TokenKeeper<TokenResult>;
  private readonly graph: GraphClient;
  private readonly events = new EventEmitter<{ change: [SessionState] }>();
  private known: AccountSummary[] = [];
  private shown: string;
  private signInAbort: AbortController | undefined;
  /** The account useAccount() chose for this session alone. */
  private pinned: string | undefined;
  /** The last Bearer token handed out for the profile's scopes, for its expiry and claims. */
  private lastToken: TokenResult | undefined;
  private disposed = false;
  private reloading = 0;

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.auth = deps.auth;
    this.profile = deps.auth.profile;
    this.keeper = new TokenKeeper<TokenResult>({ getToken: (request) => this.auth.getToken(request) });
    this.graph = new GraphClient({
      profile: this.profile,
      getToken: ({ forceRefresh }) => this.keeper.currentToken(this.profile.scopes, { ...(forceRefresh && { forceRefresh }) }),
    });
    this.shown = JSON.stringify(this.state);
    this.auth.on("state", () => this.announce());
  }

  /** The profile's state as plain, serialisable data. */
  get state(): SessionState {
    const auth = this.auth.state;
    const active = this.auth.activeAccount;
    return {
      name: this.profile.name,
      displayName: this.profile.displayName,
      authority: this.profile.authority.url,
      authorityKind: this.profile.authority.kind,
      ...(this.auth.trustedTenantId !== undefined && { tenantId: this.auth.trustedTenantId }),
      status: auth.status,
      ...(active && { account: accountState(active) }),
      accounts: this.listed(active).map((each) => ({ ...accountState(each), active: each.homeAccountId === active?.homeAccountId })),
      signIn: this.deps.signIn,
      ...(auth.status === "error" && { problem: problemOf(auth.error) }),
    };
  }

  /** Calls `listener` with the new state whenever it changes; returns the function that stops that. */
  onDidChange(listener: (state: SessionState) => void): () => void {
    this.events.on("change", listener);
    return () => this.events.off("change", listener);
  }

  /**
   * Reads the accounts from the token cache and makes the remembered active account (the one a sign-in or a switch
   * chose last, in any process) active, else keeps the current one, else takes the first; an account chosen with
   * useAccount() stays while it is signed in. Throws what reading the cache threw (the state shows it too).
   */
  async reload(): Promise<SessionState> {
    const before = this.auth.activeAccount?.homeAccountId;
    // Announced once, at the end: a state halfway through (the new account, the old list) is nobody's business.
    this.reloading += 1;
    try {
      await this.auth.loadAccounts();
      this.known = await this.auth.accounts();
      const pinned = this.known.find((account) => account.homeAccountId === this.pinned);
      const remembered = pinned ? undefined : await this.deps.activeAccounts.get(this.profile.cacheSection);
      const wanted = pinned ?? this.known.find((account) => account.homeAccountId === remembered);
      if (wanted && wanted.homeAccountId !== this.auth.activeAccount?.homeAccountId) await this.auth.switchAccount(wanted.homeAccountId);
    } finally {
      this.reloading -= 1;
      if (this.auth.activeAccount?.homeAccountId !== before) this.forgetValues();
      this.announce();
    }
    return this.state;
  }

  /**
   * The account this session works with, for this session only (other processes keep theirs): `wanted` (home
   * account id or username), else the remembered active one. Reads the cache first, and throws what that threw.
   */
  async useAccount(wanted?: string): Promise<AccountSummary | undefined> {
    await this.reload();
    if (wanted === undefined) return this.auth.activeAccount;
    const found = await this.explained(() => this.signedIn(wanted));
    this.pinned = found.homeAccountId;
    return this.activate(found);
  }

  /** The profile's signed-in accounts. */
  async accounts(): Promise<AccountSummary[]> {
    this.known = await this.auth.accounts();
    this.announce();
    return this.known;
  }

  /** Makes a signed-in account (by home account id or username) the active one, here and for every other process. */
  async switchAccount(wanted: string): Promise<AccountSummary> {
    await this.accounts();
    const account = await this.activate(this.signedIn(wanted));
    this.pinned = undefined;
    await this.remember(account);
    return account;
  }

  /** Interactive sign-in (broker or browser); the account becomes the active one everywhere. */
  async signIn(options: SessionSignInOptions = {}): Promise<AccountSummary> {
    const abort = new AbortController();
    this.signInAbort = abort;
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const { forAccount, ...rest } = options;
    const loginHint = options.loginHint ?? forAccount;
    try {
      const account = await this.adopt(await this.auth.signIn({ ...rest, signal, ...(loginHint !== undefined && { loginHint }) }));
      if (forAccount !== undefined && !names(account, forAccount)) {
        throw new AuthError("interactionRequired",
          `${account.username} signed in to ${this.profile.displayName}, not ${forAccount}: ${forAccount} is still not signed in.`,
          `Sign in again and choose ${forAccount} at the identity provider.`,
          { remedy: { kind: "signInAs", loginHint: forAccount, selectAccount: true } });
      }
      return account;
    } finally {
      if (this.signInAbort === abort) this.signInAbort = undefined;
    }
  }

  /** Cancels the interactive sign-in under way, if any: it fails with AuthError(cancelled). */
  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  /** Device-code sign-in for a machine without a browser; `onCode` says where to go and what to type. */
  async signInWithDeviceCode(options: SessionDeviceCodeOptions): Promise<AccountSummary> {
    return this.adopt(await this.auth.signInWithDeviceCode(options));
  }

  /** Signs out the active account (or the one named, or all): removed here and in every process. */
  async signOut(options: SessionSignOutOptions = {}): Promise<SignedOut[]> {
    const targets = options.account === "all" ? await this.accounts()
      : [options.account ?? this.auth.activeAccount].filter((account): account is AccountSummary => account !== undefined);
    const results: SignedOut[] = [];
    for (const account of targets) {
      const result = await this.auth.signOut({ account, ...(options.openBrowser !== undefined && { openBrowser: options.openBrowser }) });
      await this.deps.activeAccounts.clear(this.profile.cacheSection, account.homeAccountId);
      this.keeper.reset(account.homeAccountId);
      results.push({ account, ...result });
    }
    if (targets.length) {
      this.forgetValues();
      await this.accounts();
      await this.deps.changed(this);
    }
    return results;
  }

  /**
   * An access token for the active account with at least `minValiditySec` left: from the TokenKeeper's memory
   * while it is fresh (no network), else refreshed once for every concurrent caller.
   */
  async currentToken(options: SessionTokenOptions = {}): Promise<TokenResult> {
    return this.explained(() => this.tokenFor(options));
  }

  private async tokenFor(options: SessionTokenOptions): Promise<TokenResult> {
    const scopes = options.scopes ?? this.profile.scopes;
    if (options.pop) {
      return this.auth.getToken({ scopes, pop: options.pop, ...(options.minValiditySec !== undefined && { minValiditySec: options.minValiditySec }) });
    }
    const token = await this.keeper.currentToken(scopes, {
      ...(options.minValiditySec !== undefined && { minValiditySec: options.minValiditySec }),
      ...(options.forceRefresh && { forceRefresh: true }),
    });
    if (options.scopes === undefined) this.lastToken = token;
    return token;
  }

  /** When the last token handed out for the profile's scopes expires; undefined before the first. */
  tokenExpiry(now: Date = new Date()): TokenExpiry | undefined {
    return this.lastToken && tokenExpiry(this.lastToken.expiresOn, now);
  }

  /** The active account's ID-token claims as rows; empty when nobody is signed in. */
  async idTokenClaimRows(now: Date = new Date()): Promise<ClaimRow[]> {
    return claimRows((await this.auth.idTokenClaims()) ?? {}, { now });
  }

  /** The ID-token claims as the identity provider sent them (`whoami --json`). */
  async idTokenClaims(): Promise<Record<string, unknown>> {
    return (await this.auth.idTokenClaims()) ?? {};
  }

  /** The last access token's claims as rows, when it is a readable JWT; undefined for opaque tokens. */
  accessTokenClaimRows(now: Date = new Date()): ClaimRow[] | undefined {
    const claims = this.lastToken && decodeJwtClaims(this.lastToken.accessToken);
    return claims && claimRows(claims, { now });
  }

  graphProfile(): Promise<GraphResult<GraphUser>> {
    return this.graph.getProfile();
  }

  /** The user's photo as bytes and media type; `null` when they have none. */
  graphPhoto(): Promise<GraphResult<GraphPhoto | null>> {
    return this.graph.getPhoto();
  }

  /** Where this profile's tokens are kept, and whether that is safe: for the account view's storage chip. */
  storage(): Promise<StorageState> {
    return this.deps.storage();
  }

  /** Stops refreshing tokens and following other processes. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.keeper.dispose();
    this.events.removeAllListeners();
    this.deps.closed(this);
  }

  /** Runs `work`; a "not signed in" failure it throws says so when sign-ins cannot be kept here, and why. */
  private async explained<T>(work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw error instanceof AuthError ? withStorageProblem(error, await this.storage()) : error;
    }
  }

  /** The accounts last read, with the active one among them even before the list is read again after a sign-in. */
  private listed(active: AccountSummary | undefined): AccountSummary[] {
    return !active || this.known.some((each) => each.homeAccountId === active.homeAccountId) ? this.known : [...this.known, active];
  }

  /** The signed-in account `wanted` names; AuthError(interactionRequired) when there is none. */
  private signedIn(wanted: string): AccountSummary {
    const found = this.known.find((account) => names(account, wanted));
    if (found) return found;
    const signedIn = this.known.length ? ` (signed in: ${this.known.map((account) => account.username).join(", ")})` : "";
    throw new AuthError("interactionRequired", `${wanted} is not signed in to ${this.profile.displayName}${signedIn}.`,
      "Sign in with that account first.", { remedy: { kind: "signInAs", loginHint: wanted } });
  }

  private async activate(account: AccountSummary): Promise<AccountSummary> {
    if (account.homeAccountId === this.auth.activeAccount?.homeAccountId) return account;
    const active = await this.auth.switchAccount(account.homeAccountId);
    this.forgetValues();
    return active;
  }

  /** A sign-in succeeded: its account is the active one, here and for every process. */
  private async adopt(account: AccountSummary): Promise<AccountSummary> {
    this.pinned = undefined;
    this.forgetValues();
    await this.remember(account);
    await this.accounts();
    return account;
  }

  /** Makes `account` the profile's active one for every process, and tells this process's other sessions. */
  private async remember(account: AccountSummary): Promise<void> {
    try {
      await this.deps.activeAccounts.set(this.profile.cacheSection, account.homeAccountId);
    } catch (error) {
      // The sign-in itself succeeded: only later commands, which take another account as active, are affected.
      this.deps.warn?.(`${account.username} is signed in, but could not be made the active account for later commands: ${error instanceof AuthError ? `${error.message} ${error.action}` : String(error)}`);
    }
    await this.deps.changed(this);
  }

  /** The active account changed: nothing kept for the one before may be shown or handed out. */
  private forgetValues(): void {
    this.keeper.reset();
    this.graph.clear();
    this.lastToken = undefined;
  }

  private announce(): void {
    if (this.disposed || this.reloading > 0) return;
    const state = this.state;
    const text = JSON.stringify(state);
    if (text === this.shown) return;
    this.shown = text;
    this.events.emit("change", state);
  }
}

/** Whether `wanted` (a username, in any case, or a home account id) names `account`. */
const names = (account: AccountSummary, wanted: string): boolean =>
  account.homeAccountId === wanted || account.username.toLowerCase() === wanted.toLowerCase();
