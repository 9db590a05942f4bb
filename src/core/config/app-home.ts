import os from "node:os";
import path from "node:path";

/** The name Electron derives `userData` from; the CLI uses the same folder so both share config and cache. */
const APP_NAME = "entra-tray";

/**
 * The per-user app-data folder: `ENTRA_TRAY_HOME` when set (tests isolate with it), else the folder Electron's
 * `app.getPath("userData")` gives for APP_NAME: `appData` + name, where Electron's `appData` is `%APPDATA%` on
 * Windows, `~/Library/Application Support` on macOS, and `$XDG_CONFIG_HOME` (used as-is when non-empty, as
 * Chromium's GetXDGDirectory does) or `~/.config` elsewhere.
 */
export function appHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homedir: string = os.homedir(),
): string {
  if (env.ENTRA_TRAY_HOME) return path.resolve(env.ENTRA_TRAY_HOME);
  switch (platform) {
    case "win32":
      // Electron asks Windows for the Roaming known folder, which is what %APPDATA% holds.
      return path.win32.join(env.APPDATA || path.win32.join(homedir, "AppData", "Roaming"), APP_NAME);
    case "darwin":
      return path.posix.join(homedir, "Library", "Application Support", APP_NAME);
    default:
      return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(homedir, ".config"), APP_NAME);
  }
}

/** The config file inside an app home (see profile-schema.ts for its format). */
export const configFilePath = (home: string): string => path.join(home, "config.json");
