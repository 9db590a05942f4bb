import { mkdirSync } from "node:fs";
import path from "node:path";
import type { ShortcutRegistry } from "../../src/app/index.js";
import { openSettings, XdgAutostart, xdgStartAtLogin } from "../../src/app/index.js";
import { SettingsPanel } from "../../src/main/settings-panel.js";

/**
 * Electron's globalShortcut as far as the app uses it: valid accelerators are modifiers then one key; some are held
 * by "other applications". It is a ShortcutRegistry, which main.ts fills with Electron's own globalShortcut, so the
 * type checker holds the two signatures together; naming the electron module here would let bench and dev tools
 * reach the real one.
 */
export class FakeGlobalShortcut implements ShortcutRegistry {
  readonly taken = new Set(["CommandOrControl+Shift+C"]);
  readonly ours = new Map<string, () => void>();
  register(accelerator: string, callback: () => void): boolean {
    if (!/^(CommandOrControl|Control|Command|Alt|Shift|Super)(\+(CommandOrControl|Control|Command|Alt|Shift|Super))*\+([A-Z0-9]|F\d{1,2})$/.test(accelerator)) {
      throw new Error(`Invalid accelerator ${accelerator}`);
    }
    if (this.taken.has(accelerator) || this.ours.has(accelerator)) return false;
    this.ours.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.ours.delete(accelerator);
  }
}

/**
 * The tray's settings as the app has them, under plain Node: the real settings file (conf, as electron-store wraps
 * it) in `home`, a real XDG autostart entry under `home/xdg-config`, and the fake shortcut registry.
 */
export async function nodeSettings(home: string): Promise<{ panel: SettingsPanel; shortcuts: FakeGlobalShortcut; autostart: XdgAutostart; firstRun: boolean }> {
  mkdirSync(home, { recursive: true });
  const { store, firstRun } = await openSettings({ cwd: home, onReset: (message) => { throw new Error(`unexpected reset: ${message}`); } });
  const autostart = new XdgAutostart({ env: { XDG_CONFIG_HOME: path.join(home, "xdg-config") }, execPath: "/opt/entra-tray/entra-tray" });
  const shortcuts = new FakeGlobalShortcut();
  const panel = new SettingsPanel({ store, startAtLogin: xdgStartAtLogin(autostart), shortcuts, configFile: path.join(home, "config.json") });
  return { panel, shortcuts, autostart, firstRun };
}
