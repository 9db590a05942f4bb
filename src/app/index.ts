// The app layer: what the CLI and the tray app's main process use. Surfaces import this file and nothing of core.
export { AppContext } from "./app-context.js";
export type { AppContextOptions, ProfileChoice } from "./app-context.js";
export { ClipboardGuard } from "./clipboard-guard.js";
export { ensureConfigFile } from "./config-file.js";
export type { ClipboardGuardOptions, SecretClipboard } from "./clipboard-guard.js";
export { startEmbeddedDemo } from "./embedded-demo.js";
export { bindShortcut, shortcutProblem } from "./shortcut-binding.js";
export type { ShortcutRegistry, ShortcutStatus } from "./shortcut-binding.js";
export { ProfileSession } from "./profile-session.js";
export type {
  SessionDeviceCodeOptions,
  SessionSignInOptions,
  SessionSignOutOptions,
  SessionTokenOptions,
  SignedOut,
} from "./profile-session.js";
export { brokenProfileState } from "./session-state.js";
export type { AccountState, Problem, SessionState, StorageState } from "./session-state.js";
export { AuthError, ConfigError, describeWriteFailure, isAuthError } from "./errors.js";
export type { AuthErrorKind } from "./errors.js";
export { TokenService } from "./token-service/token-service.js";
export { serviceEndpoint } from "./token-service/endpoint.js";
export type { AccountSummary } from "../core/auth/auth-state.js";
export type { TokenResult } from "../core/auth/auth-service.js";
export type { ClaimRow } from "../core/claims/claim-rows.js";
export type { RawProfile } from "../core/config/profile-schema.js";
export type { Profile } from "../core/config/profile.js";
export { SETTINGS_FILE_NAME, openSettings, settingsStoreOptions } from "./settings/open-settings.js";
export type { OpenSettingsOptions, OpenedSettings, SettingsStore, SettingsStoreOptions } from "./settings/open-settings.js";
export { SETTINGS_FORMAT, SETTINGS_SCHEMA } from "./settings/settings-schema.js";
export type { AppSettings, SettingsFormat } from "./settings/settings-schema.js";
export { XdgAutostart } from "./autostart/xdg-autostart.js";
export { xdgStartAtLogin } from "./autostart/start-at-login.js";
export type { StartAtLogin } from "./autostart/start-at-login.js";
export type { AutostartState, XdgAutostartOptions } from "./autostart/xdg-autostart.js";
export { loginItemQuery, loginItemSettings, loginItemState } from "./autostart/login-item.js";
export type { LoginItemReport, LoginItemState, LoginItemTarget } from "./autostart/login-item.js";
