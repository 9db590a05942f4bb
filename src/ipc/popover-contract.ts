/*
 * The popover's IPC contract: what the page may ask of the main process, what it gets back, and what main pushes
 * to it. Plain, structured-cloneable data only. The page never sees a token: it asks main to copy one.
 * Imported by the main process (handlers), the preload (the bridge) and the renderer (types only).
 */

/** Requests the popover makes; each is answered once (ipcRenderer.invoke / ipcMain.handle). */
export const PopoverRequest = {
  view: "popover:view",
  signIn: "popover:sign-in",
  cancelSignIn: "popover:cancel-sign-in",
  signOut: "popover:sign-out",
  copy: "popover:copy",
  switchProfile: "popover:switch-profile",
  switchAccount: "popover:switch-account",
  startDemo: "popover:start-demo",
  openConfigFile: "popover:open-config-file",
  settings: "popover:settings",
  saveSettings: "popover:save-settings",
  addProfile: "popover:add-profile",
} as const;

/** Pushed by main whenever what the popover shows changes. */
export const PopoverPush = {
  view: "popover:view-changed",
  /** The menu's "Settings…": the page shows its settings. */
  showSettings: "popover:show-settings",
} as const;

/** What "Copy" may put on the clipboard. Tokens are read by main; the page names only what it wants. */
export type CopyTarget =
  | { what: "accessToken" }
  | { what: "authorizationHeader" }
  | { what: "idToken" }
  | { what: "claim"; token: "id" | "access"; key: string };

export interface CopyResult {
  /** One sentence for the page to show, e.g. "Access token copied; the clipboard clears in 30 s." */
  notice: string;
}

export interface PopoverRequests {
  [PopoverRequest.view]: { request: null; reply: PopoverView };
  [PopoverRequest.signIn]: { request: { selectAccount: boolean }; reply: null };
  [PopoverRequest.cancelSignIn]: { request: null; reply: null };
  [PopoverRequest.signOut]: { request: null; reply: null };
  [PopoverRequest.copy]: { request: CopyTarget; reply: CopyResult };
  [PopoverRequest.switchProfile]: { request: { profile: string }; reply: null };
  [PopoverRequest.switchAccount]: { request: { homeAccountId: string }; reply: null };
  [PopoverRequest.startDemo]: { request: null; reply: null };
  [PopoverRequest.openConfigFile]: { request: null; reply: null };
  [PopoverRequest.settings]: { request: null; reply: SettingsView };
  [PopoverRequest.saveSettings]: { request: SettingsPatch; reply: SettingsReply };
  [PopoverRequest.addProfile]: { request: NewProfile; reply: AddProfileReply };
}

export type PopoverRequestName = keyof PopoverRequests;
export type RequestOf<N extends PopoverRequestName> = PopoverRequests[N]["request"];
export type ReplyOf<N extends PopoverRequestName> = PopoverRequests[N]["reply"];

/** Main's side: one handler per request. */
export type PopoverHandlers = { [N in PopoverRequestName]: (request: RequestOf<N>) => Promise<ReplyOf<N>> };

/** What the preload exposes to the page as `window.entraTray`: a few named functions and one subscription. */
export interface PopoverApi {
  view(): Promise<PopoverView>;
  signIn(options: { selectAccount: boolean }): Promise<void>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<void>;
  copy(target: CopyTarget): Promise<CopyResult>;
  switchProfile(profile: string): Promise<void>;
  switchAccount(homeAccountId: string): Promise<void>;
  startDemo(): Promise<void>;
  /** Opens config.json, the profiles shared with the CLI, in the OS's editor. */
  openConfigFile(): Promise<void>;
  settings(): Promise<SettingsView>;
  saveSettings(patch: SettingsPatch): Promise<SettingsReply>;
  /** Adds a profile to config.json and shows it; or says which value is wrong and why. */
  addProfile(profile: NewProfile): Promise<AddProfileReply>;
  /** Calls `listener` with every new view; returns the unsubscribe function. */
  onView(listener: (view: PopoverView) => void): () => void;
  /** Calls `listener` when main asks the page to show its settings (the menu's "Settings…"); returns the unsubscribe. */
  onShowSettings(listener: () => void): () => void;
}

/** The tray app's own settings as the settings screen shows them. Profiles are in config.json, shared with the CLI. */
export interface SettingsView {
  /** The saved global shortcut ("" for none). */
  shortcut: string;
  /** Why that shortcut does not work now (taken by another application, or not a valid accelerator). */
  shortcutProblem?: { message: string; action: string };
  clipboardClearSeconds: number;
  minValiditySeconds: number;
  /** What the OS will do at the next login, as it reports it; `message` says why not although asked. */
  startAtLogin: { enabled: boolean; message?: string };
  /** Bounds the numeric settings take, for the form's inputs. */
  limits: { clipboardClearSeconds: { min: number; max: number }; minValiditySeconds: { min: number; max: number } };
  /** The path of config.json. */
  configFile: string;
}

/** A profile as the popover's form has it (config.json's keys; optional ones left out when empty). */
export interface NewProfile {
  name: string;
  authority: string;
  clientId: string;
  displayName?: string;
  scopes?: string[];
}

export type AddProfileReply =
  | { added: true }
  /** `field` is the form's field the problem is about, when it is about one. */
  | { added: false; field?: string; message: string; action: string };

export interface SettingsPatch {
  shortcut?: string;
  clipboardClearSeconds?: number;
  minValiditySeconds?: number;
  startAtLogin?: boolean;
}

export interface SettingsReply {
  settings: SettingsView;
  /** Per setting that was not saved, why (the rest of the patch was saved). */
  errors: { [K in keyof SettingsPatch]?: string };
  /** One sentence for the page, e.g. "Saved." */
  notice: string;
}

/** A failure the person can act on: what happened, what to do, and the one button that does it (if any). */
export interface ProblemView {
  message: string;
  action: string;
  /** openConfigFile: config.json in the editor; openSettings: the popover's settings screen. */
  fix?: { label: string; command: "signIn" | "signInAgain" | "startDemo" | "openConfigFile" | "openSettings" };
}

export interface ChoiceView {
  id: string;
  label: string;
  active: boolean;
}

export interface AccountView {
  name: string;
  username: string;
  /** From Microsoft Graph when the profile has one: mail, job title. */
  mail?: string;
  jobTitle?: string;
  /** A `data:image/...;base64,` URL (the CSP allows data: images only), or absent: the page shows initials. */
  photo?: string;
  /** Why the Graph profile is missing, when it is (e.g. "This profile has no Microsoft Graph."). */
  graphNote?: string;
}

export interface TokenView {
  /** ISO 8601; the page counts down to it. */
  expiresOn: string;
  /** The lifetime the token was issued with, in seconds, for the progress bar. */
  lifetimeSec: number;
  scopes: string[];
  /** The global shortcut that copies it, as the OS writes it (e.g. "Ctrl+Alt+Shift+T"), when one is registered. */
  shortcut?: string;
}

export interface ClaimView {
  key: string;
  label: string;
  value: string;
  description?: string;
}

export interface StatusChips {
  /** The profile's display name. */
  profile: string;
  storage: { label: string; tone: "good" | "warning" | "danger"; detail: string };
  signInMethod: string;
}

/** Everything the popover shows; `screen` says which state. */
export type PopoverView =
  | { screen: "noProfile"; demoAvailable: boolean; problem?: ProblemView }
  | (Common & { screen: "signedOut"; problem?: ProblemView })
  | (Common & { screen: "signingIn"; flow: "browser" | "broker"; deadline: string })
  | (Common & {
      screen: "signedIn";
      account: AccountView;
      refreshing: boolean;
      token?: TokenView;
      idClaims: ClaimView[];
      /** The access token's claims when it is a JWT meant to be read (e.g. not Graph's). */
      accessClaims?: ClaimView[];
    })
  | (Common & { screen: "needsAttention"; account?: AccountView; problem: ProblemView });

interface Common {
  chips: StatusChips;
  profiles: ChoiceView[];
  accounts: ChoiceView[];
  /** The global shortcut could not be registered: why, and the way to pick another. */
  shortcutProblem?: ProblemView;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isShortText = (value: unknown): value is string => typeof value === "string" && value.length > 0 && value.length <= 512;
const hasOnly = (value: Record<string, unknown>, keys: string[]) => Object.keys(value).every((key) => keys.includes(key));

/** Whether `payload` is a well-formed request for `name`: main refuses anything else, whoever sent it. */
export function isValidRequest(name: string, payload: unknown): name is PopoverRequestName {
  switch (name) {
    case PopoverRequest.view:
    case PopoverRequest.cancelSignIn:
    case PopoverRequest.signOut:
    case PopoverRequest.startDemo:
    case PopoverRequest.openConfigFile:
    case PopoverRequest.settings:
      return payload === null;
    case PopoverRequest.addProfile:
      return isRecord(payload) && hasOnly(payload, ["name", "authority", "clientId", "displayName", "scopes"]) && isNewProfile(payload);
    case PopoverRequest.saveSettings:
      return isRecord(payload) && hasOnly(payload, SETTINGS_KEYS) && isSettingsPatch(payload);
    case PopoverRequest.signIn:
      return isRecord(payload) && hasOnly(payload, ["selectAccount"]) && typeof payload.selectAccount === "boolean";
    case PopoverRequest.switchProfile:
      return isRecord(payload) && hasOnly(payload, ["profile"]) && isShortText(payload.profile);
    case PopoverRequest.switchAccount:
      return isRecord(payload) && hasOnly(payload, ["homeAccountId"]) && isShortText(payload.homeAccountId);
    case PopoverRequest.copy:
      if (!isRecord(payload)) return false;
      if (payload.what === "accessToken" || payload.what === "authorizationHeader" || payload.what === "idToken") return hasOnly(payload, ["what"]);
      return payload.what === "claim" && hasOnly(payload, ["what", "token", "key"]) && (payload.token === "id" || payload.token === "access") && isShortText(payload.key);
    default:
      return false;
  }
}

const SETTINGS_KEYS = ["shortcut", "clipboardClearSeconds", "minValiditySeconds", "startAtLogin"];
const isSeconds = (value: unknown) => value === undefined || (typeof value === "number" && Number.isFinite(value));

/** Types only: whole numbers within the schema's ranges are checked by main, with a message for the form. */
function isSettingsPatch(payload: Record<string, unknown>): boolean {
  return (payload.shortcut === undefined || (typeof payload.shortcut === "string" && payload.shortcut.length <= 100))
    && isSeconds(payload.clipboardClearSeconds) && isSeconds(payload.minValiditySeconds)
    && (payload.startAtLogin === undefined || typeof payload.startAtLogin === "boolean");
}

const isFormText = (value: unknown) => typeof value === "string" && value.length <= 2048;

/** Types and sizes only: what the values mean is the app layer's to check, with a message for the form. */
function isNewProfile(payload: Record<string, unknown>): boolean {
  return isFormText(payload.name) && isFormText(payload.authority) && isFormText(payload.clientId)
    && (payload.displayName === undefined || isFormText(payload.displayName))
    && (payload.scopes === undefined || (Array.isArray(payload.scopes) && payload.scopes.length <= 50 && payload.scopes.every(isFormText)));
}
