import { EventEmitter } from "node:events";
import { PublicClientApplication } from "@azure/msal-node";
import type { AccountInfo, AuthenticationResult, Configuration, ICachePlugin, INativeBrokerPlugin } from "@azure/msal-node";
import { brokerFallbackNotice, claimsForcingRefresh, shouldFallBackToBrowser, withBrokerTimeout } from "../broker/broker-requests.js";
import { popNeedsBrokerError, popRequestFields } from "../broker/pop-request.js";
import type { PopRequest } from "../broker/pop-request.js";
import type { Profile } from "../config/profile.js";
import { toAccountSummary } from "./account-summary.js";
import { AuthError, isAuthError } from "../errors/auth-error.js";
import { reasonOf } from "../errors/sanitize.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints, AuthorityMetadataStore } from "./authority-metadata.js";
import type { AccountSummary, AuthState } from "./auth-state.js";
import { systemBrowserOpener } from "./browser-opener.js";
import type { BrowserOpener } from "./browser-opener.js";
import { DeviceCodeRun } from "./device-code-run.js";
import { discoverExternalId, trustedTenantId, vetExternalIdIssuer } from "./external-id-discovery.js";
import type { DeviceCodeInfo } from "./device-code-run.js";
import { cancelledError, timeoutError, toAuthError } from "./error-mapping.js";
import { InteractiveGuard } from "./interactive-guard.js";
import { logoutUrlFor } from "./logout-url.js";
import { buildMsalConfiguration } from "./msal-config.js";
import type { AuthLog } from "./msal-config.js";
import type { NetworkObservation, ObservedNetworkModule } from "./msal-network.js";
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
  /** Set when the token is fresh but the identity provider's lifetime is shorter than `minValiditySec`. */
  warning?: string;
}

export interface SignOutOptions {
  /** Defaults to the active account. */
  account?: AccountRef;
  /** Open the identity provider's logout page to end its browser session too. Default true. */
  openBrowser?: boolean;
}

export interface SignOutResult {
  /** The identity provider's logout URL, when it has one; it names the account by `logout_hint`, never by its ID token. */
  logoutUrl?: string;
  /** Set when the account was removed but the identity provider's session could not be ended. */
  warning?: string;
}

const DEFAULT_SIGN_IN_TIMEOUT_MS = 300_000;
const DEFAULT_BROKER_TIMEOUT_MS = 120_000;
const DEFAULT_MIN_VALIDITY_SEC = 300;

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>entra-tray</title><p style="font:16px system-ui;margin:3em">${text}</p>`;
const SUCCESS_PAGE = PAGE("Signed in. You can close this window and return to entra-tray.");
const ERROR_PAGE = PAGE("The sign-in did not complete. Return to entra-tray for details.");

interface MsalApps {
  pca: PublicClientApplication;
  /** The same app with the native broker, when there is one: MSAL sends every call of such an app to the broker. */
  brokered?: PublicClientApplication;
}

interface Msal extends MsalApps {
  network: ObservedNetworkModule;
  /** What the apps were made from, without authority metadata: to remake them when that metadata must go. */
  configuration: Configuration;
  /** The endpoints the apps were given (MSAL then fetches no discovery document): saved by an earlier run, or vetted. */
  storedMetadata?: string;
  /** The endpoints were fetched and vetted by this run (External ID), so they cannot be stale. */
  vetted?: boolean;
}

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
  private readonly broker: INativeBrokerPlugin | undefined;
  private readonly metadataCache: AuthorityMetadataStore | undefined;
  private msal: Msal | AuthError;
  private readonly queue = new SerialQueue();
  /**
   * Sign-ins take turns in their own queue, not in `queue`: one waiting minutes in the browser must not stop the
   * silent refreshes of accounts already signed in. MSAL's cache stays consistent without the queue: the cache plugin
   * reloads and writes it under its cross-process lock.
   */
  private readonly signIns = new SerialQueue();
  private readonly flights = new SingleFlight();
  private current: AuthState = { status: "signedOut" };
  private active: AccountSummary | undefined;
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
    this.broker = options.broker;
    this.metadataCache = options.metadataCache;
    try {
      const { configuration, network } = buildMsalConfiguration(options.profile, {
        log: this.log,
        ...(options.cachePlugin ? { cachePlugin: options.cachePlugin } : {}),
        onPost: () => this.noteTokenRequest(),
      });
      const storedMetadata = this.loadMetadata();
      this.msal = { ...this.makeApps(configuration, storedMetadata), network, configuration, ...(storedMetadata ? { storedMetadata } : {}) };
    } catch (error) {
      // A broken profile (e.g. unreadable caFile) leaves the service alive, in the error state, failing each call.
      this.msal = this.toError(error, "setup");
      this.current = { status: "error", error: this.msal };
    }
  }

  get state(): AuthState {
    return this.current;
  }

  get activeAccount(): AccountSummary | undefined {
    return this.active;
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
      const result = await this.signIns.run(async () => {
        if (options.signal?.aborted) throw cancelledError();
        const { pca, brokered } = await this.startSignIn();
        const viaBroker = brokered ? await this.brokerSignIn(brokered, options) : undefined;
        if (viaBroker) return viaBroker;
        const guard = new InteractiveGuard(this.openBrowser, timeoutMs, options.signal);
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
          if (guard.stopReason === "timeout") throw timeoutError(timeoutMs, "browser");
          if (guard.stopReason === "cancelled") throw cancelledError();
          throw error;
        } finally {
          guard.dispose();
        }
      });
      return this.adopt(result);
    } catch (error) {
      throw this.fail(error, "sign-in", "signIn");
    }
  }

  /** Device-code sign-in for terminals without a browser: `onCode` tells the user where to go and what to type. */
  async signInWithDeviceCode(options: DeviceCodeSignInOptions): Promise<AccountSummary> {
    try {
      const result = await this.signIns.run(async () => {
        if (options.signal?.aborted) throw cancelledError();
        const { pca } = await this.startSignIn();
        const run = new DeviceCodeRun(options.scopes ?? this.profile.scopes, options.onCode, options.timeoutMs, options.signal);
        try {
          // When the IdP gave no code the flow stopped itself; only the network record says why.
          return await this.attempt("device-code sign-in", () => pca.acquireTokenByDeviceCode(run.request),
            (error) => (run.stopReason === "noCode" ? new Error("the identity provider returned no device code") : error));
        } catch (error) {
          if (run.stopReason === "timeout") throw timeoutError(options.timeoutMs ?? 0, "device code");
          if (run.stopReason === "cancelled") throw cancelledError();
          throw error;
        } finally {
          run.dispose();
        }
      });
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
    const homeAccountId = options.account?.homeAccountId ?? this.active?.homeAccountId;
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
    const homeAccountId = options.account?.homeAccountId ?? this.active?.homeAccountId;
    if (!homeAccountId) return {};
    try {
      const { removed, remaining } = await this.queue.run(async () => {
        const account = (await this.attempt("sign-out", () => this.allAccounts())).find((a) => a.homeAccountId === homeAccountId);
        if (account) await this.attempt("sign-out", () => this.appFor(account).signOut({ account }));
        return { removed: account, remaining: (await this.attempt("sign-out", () => this.allAccounts())).map(toAccountSummary) };
      });
      if (this.active?.homeAccountId === homeAccountId) this.active = undefined;
      this.settleState(remaining);
      if (!removed || this.viaBroker(removed)) return {};
      return await this.endIdpSession(removed, options.openBrowser !== false);
    } catch (error) {
      throw this.fail(error, "sign-out");
    }
  }

  /** Every account in this profile's token cache. */
  async accounts(): Promise<AccountSummary[]> {
    try {
      const all = await this.queue.run(() => this.attempt("account listing", () => this.allAccounts()));
      return all.map(toAccountSummary);
    } catch (error) {
      throw this.fail(error, "account listing");
    }
  }

  /** Makes another signed-in account of this profile the active one. */
  async switchAccount(homeAccountId: string): Promise<AccountSummary> {
    try {
      const account = await this.queue.run(() => this.cachedAccount(homeAccountId, "account switch"));
      this.active = toAccountSummary(account);
      this.showState({ status: "signedIn", account: this.active });
      return this.active;
    } catch (error) {
      throw this.fail(error, "account switch");
    }
  }

  /** The ID token claims of the active (or given) account, as cached at its last sign-in or refresh. */
  async idTokenClaims(account?: AccountRef): Promise<Record<string, unknown> | undefined> {
    const homeAccountId = account?.homeAccountId ?? this.active?.homeAccountId;
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
    this.settleState(all);
    return this.current;
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
        const broker = this.viaBroker(account);
        // MSAL Node would quietly hand out a Bearer token for a PoP request that does not reach the broker.
        if (pop && !broker) throw popNeedsBrokerError(this.noBrokerReason(account));
        const popFields = pop ? popRequestFields(pop) : {};
        this.refreshingAccount = homeAccountId;
        try {
          // The broker ignores forceRefresh: asking it for claims makes it get a fresh token.
          const refresh = (force: boolean) => (broker ? (force ? { claims: claimsForcingRefresh(undefined) } : {}) : { forceRefresh: force });
          const silent = (force: boolean) =>
            this.attempt("token request", () => this.appFor(account).acquireTokenSilent({ account, scopes, ...popFields, ...refresh(force) }));
          const first = await silent(forceRefresh);
          // A token that just came from the IdP is as long-lived as it gets: asking again would not help.
          return !first.fromCache || secondsLeft(first) >= minValiditySec ? first : await silent(true);
        } finally {
          this.refreshingAccount = undefined;
        }
      }));
      const token = this.toTokenResult(result, minValiditySec);
      if (this.active?.homeAccountId === homeAccountId) this.showState({ status: "signedIn", account: this.active });
      return token;
    } catch (error) {
      // Another account's failure is that account's business: the service still serves the active one.
      throw this.fail(error, "token request", this.active?.homeAccountId === homeAccountId ? "service" : "none");
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
      ...(warning ? { warning } : {}),
    };
  }

  private async endIdpSession(account: AccountInfo, openBrowser: boolean): Promise<SignOutResult> {
    const { network } = this.requireMsal();
    const loginHint = account.idTokenClaims?.login_hint;
    let logoutUrl: string | undefined;
    try {
      logoutUrl = await logoutUrlFor(
        this.profile,
        typeof loginHint === "string" ? { loginHint } : {},
        async (url) => (await network.sendGetRequestAsync(url)).body,
      );
    } catch (error) {
      return this.signOutWarning(error, "its logout endpoint could not be looked up");
    }
    if (!logoutUrl) return { warning: "Signed out here; the identity provider publishes no logout endpoint." };
    if (openBrowser) {
      try {
        await this.openBrowser(logoutUrl);
      } catch (error) {
        return { logoutUrl, ...this.signOutWarning(error, "the logout page could not be opened") };
      }
    }
    return { logoutUrl };
  }

  private signOutWarning(error: unknown, what: string): SignOutResult {
    const reason = this.toError(error, "sign-out").message;
    const warning = `Signed out here, but the identity provider's session stays open: ${what} (${reason})`;
    this.log("warning", warning);
    return { warning };
  }

  private async cachedAccount(homeAccountId: string, operation: string): Promise<AccountInfo> {
    const account = (await this.attempt(operation, () => this.allAccounts())).find((a) => a.homeAccountId === homeAccountId);
    if (!account) {
      throw new AuthError("interactionRequired", `That account is not signed in to ${this.profile.displayName}.`,
        "Sign in with it first.");
    }
    return account;
  }

  /** The broker's accounts for this app (when there is a broker), then those in the token cache. */
  private async allAccounts(): Promise<AccountInfo[]> {
    const { pca, brokered } = this.requireMsal();
    const cached = await pca.getAllAccounts();
    if (!brokered) return cached;
    const held = await brokered.getAllAccounts();
    return [...held, ...cached.filter((account) => !held.some((h) => h.homeAccountId === account.homeAccountId))];
  }

  /** Accounts the broker signed in carry its id; those signed in through the browser (a fallback) do not. */
  private viaBroker(account: AccountInfo): boolean {
    return account.nativeAccountId !== undefined && this.requireMsal().brokered !== undefined;
  }

  private appFor(account: AccountInfo): PublicClientApplication {
    const { pca, brokered } = this.requireMsal();
    return brokered && this.viaBroker(account) ? brokered : pca;
  }

  private noBrokerReason(account: AccountInfo): string {
    return this.requireMsal().brokered
      ? `${account.username} signed in through the browser, not the broker.`
      : `${this.profile.displayName} signs in without it.`;
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
        openBrowser: async () => undefined,
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
      this.saveMetadata(msal.network.takeObservation().discovered);
      return result;
    } catch (error) {
      const seen = msal.network.takeObservation();
      const code = (error as { errorCode?: unknown } | undefined)?.errorCode;
      const stale = seen.unexpectedAnswer?.status === 404 || (typeof code === "string" && ENDPOINT_ERRORS.has(code));
      if (msal.storedMetadata && !msal.vetted && stale) {
        this.log("warning", `${this.profile.name}: the saved endpoints of ${this.profile.authority.knownAuthority} look stale; asking for its OpenID configuration again.`);
        this.removeMetadata();
        this.rediscover();
        await this.ensureEndpoints();
        return this.attempt(operation, call, reinterpret);
      }
      throw this.toError(reinterpret(error), operation, seen);
    }
  }

  /** MSAL's apps, given `authorityMetadata` (a discovery document's endpoints as JSON) when there is one. */
  private makeApps(configuration: Configuration, authorityMetadata: string | undefined): MsalApps {
    const withMetadata = authorityMetadata ? { ...configuration, auth: { ...configuration.auth, authorityMetadata } } : configuration;
    return {
      pca: new PublicClientApplication(withMetadata),
      ...(this.broker ? { brokered: new PublicClientApplication({ ...withMetadata, broker: { nativeBrokerPlugin: this.broker } }) } : {}),
    };
  }

  /** Remakes the apps without saved endpoints, so that the next call fetches the discovery document. */
  private rediscover(): void {
    if (this.requireMsal().storedMetadata) this.remakeApps(undefined);
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
    this.saveMetadata(endpoints);
    this.remakeApps(JSON.stringify(endpoints));
  }

  /**
   * Remakes the apps with other endpoints (none: MSAL fetches them). The apps' in-memory token caches move over: a
   * cachePlugin may hand a new app only what changed since its own last read.
   */
  private remakeApps(vettedMetadata: string | undefined): void {
    const old = this.requireMsal();
    const apps = this.makeApps(old.configuration, vettedMetadata);
    apps.pca.getTokenCache().deserialize(old.pca.getTokenCache().serialize());
    if (apps.brokered && old.brokered) apps.brokered.getTokenCache().deserialize(old.brokered.getTokenCache().serialize());
    this.msal = { ...apps, network: old.network, configuration: old.configuration, ...(vettedMetadata ? { storedMetadata: vettedMetadata, vetted: true } : {}) };
  }

  /** The endpoints saved by an earlier run, when they are usable. */
  private loadMetadata(): string | undefined {
    if (!this.metadataCache) return undefined;
    try {
      const json = this.metadataCache.load(this.profile.authority.url);
      const endpoints = json === undefined ? undefined : authorityEndpoints(JSON.parse(json));
      if (endpoints && this.profile.authority.kind === "entraExternalId") vetExternalIdIssuer(this.profile.authority, endpoints.issuer);
      return endpoints ? JSON.stringify(endpoints) : undefined;
    } catch (error) {
      this.log("warning", `${this.profile.name}: the saved endpoints of ${this.profile.authority.knownAuthority} cannot be read (${reasonOf(error)}).`);
      return undefined;
    }
  }

  private saveMetadata(endpoints: AuthorityEndpoints | undefined): void {
    const msal = this.requireMsal();
    const json = endpoints && JSON.stringify(endpoints);
    if (!this.metadataCache || !json || json === msal.storedMetadata) return;
    try {
      this.metadataCache.save(this.profile.authority.url, json);
    } catch (error) {
      // Only a speed-up is lost: the next run asks the identity provider again.
      this.log("warning", `${this.profile.name}: the endpoints of ${this.profile.authority.knownAuthority} cannot be saved (${reasonOf(error)}).`);
    }
  }

  private removeMetadata(): void {
    try {
      this.metadataCache?.remove(this.profile.authority.url);
    } catch (error) {
      this.log("warning", `${this.profile.name}: the stale endpoints of ${this.profile.authority.knownAuthority} cannot be removed (${reasonOf(error)}).`);
    }
  }

  private toError(error: unknown, operation: string, observation?: NetworkObservation): AuthError {
    return toAuthError(error, {
      authorityHost: this.profile.authority.knownAuthority,
      clientId: this.profile.clientId,
      operation,
      ...(observation ? { observation } : {}),
    });
  }

  private requireMsal(): Msal {
    if (isAuthError(this.msal)) throw this.msal;
    return this.msal;
  }

  /** A sign-in succeeded: its account becomes the active one. */
  private adopt(result: AuthenticationResult): AccountSummary {
    if (!result.account) throw new AuthError("unexpected", "The sign-in returned no account.", "Try again.");
    this.active = toAccountSummary(result.account);
    this.setState({ status: "signedIn", account: this.active });
    return this.active;
  }

  /**
   * A sign-in task starts: it shows `signingIn` from now (not while it waited in the queue) and works with freshly
   * discovered endpoints, since it talks to the identity provider anyway and a moved authorization endpoint would
   * only show in the browser.
   */
  private startSignIn(): Promise<Msal> {
    // Remaking the apps waits for the calls under way on them.
    return this.queue.run(async () => {
      this.rediscover();
      this.requireMsal();
      this.setState({ status: "signingIn" });
      await this.ensureEndpoints();
      return this.requireMsal();
    });
  }

  /** After the cache changed: keep the active account if it is still there, else take the first one. */
  private settleState(accounts: AccountSummary[]): void {
    const stillThere = accounts.find((a) => a.homeAccountId === this.active?.homeAccountId);
    this.active = stillThere ?? accounts[0];
    this.showState(this.restingState());
  }

  private noteTokenRequest(): void {
    const active = this.active;
    if (active && this.refreshingAccount === active.homeAccountId && this.current.status !== "refreshing") {
      this.showState({ status: "refreshing", account: active });
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
      ? this.restingState()
      : { status: "error", error: mapped, ...(this.active ? { account: this.active } : {}) };
    if (effect === "signIn") this.setState(next);
    else this.showState(next);
    return mapped;
  }

  /** What the service shows when nothing is going on: the active account, or signed out. */
  private restingState(): AuthState {
    return this.active ? { status: "signedIn", account: this.active } : { status: "signedOut" };
  }

  /** Shows the state another operation's outcome implies, unless a sign-in is under way: its end decides then. */
  private showState(next: AuthState): void {
    if (this.current.status !== "signingIn") this.setState(next);
  }

  private setState(next: AuthState): void {
    if (sameState(this.current, next)) return;
    this.current = next;
    this.log("info", `${this.profile.name}: ${next.status}`);
    this.emit("state", next);
  }
}

/** Same status, same account and same error: nothing for listeners to redraw. */
function sameState(a: AuthState, b: AuthState): boolean {
  if (a.status !== b.status) return false;
  const accountOf = (s: AuthState) => ("account" in s ? s.account?.homeAccountId : undefined);
  const errorOf = (s: AuthState) => (s.status === "error" ? s.error : undefined);
  return accountOf(a) === accountOf(b) && errorOf(a) === errorOf(b);
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
