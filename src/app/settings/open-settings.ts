// Opens the settings file, `settings.json` beside the CLI's config.json, so that a damaged one never stops the app.
import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import type Conf from "conf";
import type { Options } from "conf";
import { timestamp } from "../../core/cache/plaintext-file.js";
import { SETTINGS_FORMAT, SETTINGS_SCHEMA } from "./settings-schema.js";
import type { AppSettings, SettingsFormat } from "./settings-schema.js";

/** Not `config`, conf's and electron-store's default name: that file is the CLI's config.json, the profiles. */
export const SETTINGS_FILE_NAME = "settings";

export type SettingsStore = Conf<AppSettings>;
export type SettingsStoreOptions = Options<AppSettings> & { cwd: string; configName: string };

/** The options conf, or electron-store (which takes `name` for `configName`), opens the settings with. */
export function settingsStoreOptions(cwd: string, format: SettingsFormat = SETTINGS_FORMAT): SettingsStoreOptions {
  return {
    cwd,
    configName: SETTINGS_FILE_NAME,
    schema: SETTINGS_SCHEMA,
    projectVersion: format.version,
    migrations: format.migrations,
  };
}

export interface OpenSettingsOptions {
  /** The folder: the app home (appHome(), where config.json is). */
  cwd: string;
  /** Told when an unreadable settings file was set aside and the defaults took its place. */
  onReset: (message: string) => void;
  /** Makes the store; the main process passes one that makes an electron-store. Defaults to conf. */
  create?: (options: SettingsStoreOptions) => SettingsStore;
  format?: SettingsFormat;
}

export interface OpenedSettings {
  store: SettingsStore;
  /** No settings file existed: the app's first run here (start at login is turned on then). */
  firstRun: boolean;
}

export async function openSettings({ cwd, onReset, create, format }: OpenSettingsOptions): Promise<OpenedSettings> {
  const make = create ?? (await confStore());
  const options = settingsStoreOptions(cwd, format);
  const file = path.join(cwd, `${SETTINGS_FILE_NAME}.json`);
  const firstRun = !existsSync(file);
  try {
    return { store: make(options), firstRun };
  } catch (error) {
    if (firstRun) throw error;
    // Not JSON, or refused by the schema: kept for the user to look at, and the app starts on the defaults.
    const aside = `${file}.corrupt-${timestamp()}`;
    renameSync(file, aside);
    const store = make(options);
    onReset(`The settings file ${file} could not be used (${(error as Error).message}). It was set aside as ${aside} and the defaults are in use.`);
    return { store, firstRun };
  }
}

/** conf loads only when settings are opened: the CLI shares src/app's index and should not pay for conf and ajv. */
async function confStore(): Promise<(options: SettingsStoreOptions) => SettingsStore> {
  const { default: Conf } = await import("conf");
  return (options) => new Conf(options);
}
