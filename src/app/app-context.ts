import { AuthService } from "../core/auth/auth-service.js";
import { fileAuthorityMetadataStore, type AuthorityMetadataStore } from "../core/auth/authority-metadata.js";
import { systemBrowserOpener, type BrowserOpener } from "../core/auth/browser-opener.js";
import type { AuthLog } from "../core/auth/msal-config.js";
import { chooseSignInMethod } from "../core/broker/broker-choice.js";
import { probeBroker, type BrokerProbe } from "../core/broker/broker-probe.js";
import { ActiveAccounts } from "../core/cache/active-accounts.js";
import { openTokenCacheStore, tokenCachePaths, type TokenCacheStore } from "../core/cache/token-cache-store.js";
import { addProfile } from "../core/config/add-profile.js";
import { appHome } from "../core/config/app-home.js";
import { loadAppSettings, loadProfiles, type AppSettings, type ProfileEntry } from "../core/config/load-config.js";
import type { Profile } from "../core/config/profile.js";
import type { RawProfile } from "../core/config/profile-schema.js";
import { ChangeWatch } from "./change-watch.js";
import { builtinProfiles, chooseProfile, DEMO_PROFILE, type ProfileChoice } from "./profile-choice.js";
import { ProfileSession } from "./profile-session.js";
import { storageState, type StorageState } from "./session-state.js";

export type { ProfileChoice } from "./profile-choice.js";

export interface AppContextOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Opens sign-in and logout pages; default the system browser ($BROWSER, xdg-open, open, ...). */
  openBrowser?: BrowserOpener;
  /** Told what a user should know that is not a failure (the browser takes over from the broker, a cache set aside). */
  onNotice?: (message: string) => void;
  log?: AuthLog;
  /** Asks the OS for its native broker; default probeBroker. Asked at most once. */
  probeBroker?: () => Promise<BrokerProbe>;
  /** Told of storage events a user should know about, e.g. an unreadable token cache set aside. */
  onWarning?: (message: string) => void;
  /**
   * How often sessions look for sign-ins, sign-outs and account switches made by other processes. Default 2 s;
   * false for a process that lives one command long and follows nobody (the CLI).
   */
  watchIntervalMs?: number | false;
}

/**
 * What one process shares among all its profile sessions: the app home and its settings, the token cache, the
 * broker probe, the IdP endpoints kept between runs, the remembered active accounts, and the built-in profiles.
 * The CLI and the tray app each make one; every session they open comes from it.
 */
export class AppContext {
  readonly home: string;
  readonly activeAccounts: ActiveAccounts;
  readonly metadata: AuthorityMetadataStore;
  private readonly openBrowser: BrowserOpener;
  private readonly onNotice: (message: string) => void;
  private readonly onWarning: (message: string) => void;
  private readonly log: AuthLog | undefined;
  private readonly probe: () => Promise<BrokerProbe>;
  private settingsLoaded: Promise<AppSettings> | undefined;
  private cacheOpened: Promise<TokenCacheStore> | undefined;
  private probed: Promise<BrokerProbe> | undefined;
  private readonly sessions = new Set<ProfileSession>();
  private readonly watch: ChangeWatch | undefined;

  constructor(options: AppContextOptions = {}) {
    const env = options.env ?? process.env;
    const platform = options.platform ?? process.platform;
    this.home = appHome(env, platform);
    this.activeAccounts = ActiveAccounts.in(this.home);
    this.metadata = fileAuthorityMetadataStore(this.home);
    this.openBrowser = options.openBrowser ?? systemBrowserOpener(env, platform);
    this.onNotice = options.onNotice ?? (() => undefined);
    this.onWarning = options.onWarning ?? (() => undefined);
    this.log = options.log;
    this.probe = options.probeBroker ?? (() => probeBroker(platform));
    const paths = tokenCachePaths(this.home);
    const intervalMs = options.watchIntervalMs ?? 2_000;
    this.watch = intervalMs === false ? undefined
      : new ChangeWatch([paths.secureFile, paths.plaintextFile, this.activeAccounts.file], intervalMs, () => this.reloadSessions());
  }

  /** config.json's app-wide settings. */
  settings(): Promise<AppSettings> {
    return (this.settingsLoaded ??= loadAppSettings(this.home));
  }

  /** The token cache, opened once: opening checks the keyring, which must not run in parallel with itself. */
  tokenCache(): Promise<TokenCacheStore> {
    return (this.cacheOpened ??= this.settings().then(({ allowPlaintextCache }) =>
      openTokenCacheStore({ home: this.home, allowPlaintextCache, onWarning: this.onWarning })));
  }

  /** Where the tokens are kept and whether that is safe, as plain data. */
  async storage(): Promise<StorageState> {
    return storageState((await this.tokenCache()).status);
  }

  /** The built-in profiles: `demo` exists once the demo IdP has run here (it trusts the CA the IdP makes at first start). */
  builtinProfiles(): Record<string, RawProfile> {
    return builtinProfiles(this.home);
  }

  /** The chosen profile, validated; throws ConfigError with the field and the fix. */
  profile(choice: ProfileChoice = {}): Promise<Profile> {
    return chooseProfile(this.home, choice);
  }

  /**
   * Adds a profile to config.json, checked as the file's own are; throws ConfigError whose `field` names the value
   * at fault. The CLI and the tray app see it from their next read of the file.
   */
  addProfile(name: string, profile: RawProfile): Promise<void> {
    return addProfile(this.home, name, profile, [DEMO_PROFILE]);
  }

  /** Every profile: the config file's and the built-in ones, each resolved or with the error that stops it. */
  profiles(): Promise<ProfileEntry[]> {
    return loadProfiles({ home: this.home, builtins: this.builtinProfiles() });
  }

  /**
   * A session for the profile, with its accounts loaded and the remembered active account made active. Sessions of
   * the same profile, in this process or any other, follow each other's sign-ins, sign-outs and account switches.
   */
  async openSession(profile: Profile): Promise<ProfileSession> {
    const [store, signIn] = await Promise.all([this.tokenCache(), chooseSignInMethod(profile, { probe: () => (this.probed ??= this.probe()) })]);
    const cachePlugin = store.pluginFor(profile.cacheSection);
    const auth = new AuthService({
      profile,
      openBrowser: this.openBrowser,
      // The IdP's endpoints, kept so that a cached token is served without asking the IdP anything.
      metadataCache: this.metadata,
      ...(cachePlugin && { cachePlugin, exclusive: (work) => store.exclusive(profile.cacheSection, work) }),
      ...(signIn.plugin && { broker: signIn.plugin }),
      ...(this.log && { log: this.log }),
      onNotice: this.onNotice,
    });
    const session = new ProfileSession({
      auth,
      signIn: { method: signIn.method, reason: signIn.reason },
      activeAccounts: this.activeAccounts,
      storage: () => this.storage(),
      changed: (from) => this.reloadSessions(from, profile.cacheSection),
      warn: this.onWarning,
      closed: (closing) => {
        this.sessions.delete(closing);
        if (this.sessions.size === 0) this.watch?.stop();
      },
    });
    // A cache that cannot be read leaves the session open, showing the problem in its state.
    await session.reload().catch(() => undefined);
    this.sessions.add(session);
    this.watch?.start();
    return session;
  }

  /**
   * Follows other processes' sign-ins, sign-outs and switches now instead of at the next interval, for a caller
   * that must not answer from a state a few seconds old (the token service, before each request).
   */
  catchUp(): Promise<void> {
    return this.watch?.check() ?? Promise.resolve();
  }

  /** Closes every session and stops watching for other processes' changes. */
  dispose(): void {
    for (const session of [...this.sessions]) session.dispose();
    this.watch?.stop();
  }

  /** Tells the sessions (of one profile, but the one that changed it) to look at the cache again. */
  private async reloadSessions(except?: ProfileSession, cacheSection?: string): Promise<void> {
    const others = [...this.sessions].filter((session) => session !== except &&
      (cacheSection === undefined || session.profile.cacheSection === cacheSection));
    await Promise.all(others.map((session) => session.reload().catch(() => undefined)));
  }
}
