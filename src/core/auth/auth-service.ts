import { EventEmitter } from "node:events";
import type { AccountInfo, AuthenticationResult, ICachePlugin, INativeBrokerPlugin, PublicClientApplication } from "@azure/msal-node";
import { brokerFallbackNotice, claimsForcingRefresh, shouldFallBackToBrowser, withBrokerTimeout } from "../broker/broker-requests.js";
import { popNeedsBrokerError, popRequestFields } from "../broker/pop-request.js";
import type { PopRequest } from "../broker/pop-request.js";
import type { Profile } from "../config/profile.js";
import { toAccountSummary } from "./account-summary.js";
import { AuthStateMachine } from "./auth-state-machine.js";
import { AuthError, isAuthError } from "../errors/auth-error.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints, AuthorityMetadataStore } from "./authority-metadata.js";
import type { AccountSummary, AuthState } from "./auth-state.js";
import { systemBrowserOpener } from "./browser-opener.js";
import type { BrowserOpener } from "./browser-opener.js";
import { DeviceCodeRun } from "./device-code-run.js";
import { discoverExternalId, trustedTenantId } from "./external-id-discovery.js";
import type { DeviceCodeInfo } from "./device-code-run.js";
import { authorizationRefused, cancelledError, identityProviderTimedOut, timeoutError, toAuthError } from "./error-mapping.js";
import type { ErrorContext } from "./error-mapping.js";
import { refusalIn } from "./authorization-probe.js";
import { endIdpSession, type IdpLogout } from "./idp-logout.js";
import { InteractiveGuard } from "./interactive-guard.js";
import { KeptEndpoints } from "./kept-endpoints.js";
import { buildMsalConfiguration } from "./msal-config.js";
import type { AuthLog } from "./msal-config.js";
import { withinDeadline } from "./msal-network.js";
import type { NetworkObservation } from "./msal-network.js";
import { MsalApps } from "./msal-apps.js";
import { SerialQueue, SingleFlight } from "./serial-queue.js";

export interface AuthServiceOptions {
  profile: Profile;
  /** Opens sign-in and logout pages; defaults to the system browser ($BROWSER, xdg-open, open, ...). */
  openBrowser?: BrowserOpener;
  log?: AuthLog;
  /** Persists MSAL's token cache; without one, tokens live in memory for the life of the service. */
  cachePlugin?: ICachePlugin;
  /**
   * The OS's native broker, when this profile signs in through it (core/broker's chooseSignInMethod decides).
   * Interactive sign-in then goes to the broker, and the tokens and sign-out of the accounts it holds too.
   */
  broker?: INativeBrokerPlugin;
  /** A broker sign-in not finished in this time is left for the browser. Default 2 minutes. */
  brokerTimeoutMs?: number;
  /** Told what the user should know that is not a failure, e.g. that the browser takes over from the broker. */
  onNotice?: (message: string) => void;
  /**
   * Runs a token request alone among the processes making requests for this profile (TokenCacheStore.exclusive), so
   * a token they all find expiring is refreshed once. Default: no cross-process exclusion.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Keeps the identity provider's OpenID endpoints between runs (fileAuthorityMetadataStore), so a new service
   * serves cached tokens without asking the identity provider anything, even while it is down.
   */
  metadataCache?: AuthorityMetadataStore;
}

export interface SignInOptions {
  /** What the first token is for; default the profile's scopes. Asking now avoids a second consent later. */
  scopes?: string[];
  loginHint?: string;
  /** "Sign in with another account": ask the identity provider to let the user pick or enter an account. */
  selectAccount?: boolean;
  /** Gives up when the browser sign-in is not finished in time. Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The window the broker's dialog belongs to (Electron: `getNativeWindowHandle()`); the browser flow has no use for it. */
  windowHandle?: Buffer;
  /** Told just before the browser opens: the identity provider was found and accepted the request. */
  onOpeningBrowser?: () => void;
  /**
   * Told when the browser could not be opened, with the page to open by hand: the sign-in then waits for that (until
   * its timeout) instead of failing. Without it, the opener's failure ends the sign-in.
   */
  onBrowserFailed?: (url: string, error: AuthError) => void;
}

export interface DeviceCodeSignInOptions {
  /** Default the profile's scopes. */
  scopes?: string[];
  onCode: (info: DeviceCodeInfo) => void;
  /** Gives up earlier than the device code's own expiry. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Names an account; an AccountSummary fits. */
export type AccountRef = Pick<AccountSummary, "homeAccountId">;

export interface GetTokenOptions {
  /** Defaults to the profile's scopes. */
  scopes?: string[];
  /** The token returned stays valid at least this long, or is refreshed first. Default 300. */
  minValiditySec?: number;
  forceRefresh?: boolean;
  /** Defaults to the active account. */
  account?: AccountRef;
  /** A proof-of-possession token bound to this HTTP request instead of a Bearer token; only the broker issues them. */
  pop?: PopRequest;
}

export interface TokenResult {
  accessToken: string;
  tokenType: string;
  expiresOn: Date;
  scopes: string[];
  account: AccountSummary;
  idTokenClaims: Record<string, unknown>;
  /** The raw ID token that came with this response; absent when the identity provider sent none. */
  idToken?: string;
  /** Set when the token is fresh but the identity provider's lifetime is shorter than `minValiditySec`. */
  warning?: string;
}

export interface SignOutOptions {
  /** Defaults to the active account. */
  account?: AccountRef;
  /** Open the identity provider's logout page to end its browser session too. Default true. */
  openBrowser?: boolean;
}

/** What signing out did about the identity provider's own session. */
export type SignOutResult = IdpLogout;

const DEFAULT_SIGN_IN_TIMEOUT_MS = 300_000;
const DEFAULT_BROKER_TIMEOUT_MS = 120_000;
const DEFAULT_MIN_VALIDITY_SEC = 300;
/** The authorization page comes back in milliseconds; waiting longer than this for it is the browser's job. */
const PROBE_TIMEOUT_MS = 10_000;

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>entra-tray</title><p style="font:16px system-ui;margin:3em">${text}</p>`;
const SUCCESS_PAGE = PAGE("Signed in. You can close this window and return to entra-tray.");
const ERROR_PAGE = PAGE("The sign-in did not complete. Return to entra-tray for details.");

/** MSAL errors that say it could not use the authority's endpoints. */
const ENDPOINT_ERRORS = new Set(["endpoints_resolution_error", "openid_config_error", "invalid_authority_metadata"]);

/**
 * Keeps one profile signed in with MSAL Node: interactive and device-code sign-in, silent tokens, sign-out,
 * several accounts. Emits "state" on every AuthState change; every failure becomes an AuthError, is thrown to
 * the caller and lands in the `error` state, except a cancelled sign-in and a failed token request for an account
 * that is not the active one. While a sign-in runs, it alone changes the state.
 */
export class AuthService extends EventEmitter<{ state: [AuthState] }> {
  readonly profile: Profile;
  private readonly openBrowser: BrowserOpener;
  private readonly log: AuthLog;
  private readonly exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  private readonly onNotice: (message: string) => void;
  private readonly brokerTimeoutMs: number;
  private msal: MsalApps | AuthError;
  private readonly queue = new SerialQueue();
  /**
   * Sign-ins take turns in their own queue, not in `queue`: one waiting minutes in the browser must not stop the
   * silent refreshes of accounts already signed in. MSAL's cache stays consistent without the queue: the cache plugin
   * reloads and writes it under its cross-process lock.
   */
  private readonly signIns = new SerialQueue();
  private readonly flights = new SingleFlight();
  private readonly states: AuthStateMachine;
  private readonly endpoints: KeptEndpoints;
  /** The account whose token request is running, so a post to the IdP can show `refreshing`. */
  private refreshingAccount: string | undefined;

  constructor(options: AuthServiceOptions) {
    super();
    this.profile = options.profile;
    this.openBrowser = options.openBrowser ?? systemBrowserOpener();
    this.log = options.log ?? (() => undefined);
    this.exclusive = options.exclusive ?? ((work) => work());
    this.onNotice = options.onNotice ?? (() => undefined);
    this.brokerTimeoutMs = options.brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
    this.endpoints = new KeptEndpoints(options.profile, options.metadataCache, this.log);
    let initial: AuthState = { status: "signedOut" };
    try {
      const { configuration, network } = buildMsalConfiguration(options.profile, {
        log: this.log,
        ...(options.cachePlugin ? { cachePlugin: options.cachePlugin } : {}),
        onPost: () => this.noteTokenRequest(),
      });
      this.msal = new MsalApps(network, configuration, options.broker, this.endpoints.load());
    } catch (error) {
      // A broken profile (e.g. unreadable caFile) leaves the service alive, in the error state, failing each call.
      this.msal = this.toError(error, "setup");
      initial = { status: "error", error: this.msal };
    }
    this.states = new AuthStateMachine((state) => {
      this.log("info", `${this.profile.name}: ${state.status}`);
      this.emit("state", state);
    }, initial);
  }

  get state(): AuthState {
    return this.states.state;
  }

  get activeAccount(): AccountSummary | undefined {
    return this.states.active;
  }

  /**
   * External ID: the tenant whose issuer this profile trusts (https://<tenant id>.ciamlogin.com/<tenant id>/v2.0).
   * Undefined for other kinds, and for a tenant named by domain until its discovery document has been fetched.
   */
  get trustedTenantId(): string | undefined {
    const { authority } = this.profile;
    if (authority.kind !== "entraExternalId") return undefined;
    const json = isAuthError(this.msal) ? undefined : this.msal.storedMetadata;
    return trustedTenantId(authority, json === undefined ? undefined : authorityEndpoints(JSON.parse(json)));
  }

  /**
   * Interactive sign-in: through the native broker when there is one (falling back to the browser, with a notice,
   * when it fails or hangs), else in the browser (auth code + PKCE over MSAL's loopback redirect).
   */
  async signIn(options: SignInOptions = {}): Promise<AccountSummary> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    try {
      const result = await this.signIns.run(() => withinDeadline(timeoutMs, async () => {
        if (options.signal?.aborted) throw cancelledError();
        const { pca, brokered } = await this.startSignIn();
        const viaBroker = brokered ? await this.brokerSignIn(brokered, options) : undefined;
        if (viaBroker) return viaBroker;
        const guard = new InteractiveGuard(this.browserFor(options), timeoutMs, options.signal, (url) => this.probeAuthorization(url));
        try {
          return await this.attempt("sign-in", () => pca.acquireTokenInteractive({
            openBrowser: guard.openBrowser,
            scopes: options.scopes ?? this.profile.scopes,
            ...promptFor(this.profile, options.selectAccount === true),
            ...(options.loginHint ? { loginHint: options.loginHint } : {}),
            successTemplate: SUCCESS_PAGE,
            errorTemplate: ERROR_PAGE,
          }));
        } catch (error) {
          if (guard.stopReason === "timeout" && !identityProviderTimedOut(error)) throw timeoutError(timeoutMs, "browser");
          if (guard.stopReason === "cancelled") throw cancelledError();
          throw error;
        } finally {
          guard.dispose();
        }
      }));
      return this.adopt(result);
    } catch (error) {
      throw this.fail(error, "sign-in", "signIn");
    }
  }

  /** Device-code sign-in for terminals without a browser: `onCode` tells the user where to go and what to type. */
  async signInWithDeviceCode(options: DeviceCodeSignInOptions): Promise<AccountSummary> {
    try {
      const result = await this.signIns.run(() => withinDeadline(options.timeoutMs ?? Infinity, async () => {
        if (options.signal?.aborted) throw cancelledError();
        const { pca } = await this.startSignIn();
        const run = new DeviceCodeRun(options.scopes ?? this.profile.scopes, options.onCode, options.timeoutMs, options.signal);
        try {
          // When the IdP gave no code the flow stopped itself; only the network record says why.
          return await this.attempt("device-code sign-in", () => pca.acquireTokenByDeviceCode(run.request),
            (error) => (run.stopReason === "noCode" ? new Error("the identity provider returned no device code") : error));
        } catch (error) {
          if (run.stopReason === "timeout" && !identityProviderTimedOut(error)) throw timeoutError(options.timeoutMs ?? 0, "device code");
          if (run.stopReason === "cancelled") throw cancelledError();
          throw error;
        } finally {
          run.dispose();
        }
      }));
      if (!result) throw new AuthError("unexpected", "The device-code sign-in returned no result.", "Try again.");
      return this.adopt(result);
    } catch (error) {
      throw this.fail(error, "device-code sign-in", "signIn");
    }
  }

  /**
   * An access token for the active (or given) account: from the cache when it stays valid `minValiditySec`,
   * else refreshed. Concurrent identical requests share one refresh.
   */
  async getToken(options: GetTokenOptions = {}): Promise<TokenResult> {
    const scopes = options.scopes ?? this.profile.scopes;
    const minValiditySec = options.minValiditySec ?? DEFAULT_MIN_VALIDITY_SEC;
    const forceRefresh = options.forceRefresh === true;
    const homeAccountId = options.account?.homeAccountId ?? this.states.active?.homeAccountId;
    if (!homeAccountId) {
      throw this.fail(new AuthError("interactionRequired", `No account is signed in to ${this.profile.displayName}.`,
        "Sign in first."), "token request");
    }
    const key = JSON.stringify([homeAccountId, [...scopes].sort(), minValiditySec, forceRefresh, options.pop]);
    return this.flights.run(key, () => this.acquireToken(homeAccountId, scopes, minValiditySec, forceRefresh, options.pop));
  }

  /**
   * Removes the account from the token cache and opens the identity provider's logout page; an account the broker
   * holds is signed out of the broker (its session is the OS's, not the browser's).
   */
  async signOut(options: SignOutOptions = {}): Promise<SignOutResult> {
    const homeAccountId = options.account?.homeAccountId ?? this.states.active?.homeAccountId;
    if (!homeAccountId) return {};
    try {
      const { removed, remaining } = await this.queue.run(async () => {
        const account = (await this.attempt("sign-out", () => this.requireMsal().allAccounts())).find((a) => a.homeAccountId === homeAccountId);
        if (account) await this.attempt("sign-out", () => this.requireMsal().appFor(account).signOut({ account }));
        return { removed: account, remaining: (await this.attempt("sign-out", () => this.requireMsal().allAccounts())).map(toAccountSummary) };
      });
      if (this.states.active?.homeAccountId === homeAccountId) this.states.active = undefined;
      this.states.settle(remaining);
      if (!removed || this.requireMsal().viaBroker(removed)) return {};
      return await endIdpSession(removed, {
        profile: this.profile,
        network: this.requireMsal().network,
        openBrowser: options.openBrowser === false ? undefined : this.openBrowser,
        describe: (error) => this.toError(error, "sign-out").message,
        log: this.log,
      });
    } catch (error) {
      throw this.fail(error, "sign-out");
    }
  }

  /** Every account in this profile's token cache. */
  async accounts(): Promise<AccountSummary[]> {
    try {
      const all = await this.queue.run(() => this.attempt("account listing", () => this.requireMsal().allAccounts()));
      return all.map(toAccountSummary);
    } catch (error) {
      throw this.fail(error, "account listing");
    }
  }

  /** Makes another signed-in account of this profile the active one. */
  async switchAccount(homeAccountId: string): Promise<AccountSummary> {
    try {
      const account = await this.queue.run(() => this.cachedAccount(homeAccountId, "account switch"));
      const active = toAccountSummary(account);
      this.states.active = active;
      this.states.show({ status: "signedIn", account: active });
      return active;
    } catch (error) {
      throw this.fail(error, "account switch");
    }
  }

  /** The ID token claims of the active (or given) account, as cached at its last sign-in or refresh. */
  async idTokenClaims(account?: AccountRef): Promise<Record<string, unknown> | undefined> {
    const homeAccountId = account?.homeAccountId ?? this.states.active?.homeAccountId;
    if (!homeAccountId) return undefined;
    try {
      const info = await this.queue.run(() => this.cachedAccount(homeAccountId, "claims lookup"));
      return info.idTokenClaims ? { ...info.idTokenClaims } : undefined;
    } catch (error) {
      throw this.fail(error, "claims lookup");
    }
  }

  /**
   * Reads the accounts already in the token cache (a persistent cachePlugin may hold some from an earlier run),
   * keeps the active account if it is still there or else picks the first, and returns the resulting state.
   */
  async loadAccounts(): Promise<AuthState> {
    const all = await this.accounts();
    this.states.settle(all);
    return this.states.state;
  }

  private async acquireToken(
    homeAccountId: string,
    scopes: string[],
    minValiditySec: number,
    forceRefresh: boolean,
    pop: PopRequest | undefined,
  ): Promise<TokenResult> {
    try {
      const result = await this.queue.run(() => this.exclusive(async () => {
        await this.ensureEndpoints();
        const account = await this.cachedAccount(homeAccountId, "token request");
        const broker = this.requireMsal().viaBroker(account);
        // MSAL Node would quietly hand out a Bearer token for a PoP request that does not reach the broker.
        if (pop && !broker) throw popNeedsBrokerError(this.requireMsal().noBrokerReason(account, this.profile.displayName));
        const popFields = pop ? popRequestFields(pop) : {};
        this.refreshingAccount = homeAccountId;
        try {
          // The broker ignores forceRefresh: asking it for claims makes it get a fresh token.
          const refresh = (force: boolean) => (broker ? (force ? { claims: claimsForcingRefresh(undefined) } : {}) : { forceRefresh: force });
          const silent = (force: boolean) =>
            this.attempt("token request", () => this.requireMsal().appFor(account).acquireTokenSilent({ account, scopes, ...popFields, ...refresh(force) }));
          const first = await silent(forceRefresh);
          // A token that just came from the IdP is as long-lived as it gets: asking again would not help.
          return !first.fromCache || secondsLeft(first) >= minValiditySec ? first : await silent(true);
        } finally {
          this.refreshingAccount = undefined;
        }
      }));
      const token = this.toTokenResult(result, minValiditySec);
      const { active } = this.states;
      if (active?.homeAccountId === homeAccountId) this.states.show({ status: "signedIn", account: active });
      return token;
    } catch (error) {
      // Another account's failure is that account's business: the service still serves the active one.
      throw this.fail(error, "token request", this.states.active?.homeAccountId === homeAccountId ? "service" : "none");
    }
  }

  private toTokenResult(result: AuthenticationResult, minValiditySec: number): TokenResult {
    if (!result.account) throw new AuthError("unexpected", "The token response named no account.", "Sign in again.");
    const left = secondsLeft(result);
    const warning = left < minValiditySec
      ? `${this.profile.authority.knownAuthority} issues access tokens valid for ${Math.max(0, Math.floor(left))} s, less than the ${minValiditySec} s asked for.`
      : undefined;
    if (warning) this.log("warning", warning);
    return {
      accessToken: result.accessToken,
      tokenType: result.tokenType,
      expiresOn: result.expiresOn ?? new Date(),
      scopes: result.scopes,
      account: toAccountSummary(result.account),
      idTokenClaims: { ...result.idTokenClaims },
      ...(result.idToken ? { idToken: result.idToken } : {}),
      ...(warning ? { warning } : {}),
    };
  }

  private async cachedAccount(homeAccountId: string, operation: string): Promise<AccountInfo> {
    const account = (await this.attempt(operation, () => this.requireMsal().allAccounts())).find((a) => a.homeAccountId === homeAccountId);
    if (!account) {
      throw new AuthError("interactionRequired", `That account is not signed in to ${this.profile.displayName}.`,
        "Sign in with it first.");
    }
    return account;
  }

  /** The broker's sign-in; undefined when it failed or hung and the browser should take over. */
  private async brokerSignIn(brokered: PublicClientApplication, options: SignInOptions): Promise<AuthenticationResult | undefined> {
    try {
      return await withBrokerTimeout(brokered.acquireTokenInteractive({
        scopes: options.scopes ?? this.profile.scopes,
        ...(options.selectAccount ? { prompt: "select_account" } : {}),
        ...(options.loginHint ? { loginHint: options.loginHint } : {}),
        ...(options.windowHandle ? { windowHandle: options.windowHandle } : {}),
        // Never called: MSAL hands a brokered request to the broker, which shows its own window.
        openBrowser: () => Promise.resolve(),
      }), this.brokerTimeoutMs);
    } catch (error) {
      if (!shouldFallBackToBrowser(error)) throw cancelledError();
      const notice = brokerFallbackNotice(error);
      this.log("warning", notice);
      this.onNotice(notice);
      return undefined;
    }
  }

  /**
   * Runs one MSAL call and maps its failure with what the network client saw meanwhile. Keeps the endpoints of a
   * discovery document fetched by a call that then succeeded (MSAL had validated it). When endpoints saved by an
   * earlier run turn out stale, drops them and runs the call once more with discovery; `call` must therefore take
   * its app from `this.msal` when it runs.
   */
  private async attempt<T>(
    operation: string,
    call: () => Promise<T>,
    reinterpret: (error: unknown) => unknown = (error) => error,
  ): Promise<T> {
    const msal = this.requireMsal();
    msal.network.takeObservation();
    try {
      const result = await call();
      this.endpoints.save(msal.network.takeObservation().discovered, msal.storedMetadata);
      return result;
    } catch (error) {
      const seen = msal.network.takeObservation();
      const code = (error as { errorCode?: unknown } | undefined)?.errorCode;
      const stale = seen.unexpectedAnswer?.status === 404 || (typeof code === "string" && ENDPOINT_ERRORS.has(code));
      if (msal.storedMetadata && !msal.vetted && stale) {
        this.log("warning", `${this.profile.name}: the saved endpoints of ${this.profile.authority.knownAuthority} look stale; asking for its OpenID configuration again.`);
        this.endpoints.remove();
        this.rediscover();
        await this.ensureEndpoints();
        return this.attempt(operation, call, reinterpret);
      }
      throw this.toError(reinterpret(error), operation, seen);
    }
  }

  /** The opener of one sign-in, telling `options` when it opens the browser and when it cannot. */
  private browserFor({ onOpeningBrowser, onBrowserFailed }: SignInOptions): BrowserOpener {
    return async (url) => {
      onOpeningBrowser?.();
      try {
        await this.openBrowser(url);
      } catch (error) {
        if (!onBrowserFailed) throw error;
        onBrowserFailed(url, this.toError(error, "sign-in"));
      }
    };
  }

  /**
   * Asks the identity provider for the authorization page before the browser opens: one that refuses the client or
   * its redirect URI shows the person an error page and never answers the app, so the sign-in would only end at its
   * timeout. A probe that fails to get an answer is no verdict: the browser may still get through.
   */
  private async probeAuthorization(url: string): Promise<void> {
    let response;
    try {
      response = await this.requireMsal().network.getPage(url, PROBE_TIMEOUT_MS);
    } catch (error) {
      this.log("info", `${this.profile.name}: the authorization request could not be checked first (${error instanceof Error ? error.message : String(error)}).`);
      return;
    }
    const refusal = refusalIn(url, response);
    if (refusal) throw authorizationRefused(refusal, this.errorContext("sign-in"));
  }

  /** Remakes the apps without saved endpoints, so that the next call fetches the discovery document. */
  private rediscover(): void {
    const msal = this.requireMsal();
    if (msal.storedMetadata) this.msal = msal.remake(undefined);
  }

  /**
   * External ID: fetches and vets the tenant's discovery document when the apps have no endpoints (see
   * external-id-discovery.ts: MSAL's own check refuses the tenant's issuer), keeps it, and gives it to the apps.
   */
  private async ensureEndpoints(): Promise<void> {
    const { authority } = this.profile;
    const { network, storedMetadata } = this.requireMsal();
    if (authority.kind !== "entraExternalId" || storedMetadata) return;
    let endpoints: AuthorityEndpoints;
    try {
      endpoints = await discoverExternalId(authority, network);
    } catch (error) {
      throw this.toError(error, "discovery", network.takeObservation());
    }
    this.endpoints.save(endpoints, storedMetadata);
    this.msal = this.requireMsal().remake(JSON.stringify(endpoints));
  }

  private toError(error: unknown, operation: string, observation?: NetworkObservation): AuthError {
    return toAuthError(error, { ...this.errorContext(operation), ...(observation ? { observation } : {}) });
  }

  private errorContext(operation: string): ErrorContext {
    return { authorityHost: this.profile.authority.knownAuthority, clientId: this.profile.clientId, operation };
  }

  private requireMsal(): MsalApps {
    if (isAuthError(this.msal)) throw this.msal;
    return this.msal;
  }

  /** A sign-in succeeded: its account becomes the active one. */
  private adopt(result: AuthenticationResult): AccountSummary {
    if (!result.account) throw new AuthError("unexpected", "The sign-in returned no account.", "Try again.");
    const account = toAccountSummary(result.account);
    this.states.adopt(account);
    return account;
  }

  /**
   * A sign-in task starts: it shows `signingIn` from now (not while it waited in the queue) and works with freshly
   * discovered endpoints, since it talks to the identity provider anyway and a moved authorization endpoint would
   * only show in the browser.
   */
  private startSignIn(): Promise<MsalApps> {
    // Remaking the apps waits for the calls under way on them.
    return this.queue.run(async () => {
      this.rediscover();
      this.requireMsal();
      this.states.set({ status: "signingIn" });
      await this.ensureEndpoints();
      return this.requireMsal();
    });
  }

  private noteTokenRequest(): void {
    const { active, state } = this.states;
    if (active && this.refreshingAccount === active.homeAccountId && state.status !== "refreshing") {
      this.states.show({ status: "refreshing", account: active });
    }
  }

  /**
   * Maps the failure, logs it and returns it. A sign-in's failure puts the service in the error state (a cancel
   * in the state the active account implies); another operation's does too unless a sign-in is under way
   * ("service"), or leaves the state alone ("none").
   */
  private fail(error: unknown, operation: string, effect: "signIn" | "service" | "none" = "service"): AuthError {
    const mapped = this.toError(error, operation);
    this.log("warning", `${this.profile.name}: ${operation} failed: ${mapped.kind}: ${mapped.message}`);
    if (effect === "none") return mapped;
    const next: AuthState = mapped.kind === "cancelled"
      ? this.states.resting()
      : { status: "error", error: mapped, ...(this.states.active ? { account: this.states.active } : {}) };
    if (effect === "signIn") this.states.set(next);
    else this.states.show(next);
    return mapped;
  }

}

function secondsLeft(result: AuthenticationResult): number {
  return ((result.expiresOn?.getTime() ?? 0) - Date.now()) / 1000;
}

/**
 * Entra understands `select_account`. A generic OP must see `prompt=consent` to issue a refresh token for
 * offline_access (OpenID Connect Core 11); for "another account" it gets `login` too, since few OPs know select_account.
 */
function promptFor(profile: Profile, selectAccount: boolean): { prompt?: string } {
  if (profile.authority.kind === "oidc") return { prompt: selectAccount ? "login consent" : "consent" };
  return selectAccount ? { prompt: "select_account" } : {};
}
