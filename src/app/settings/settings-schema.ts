// The tray app's own settings: what they are, their defaults and the schema a settings file must meet, in one place
// for conf (tests, plain Node) and electron-store (the main process) alike.
import type { Options, Schema } from "conf";

export interface AppSettings {
  /** The profile the tray shows; null: the one config.json's `defaultProfile` (or its single profile) names. */
  activeProfile: string | null;
  /** An Electron accelerator for "copy the access token"; empty: no global shortcut. */
  shortcut: string;
  /** Seconds after which a copied token is cleared from the clipboard if it is still there; 0: never. */
  clipboardClearSeconds: number;
  /** A copy needs a token valid for at least this many seconds, else it copies nothing. */
  minValiditySeconds: number;
  /** The user's choice; the OS's own login-item state is read back, and wins, where the OS can tell. */
  startAtLogin: boolean;
}

const seconds = (defaultValue: number, maximum: number) =>
  ({ type: "integer", minimum: 0, maximum, default: defaultValue }) as const;

export const SETTINGS_SCHEMA: Schema<AppSettings> = {
  activeProfile: { type: ["string", "null"], pattern: "^[A-Za-z0-9._-]+$", default: null },
  shortcut: { type: "string", maxLength: 100, default: "CommandOrControl+Alt+Shift+T" },
  clipboardClearSeconds: seconds(30, 3600),
  minValiditySeconds: seconds(300, 3600),
  startAtLogin: { type: "boolean", default: true },
};

/**
 * The settings file's format: its version, recorded in the file, and the migrations that bring an older file up to
 * it (conf runs those above the recorded version, in order). A change to AppSettings that older files would fail
 * raises the version and adds its migration here.
 */
export interface SettingsFormat {
  version: string;
  migrations: NonNullable<Options<AppSettings>["migrations"]>;
}

export const SETTINGS_FORMAT: SettingsFormat = { version: "1.0.0", migrations: {} };
