import { EventEmitter } from "node:events";
import type { AppContext, ClaimRow, Profile, ProfileSession, SecretClipboard, SessionState, ShortcutStatus, StorageState, TokenResult } from "../app/index.js";
import { ClipboardGuard, ConfigError, isAuthError, shortcutProblem } from "../app/index.js";
import type {
  AccountView, AddProfileReply, ChoiceView, ClaimView, CopyResult, CopyTarget, NewProfile, PopoverHandlers, PopoverView, ProblemView, SettingsPatch, SettingsReply, StatusChips,
} from "../ipc/popover-contract.js";
import { PopoverRequest } from "../ipc/popover-contract.js";
import type { SettingsPanel } from "./settings-panel.js";
import type { TrayModel } from "./tray-model.js";

/** What the presenter needs from Electron; main gives the real ones, tests fakes. */
export interface TrayPorts {
  /** Electron's clipboard: plain text (claims), and secrets (tokens) marked for clipboard managers. */
  clipboard: SecretClipboard & { writeText(text: string): Promise<void> };
  /** The popover window's native handle, for the broker's dialog; undefined when there is no window. */
  windowHandle(): Buffer | undefined;
  /** Opens config.json (the profiles, shared with the CLI) in the OS's editor. */
  openConfigFile(): Promise<void>;
  /** The app's own settings: clipboard delay, minimum validity, shortcut, start at login, the profile shown. */
  settings: SettingsPanel;
  /** Starts the demo identity provider inside the app; its `demo` profile exists afterwards. */
  startDemo(): Promise<void>;
}

export interface TrayPresenterOptions {
  /** Gives up on a browser or broker sign-in after this long. Default 5 minutes. */
  signInTimeoutMs?: number;
  now?: () => Date;
}

/** What a shortcut press did: copied (and what), or why not and what fixes it. */
export type ShortcutOutcome = { copied: true; notice: string } | { copied: false; problem: ProblemView };

const DEFAULT_SIGN_IN_TIMEOUT_MS = 300_000;
/** Graph photos above this size are not sent to the page (a data: URL of megabytes helps nobody). */
const MAX_PHOTO_BYTES = 512 * 1024;
const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/**
 * The tray app's one view of the app layer: which profile is active and its session, the sign-in under way, and what
 * the popover and the tray show for it (PopoverView, TrayModel). It answers the popover's requests and the menu's
 * actions. No Electron here: main adapts it, the tests drive it for real.
 */
export class TrayPresenter {
  private readonly events = new EventEmitter<{ change: [] }>();
  private readonly signInTimeoutMs: number;
  private readonly now: () => Date;
  private session: ProfileSession | undefined;
  private unsubscribe: (() => void) | undefined;
  private profiles: ChoiceView[] = [];
  private noProfile: ProblemView | undefined;
  private storage: StorageState | undefined;
  /** The sign-in under way: its session (a profile switch cancels it) and when it gives up. */
  private signingIn: { session: ProfileSession; deadline: Date } | undefined;
  private starting: Promise<void> = Promise.resolve();
  /** Graph profile and photo per account, fetched once per account and session. */
  private readonly accountViews = new Map<string, Promise<AccountView | undefined>>();
  private readonly accountViewsDone = new Map<string, AccountView | undefined>();
  private readonly guard: ClipboardGuard;

  constructor(private readonly context: AppContext, private readonly ports: TrayPorts, options: TrayPresenterOptions = {}) {
    this.signInTimeoutMs = options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
    // Read at each copy: a change in the settings counts from the next one.
    this.guard = new ClipboardGuard(ports.clipboard, { clearAfterSec: () => ports.settings.clipboardClearSeconds });
  }

  /** Binds the saved global shortcut to `onPress`; the menu and the popover show whether it works. */
  bindShortcut(onPress: () => void): void {
    this.ports.settings.bindSavedShortcut(onPress);
    this.changed();
  }

  private get shortcut(): ShortcutStatus {
    return this.ports.settings.shortcutStatus;
  }

  /**
   * Opens the profile named, else the one shown last time while it exists, else config.json's default. Never fails: a broken config file, an unreadable token
   * store or a profile that cannot be opened shows as the no-profile screen with its message, so the tray still
   * comes up and says what to fix. Calls run one after another; the last one asked for wins.
   */
  start(profileName?: string): Promise<void> {
    const run = this.starting.then(() => this.load(profileName));
    this.starting = run.catch(() => undefined);
    return run;
  }

  private async load(profileName: string | undefined): Promise<void> {
    try {
      this.storage = await this.context.storage();
      const entries = await this.context.profiles();
      const remembered = this.ports.settings.activeProfile;
      // A remembered profile since broken or removed gives way to the default, which may well work.
      const wanted = profileName ?? (entries.some((entry) => entry.name === remembered && "profile" in entry) ? remembered : undefined);
      const chosen = (await this.context.profile(wanted === undefined ? {} : { name: wanted })).name;
      if (profileName !== undefined) this.ports.settings.rememberProfile(chosen);
      this.profiles = entries.map((entry) => ({
        id: entry.name,
        label: "profile" in entry ? entry.profile.displayName : `${entry.name} (broken)`,
        active: entry.name === chosen,
      }));
      await this.open(entries.find((entry) => entry.name === chosen));
    } catch (error) {
      if (profileName !== undefined && this.session) {
        // A stale or unknown name from the menu: keep the session there is.
        this.changed();
        return;
      }
      this.noProfile = isAuthError(error) ? { message: error.message, action: error.action }
        : { message: `entra-tray could not open its profiles (${String(error)}).`, action: "Check config.json in the app's folder, then restart entra-tray." };
      await this.open(undefined);
    }
  }

  /** The session the tray shows, when it is of `profile` (as resolved now): the token service serves it too. */
  sessionOf(profile: Profile): ProfileSession | undefined {
    const session = this.session;
    return session && JSON.stringify(session.profile) === JSON.stringify(profile) ? session : undefined;
  }

  /** Calls `listener` whenever the popover or the tray should be redrawn; returns the unsubscribe. */
  onDidChange(listener: () => void): () => void {
    this.events.on("change", listener);
    return () => this.events.off("change", listener);
  }

  /**
   * The hosts whose pages the app may open in the browser: the authority's, and those of the sign-in and sign-out
   * endpoints its vetted discovery document names (a generic OpenID Provider may serve them elsewhere).
   */
  get identityProviderHosts(): string[] {
    const authority = this.session?.profile.authority.url;
    if (!authority) return [];
    const hosts = new Set([new URL(authority).host]);
    const saved = this.context.metadata.load(authority);
    const endpoints = saved === undefined ? {} : (JSON.parse(saved) as Record<string, unknown>);
    for (const name of ["authorization_endpoint", "end_session_endpoint"]) {
      const url = endpoints[name];
      if (typeof url === "string" && URL.canParse(url) && new URL(url).protocol === "https:") hosts.add(new URL(url).host);
    }
    return [...hosts];
  }

  trayModel(): TrayModel {
    const state = this.session?.state;
    const expiry = this.session?.tokenExpiry(this.now());
    return {
      ...(state && { profile: { name: state.name, displayName: state.displayName ?? state.name } }),
      profiles: this.profiles.map(({ id, label, active }) => ({ name: id, displayName: label, active })),
      status: this.signingIn ? "signingIn" : state?.status ?? "signedOut",
      ...(state?.account && { account: { username: state.account.username } }),
      accounts: (state?.accounts ?? []).map(({ homeAccountId, username, active }) => ({ homeAccountId, username, active })),
      ...(state?.problem && { problem: { message: state.problem.message, action: state.problem.action } }),
      ...(expiry && !expiry.expired && { tokenExpiresOn: new Date(expiry.expiresOn) }),
      storageEncrypted: this.storage?.encrypted ?? true,
      shortcut: this.shortcut,
      startAtLogin: this.ports.settings.startAtLogin(),
    };
  }

  /** Everything the popover shows now. Asking for it also refreshes the token when it runs low (TokenKeeper). */
  async popoverView(): Promise<PopoverView> {
    const session = this.session;
    if (!session) return { screen: "noProfile", demoAvailable: true, ...(this.noProfile && { problem: this.noProfile }) };
    const state = session.state;
    const shortcut = shortcutProblem(this.shortcut);
    const common = {
      chips: this.chips(state), profiles: this.profiles, accounts: choices(state),
      ...(shortcut && { shortcutProblem: { ...shortcut, fix: { label: "Choose another shortcut", command: "openSettings" } } satisfies ProblemView }),
    };
    if (this.signingIn) {
      return { ...common, screen: "signingIn", flow: state.signIn?.method === "broker" ? "broker" : "browser", deadline: this.signingIn.deadline.toISOString() };
    }
    if (state.status === "error" && state.problem) {
      return { ...common, screen: "needsAttention", problem: problemView(state.problem), ...(state.account && { account: this.accountView(state) }) };
    }
    if (!state.account) return { ...common, screen: "signedOut" };
    try {
      const token = await session.currentToken();
      const now = this.now();
      const accessClaims = session.accessTokenClaimRows(now);
      return {
        ...common,
        screen: "signedIn",
        account: this.accountView(state),
        refreshing: state.status === "refreshing",
        token: {
          expiresOn: token.expiresOn.toISOString(),
          lifetimeSec: lifetimeOf(accessClaims, token.expiresOn, now),
          scopes: token.scopes,
          ...(this.shortcut.state === "registered" && { shortcut: this.shortcut.accelerator }),
        },
        idClaims: (await session.idTokenClaimRows(now)).map(claimView),
        ...(accessClaims && { accessClaims: accessClaims.map(claimView) }),
      };
    } catch (error) {
      if (!isAuthError(error)) throw error;
      return { ...common, screen: "needsAttention", account: this.accountView(state), problem: problemView(error) };
    }
  }

  /** The popover's requests, as main's IPC handlers run them. */
  readonly handlers: PopoverHandlers = {
    [PopoverRequest.view]: () => this.popoverView(),
    [PopoverRequest.signIn]: ({ selectAccount }) => Promise.resolve((this.signIn(selectAccount), null)),
    [PopoverRequest.cancelSignIn]: () => Promise.resolve((this.cancelSignIn(), null)),
    [PopoverRequest.signOut]: async () => (await this.signOut(), null),
    [PopoverRequest.copy]: (target) => this.copy(target),
    [PopoverRequest.switchProfile]: async ({ profile }) => (await this.switchProfile(profile), null),
    [PopoverRequest.switchAccount]: async ({ homeAccountId }) => (await this.switchAccount(homeAccountId), null),
    [PopoverRequest.startDemo]: async () => (await this.startDemo(), null),
    [PopoverRequest.openConfigFile]: async () => (await this.ports.openConfigFile(), null),
    [PopoverRequest.settings]: () => Promise.resolve(this.ports.settings.view()),
    [PopoverRequest.saveSettings]: (patch) => Promise.resolve(this.saveSettings(patch)),
    [PopoverRequest.addProfile]: (profile) => this.addProfile(profile),
  };

  /** The no-profile screen's form: the profile goes into config.json and the tray shows it. */
  async addProfile({ name, ...profile }: NewProfile): Promise<AddProfileReply> {
    // Only where the form is: a page that asked at any other time would be writing the CLI's profiles unbidden.
    if (this.session) {
      return { added: false, message: "Profiles are added here only while there is none.", action: "Edit config.json to add another profile." };
    }
    try {
      await this.context.addProfile(name.trim(), profile);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { added: false, message: error.message, action: error.action, ...(error.field !== undefined && { field: error.field }) };
    }
    await this.start(name.trim());
    return { added: true };
  }

  /** Saves the settings screen's changes (and the menu's start-at-login checkbox); the tray and popover follow. */
  saveSettings(patch: SettingsPatch): SettingsReply {
    const reply = this.ports.settings.save(patch);
    this.changed();
    return reply;
  }

  /**
   * Starts an interactive sign-in and returns at once; the popover shows "Continue in your browser" until it ends, and
   * the session's state says how it ended (signed in, or the problem). The broker's dialog gets the popover as parent.
   */
  signIn(selectAccount: boolean): void {
    const session = this.session;
    if (!session || this.signingIn) return;
    const signingIn = { session, deadline: new Date(this.now().getTime() + this.signInTimeoutMs) };
    this.signingIn = signingIn;
    this.changed();
    const windowHandle = this.ports.windowHandle();
    void session.signIn({ selectAccount, timeoutMs: this.signInTimeoutMs, ...(windowHandle && { windowHandle }) })
      .catch(() => undefined) // the session's state carries the failure
      .finally(() => {
        if (this.signingIn !== signingIn) return;
        this.signingIn = undefined;
        this.changed();
      });
  }

  cancelSignIn(): void {
    this.signingIn?.session.cancelSignIn();
  }

  /** Signs the active account out here and at the identity provider (its logout page opens in the browser). */
  async signOut(): Promise<void> {
    await this.guard.clear();
    await this.session?.signOut();
    this.changed();
  }

  async switchAccount(homeAccountId: string): Promise<void> {
    await this.session?.switchAccount(homeAccountId);
    this.changed();
  }

  async switchProfile(name: string): Promise<void> {
    await this.start(name);
  }

  async startDemo(): Promise<void> {
    await this.ports.startDemo();
    await this.start("demo");
  }

  /** Puts what `target` names on the clipboard (main's, never the page's) and says what was copied. */
  async copy(target: CopyTarget): Promise<CopyResult> {
    const session = this.session;
    if (!session?.state.account) return { notice: "Nothing to copy: nobody is signed in." };
    if (target.what === "claim") {
      const rows = target.token === "id" ? await session.idTokenClaimRows(this.now()) : session.accessTokenClaimRows(this.now()) ?? [];
      const row = rows.find((each) => each.key === target.key);
      if (!row) return { notice: `There is no ${target.key} claim to copy.` };
      await this.ports.clipboard.writeText(row.value);
      return { notice: `${row.label} copied.` };
    }
    try {
      const minValiditySec = this.ports.settings.minValiditySeconds;
      let token = await session.currentToken({ minValiditySec });
      if (target.what === "idToken" && !this.validLongEnough(idTokenExpiry(token), minValiditySec)) {
        // An ID token may expire before the access token that came with it: a refresh brings a new one.
        token = await session.currentToken({ minValiditySec, forceRefresh: true });
        if (!this.validLongEnough(idTokenExpiry(token), minValiditySec)) {
          return { notice: `Nothing copied: the identity provider issued an ID token valid for less than the ${minValiditySec} s asked for.` };
        }
      }
      return { notice: await this.copyToken(target.what, token) };
    } catch (error) {
      if (!isAuthError(error)) throw error;
      return { notice: `Nothing copied: ${error.message} ${error.action}` };
    }
  }

  /**
   * The global shortcut: the active account's access token from the keeper's memory (a refresh only when it runs
   * low), or, when none with the minimum validity can be had, nothing stale: the problem and the one fix.
   */
  async shortcutCopy(): Promise<ShortcutOutcome> {
    const session = this.session;
    if (!session?.state.account) {
      return { copied: false, problem: { message: `Nobody is signed in${session ? ` to ${session.profile.displayName}` : ""}, so there is no token to copy.`, action: "Sign in first.", fix: { label: "Sign in", command: "signIn" } } };
    }
    try {
      return { copied: true, notice: await this.copyToken("accessToken", await session.currentToken({ minValiditySec: this.ports.settings.minValiditySeconds })) };
    } catch (error) {
      if (!isAuthError(error)) throw error;
      return { copied: false, problem: problemView(error) };
    }
  }

  private validLongEnough(expiresOn: Date, seconds: number): boolean {
    return expiresOn.getTime() - this.now().getTime() >= seconds * 1000;
  }

  private async copyToken(what: "accessToken" | "authorizationHeader" | "idToken", token: TokenResult): Promise<string> {
    if (what === "idToken" && !token.idToken) return `Nothing copied: ${token.account.username}'s identity provider sent no ID token.`;
    const secret = what === "idToken" ? token.idToken! : what === "authorizationHeader" ? `Authorization: Bearer ${token.accessToken}` : token.accessToken;
    const clearsIn = await this.guard.copy(secret);
    const expiresOn = what === "idToken" ? idTokenExpiry(token) : token.expiresOn;
    const minutes = Math.floor((expiresOn.getTime() - this.now().getTime()) / 60_000);
    return `${COPY_LABELS[what]} for ${token.account.username} copied (valid ${minutes} min)${clearsIn ? `; the clipboard clears in ${clearsIn} s` : ""}.`;
  }

  /** On quit: a token still on the clipboard goes, then everything is let go. */
  async shutdown(): Promise<void> {
    this.ports.settings.unbindShortcut();
    await this.guard.clear().catch(() => undefined);
    this.dispose();
  }

  dispose(): void {
    this.unsubscribe?.();
    this.session?.dispose();
    this.events.removeAllListeners();
  }

  private async open(entry: Awaited<ReturnType<AppContext["profiles"]>>[number] | undefined): Promise<void> {
    this.unsubscribe?.();
    // A sign-in of the profile being left ends with it; the popover shows the new profile at once.
    this.signingIn?.session.cancelSignIn();
    this.signingIn = undefined;
    this.session?.dispose();
    this.session = undefined;
    this.accountViews.clear();
    this.accountViewsDone.clear();
    if (entry && "error" in entry) this.noProfile = { message: entry.error.message, action: entry.error.action };
    if (entry && "profile" in entry) {
      this.noProfile = undefined;
      this.session = await this.context.openSession(entry.profile);
      this.unsubscribe = this.session.onDidChange(() => this.changed());
    }
    this.changed();
  }

  private chips(state: SessionState): StatusChips {
    const storage = this.storage;
    const tone = !storage || (storage.encrypted && storage.persistent) ? "good" : storage.kind === "plaintext" ? "danger" : "warning";
    const label = !storage ? "Storage unknown" : storage.kind === "plaintext" ? "Unencrypted file" : storage.kind === "memory" ? "Memory only" : "Keyring";
    return {
      profile: state.displayName ?? state.name,
      storage: { label, tone, detail: storage?.warning ?? storage?.description ?? "" },
      signInMethod: state.signIn?.method === "broker" ? "Broker sign-in" : "Browser sign-in",
    };
  }

  /** The account as far as known now; the Graph profile and photo follow in a pushed view once fetched. */
  private accountView(state: SessionState): AccountView {
    const account = state.account ?? { username: "", name: null, homeAccountId: "" };
    const base: AccountView = { name: account.name ?? account.username, username: account.username };
    const key = account.homeAccountId;
    if (this.accountViewsDone.has(key)) return { ...base, ...this.accountViewsDone.get(key) };
    if (!this.accountViews.has(key) && this.session) {
      const session = this.session;
      const fetched = Promise.all([session.graphProfile(), session.graphPhoto()]).then(([profile, photo]) => {
        const view: Partial<AccountView> = {};
        if (profile.status === "ok") {
          const user = profile.value;
          Object.assign(view, { ...(user.displayName && { name: user.displayName }), ...(user.mail && { mail: user.mail }), ...(user.jobTitle && { jobTitle: user.jobTitle }) });
        } else {
          view.graphNote = profile.status === "failed" ? profile.error.message : profile.message;
        }
        if (photo.status === "ok" && photo.value && PHOTO_TYPES.has(photo.value.contentType) && photo.value.bytes.length <= MAX_PHOTO_BYTES) {
          view.photo = `data:${photo.value.contentType};base64,${photo.value.bytes.toString("base64")}`;
        }
        return view as AccountView;
      }, () => undefined);
      this.accountViews.set(key, fetched);
      void fetched.then((view) => {
        if (session !== this.session) return;
        this.accountViewsDone.set(key, view);
        this.changed();
      });
    }
    return base;
  }

  private changed(): void {
    this.events.emit("change");
  }
}

const COPY_LABELS = { accessToken: "Access token", authorizationHeader: "Authorization header", idToken: "ID token" } as const;

/** The ID token's own expiry (its exp claim); it may differ from the access token's. */
function idTokenExpiry(token: TokenResult): Date {
  const exp = token.idTokenClaims.exp;
  return typeof exp === "number" ? new Date(exp * 1000) : token.expiresOn;
}

const choices = (state: SessionState): ChoiceView[] =>
  state.accounts.map((account) => ({ id: account.homeAccountId, label: account.username, active: account.active }));

const claimView = (row: ClaimRow): ClaimView => ({ key: row.key, label: row.label, value: row.value, ...(row.description && { description: row.description }) });

/** The one button that fixes a problem, by its kind. */
function problemView(problem: { kind: string; message: string; action: string }): ProblemView {
  const fix: ProblemView["fix"] = problem.kind === "interactionRequired" || problem.kind === "denied" || problem.kind === "timeout" || problem.kind === "cancelled"
    ? { label: problem.kind === "interactionRequired" ? "Sign in again" : "Sign in", command: "signInAgain" }
    : problem.kind === "config" ? { label: "Open config.json", command: "openConfigFile" } : undefined;
  return { message: problem.message, action: problem.action, ...(fix && { fix }) };
}

/** The access token's whole lifetime (exp - iat when it is a readable JWT), for the popover's progress bar. */
function lifetimeOf(accessClaims: ClaimRow[] | undefined, expiresOn: Date, now: Date): number {
  const epoch = (key: string) => accessClaims?.find((row) => row.key === key)?.time?.epochSec;
  const [issued, expires] = [epoch("iat"), epoch("exp")];
  if (issued !== undefined && expires !== undefined && expires > issued) return expires - issued;
  return Math.max(1, Math.round((expiresOn.getTime() - now.getTime()) / 1000));
}
