// Start at login on macOS and Windows, where Electron's app.setLoginItemSettings/getLoginItemSettings do the work:
// what to pass them, and what their answer means for the user. Plain data, so the main process stays a thin adapter.

export interface LoginItemTarget {
  platform: "darwin" | "win32";
  /** process.execPath */
  execPath: string;
  /** Arguments the app is started with at login. */
  args: readonly string[];
}

/** Options for getLoginItemSettings. Windows matches its Run entry by path and arguments: the same ones as set. */
export function loginItemQuery({ platform, execPath, args }: LoginItemTarget): { path?: string; args?: string[] } {
  return platform === "win32" ? { path: execPath, args: [...args] } : {};
}

/** Settings for setLoginItemSettings. */
export function loginItemSettings(target: LoginItemTarget, openAtLogin: boolean): { openAtLogin: boolean; path?: string; args?: string[] } {
  return { openAtLogin, ...loginItemQuery(target) };
}

/** The parts of getLoginItemSettings' answer that tell whether the app will start. */
export interface LoginItemReport {
  openAtLogin: boolean;
  /** macOS 13 and later. */
  status?: "not-registered" | "enabled" | "requires-approval" | "not-found";
  /** Windows: false when the user turned the entry off in Task Manager, though it is still registered. */
  executableWillLaunchAtLogin?: boolean;
}

export interface LoginItemState {
  enabled: boolean;
  /** Why it will not start although asked to, and what the user does about it. */
  message?: string;
}

/** What the OS reports, read back each time rather than trusted from settings. */
export function loginItemState(platform: LoginItemTarget["platform"], report: LoginItemReport): LoginItemState {
  if (platform === "darwin" && report.status === "requires-approval") {
    return {
      enabled: false,
      message: "macOS needs your approval to open entra-tray at login: in System Settings > General > Login Items, turn entra-tray on.",
    };
  }
  if (platform === "win32" && report.openAtLogin && report.executableWillLaunchAtLogin === false) {
    return { enabled: false, message: "Start at login is turned off in Task Manager > Startup apps: enable entra-tray there." };
  }
  return { enabled: platform === "darwin" && report.status !== undefined ? report.status === "enabled" : report.openAtLogin };
}
