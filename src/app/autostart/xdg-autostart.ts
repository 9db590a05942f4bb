// Start at login on Linux desktops: an XDG autostart entry (freedesktop.org Desktop Application Autostart
// Specification), `entra-tray.desktop` in `$XDG_CONFIG_HOME/autostart`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { formatExec, parseExec } from "./desktop-exec.js";

export interface XdgAutostartOptions {
  env: NodeJS.ProcessEnv;
  /** The running executable (process.execPath); an AppImage's is inside its temporary mount, hence `$APPIMAGE`. */
  execPath: string;
  /** Arguments the app is started with at login. */
  args?: readonly string[];
}

export interface AutostartState {
  enabled: boolean;
  /** What the entry runs, read back from its Exec; absent when there is no entry. */
  command?: string[];
}

const ENTRY_NAME = "entra-tray.desktop";

export class XdgAutostart {
  /** The entry's path; `$XDG_CONFIG_HOME` counts only when absolute, as the Base Directory Specification says. */
  readonly file: string;
  /** What the entry runs: the app, then its arguments. */
  readonly command: readonly string[];

  constructor({ env, execPath, args = [] }: XdgAutostartOptions) {
    const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
    this.file = path.join(configHome, "autostart", ENTRY_NAME);
    this.command = [env.APPIMAGE || execPath, ...args];
  }

  enable(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const lines = [
      "[Desktop Entry]",
      "Type=Application",
      "Version=1.5",
      "Name=entra-tray",
      "Comment=Keeps you signed in and hands out fresh access tokens",
      `Exec=${formatExec(this.command)}`,
      "Terminal=false",
      "X-GNOME-Autostart-enabled=true",
    ];
    writeFileSync(this.file, `${lines.join("\n")}\n`);
  }

  disable(): void {
    rmSync(this.file, { force: true });
  }

  /** The entry as the desktop will read it: a `Hidden=true` or GNOME's disabled flag (its Startup Applications) is off. */
  read(): AutostartState {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { enabled: false };
      throw error;
    }
    const keys = new Map<string, string>();
    let inEntry = false;
    for (const line of text.split(/\r?\n/)) {
      if (line.startsWith("[")) inEntry = line.trim() === "[Desktop Entry]";
      const match = inEntry ? /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line) : null;
      if (match && !keys.has(match[1]!)) keys.set(match[1]!, match[2]!);
    }
    const exec = keys.get("Exec");
    const enabled = exec !== undefined && keys.get("Hidden") !== "true" && keys.get("X-GNOME-Autostart-enabled") !== "false";
    return { enabled, ...(exec !== undefined ? { command: parseExec(exec) } : {}) };
  }
}
