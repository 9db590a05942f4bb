import type { AppSettings, SettingsStore, ShortcutRegistry, ShortcutStatus, StartAtLogin } from "../app/index.js";
import { bindShortcut, describeWriteFailure, SETTINGS_SCHEMA, shortcutProblem } from "../app/index.js";
import type { SettingsPatch, SettingsReply, SettingsView } from "../ipc/popover-contract.js";

/** What the settings need beyond their file; main gives the real ones, tests real files and a fake shortcut registry. */
export interface SettingsPorts {
  /** The settings file (electron-store in the app, conf in tests): one schema, src/app/settings. */
  store: SettingsStore;
  startAtLogin: StartAtLogin;
  /** The OS's global shortcuts (Electron's globalShortcut). */
  shortcuts: ShortcutRegistry;
  /** config.json: the profiles, shared with the CLI. */
  configFile: string;
}

type SecondsKey = "clipboardClearSeconds" | "minValiditySeconds";
const SECONDS_LABELS: Record<SecondsKey, string> = {
  clipboardClearSeconds: "Clearing the clipboard",
  minValiditySeconds: "The minimum validity",
};

/**
 * The tray app's own settings as the popover's settings screen and the menu use them: read, and saved only once
 * they work (a shortcut is registered before it is saved; start at login is set in the OS and read back). No
 * Electron here.
 */
export class SettingsPanel {
  private bound: string | undefined;
  private status: ShortcutStatus = { state: "off" };
  private onPress: (() => void) | undefined;
  /**
   * The settings as last read or saved. conf reads its file at every get: a shortcut press would pay two file reads,
   * and a file gone unreadable meanwhile would fail the press. This app is the file's only writer while it runs.
   */
  private readonly values: AppSettings;

  constructor(private readonly ports: SettingsPorts) {
    this.values = { ...ports.store.store };
  }

  /** The global shortcut now: registered, or why not. */
  get shortcutStatus(): ShortcutStatus {
    return this.status;
  }

  get clipboardClearSeconds(): number {
    return this.values.clipboardClearSeconds;
  }

  get minValiditySeconds(): number {
    return this.values.minValiditySeconds;
  }

  get activeProfile(): string | undefined {
    return this.values.activeProfile ?? undefined;
  }

  /** Remembers the profile the tray shows, for the next start; best effort: a read-only disk costs only that. */
  rememberProfile(name: string): void {
    if (this.values.activeProfile !== name) this.write("activeProfile", name);
  }

  startAtLogin(): { enabled: boolean; message?: string } {
    return this.ports.startAtLogin.read();
  }

  /**
   * The app's first run turns start at login on (the setting's default); later runs leave the OS's entry alone,
   * since the person may have turned it off in the OS's own settings.
   */
  applyFirstRun(): { enabled: boolean; message?: string } | undefined {
    return this.values.startAtLogin ? this.ports.startAtLogin.set(true) : undefined;
  }

  /** Binds the saved shortcut (at start-up); `onPress` runs at each press of this and any later shortcut. */
  bindSavedShortcut(onPress: () => void): ShortcutStatus {
    this.onPress = onPress;
    return this.bind(this.values.shortcut);
  }

  /** Lets the shortcut go (quitting). */
  unbindShortcut(): void {
    this.bind("");
  }

  /** Binds `accelerator` ("" for none) in place of the current one, which stays bound when this one fails. */
  private bind(accelerator: string): ShortcutStatus {
    const onPress = this.onPress;
    if (!onPress) return this.status;
    const { status, bound } = bindShortcut(this.ports.shortcuts, this.bound, accelerator || undefined, onPress);
    this.bound = bound;
    this.status = status;
    return status;
  }

  view(): SettingsView {
    const { configFile } = this.ports;
    const problem = shortcutProblem(this.status);
    return {
      shortcut: this.values.shortcut,
      ...(problem && { shortcutProblem: problem }),
      clipboardClearSeconds: this.values.clipboardClearSeconds,
      minValiditySeconds: this.values.minValiditySeconds,
      startAtLogin: this.startAtLogin(),
      limits: { clipboardClearSeconds: bounds("clipboardClearSeconds"), minValiditySeconds: bounds("minValiditySeconds") },
      configFile,
    };
  }

  /** Saves what works of `patch`; each setting that does not gets its reason, and keeps its old value. */
  save(patch: SettingsPatch): SettingsReply {
    const errors: SettingsReply["errors"] = {};
    for (const key of ["clipboardClearSeconds", "minValiditySeconds"] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      const { min, max } = bounds(key);
      if (!Number.isInteger(value) || value < min || value > max) errors[key] = `${SECONDS_LABELS[key]} takes a whole number of seconds from ${min} to ${max}.`;
      else errors[key] = this.write(key, value);
    }
    if (patch.shortcut !== undefined) {
      const wanted = patch.shortcut.trim();
      const refused = shortcutProblem(this.bind(wanted));
      errors.shortcut = refused ? `${refused.message} ${refused.action}` : this.write("shortcut", wanted);
      // Not saved: the saved shortcut is bound again, and the menu and popover go on showing it, not the failed try.
      if (errors.shortcut) this.bind(this.values.shortcut);
    }
    if (patch.startAtLogin !== undefined) {
      // The person's choice, kept for what it is worth; the OS's answer is what the settings show.
      this.write("startAtLogin", patch.startAtLogin);
      const state = this.ports.startAtLogin.set(patch.startAtLogin);
      if (state.enabled !== patch.startAtLogin) errors.startAtLogin = state.message ?? `The OS did not turn start at login ${patch.startAtLogin ? "on" : "off"}.`;
    }
    for (const key of Object.keys(errors) as (keyof typeof errors)[]) if (errors[key] === undefined) delete errors[key];
    const failed = Object.keys(errors).length;
    return { settings: this.view(), errors, notice: failed ? "Some settings were not saved: see the messages beside them." : "Settings saved." };
  }

  /** Writes one setting; says why not when the disk refuses. */
  private write<K extends keyof AppSettings>(key: K, value: AppSettings[K]): string | undefined {
    try {
      this.ports.store.set(key, value);
      this.values[key] = value;
      return undefined;
    } catch (error) {
      const { cause, action } = describeWriteFailure(error);
      return `The settings file could not be written: ${cause}. ${action}`;
    }
  }
}

function bounds(key: keyof Pick<AppSettings, SecondsKey>): { min: number; max: number } {
  const schema = SETTINGS_SCHEMA[key] as { minimum: number; maximum: number };
  return { min: schema.minimum, max: schema.maximum };
}
