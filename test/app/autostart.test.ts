import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { XdgAutostart, loginItemQuery, loginItemSettings, loginItemState } from "../../src/app/index.js";
import { formatExec, parseExec } from "../../src/app/autostart/desktop-exec.js";

// Start at login: the XDG autostart entry on real files, and what macOS and Windows are asked and answer.
let configHome: string;
beforeEach(() => {
  configHome = mkdtempSync(path.join(tmpdir(), "entra-tray-autostart-"));
});
afterEach(() => rmSync(configHome, { recursive: true, force: true }));

const autostart = (env: NodeJS.ProcessEnv = {}, execPath = "/opt/entra-tray/entra-tray") =>
  new XdgAutostart({ env: { XDG_CONFIG_HOME: configHome, ...env }, execPath, args: ["--hidden"] });

// XDG autostart is for Linux (and BSD) desktops: its paths are POSIX ones.
describe.skipIf(process.platform === "win32")("XDG autostart entry", () => {
  it("is written, read back and removed", () => {
    const entry = autostart();
    expect(entry.file).toBe(path.join(configHome, "autostart", "entra-tray.desktop"));
    expect(entry.read()).toEqual({ enabled: false });
    entry.enable();
    const text = readFileSync(entry.file, "utf8");
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(text).toContain("\nExec=/opt/entra-tray/entra-tray --hidden\n");
    expect(entry.read()).toEqual({ enabled: true, command: ["/opt/entra-tray/entra-tray", "--hidden"] });
    entry.disable();
    expect(existsSync(entry.file)).toBe(false);
    expect(entry.read()).toEqual({ enabled: false });
    entry.disable();
  });

  it("points at the AppImage, not its temporary mount", () => {
    const entry = autostart({ APPIMAGE: "/home/me/Apps/entra-tray.AppImage" }, "/tmp/.mount_entraXYZ/entra-tray");
    entry.enable();
    expect(entry.read().command).toEqual(["/home/me/Apps/entra-tray.AppImage", "--hidden"]);
  });

  it("reads an entry the desktop turned off as off", () => {
    const entry = autostart();
    entry.enable();
    writeFileSync(entry.file, readFileSync(entry.file, "utf8").replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"));
    expect(entry.read().enabled).toBe(false);
    entry.enable();
    writeFileSync(entry.file, `${readFileSync(entry.file, "utf8")}Hidden=true\n`);
    expect(entry.read().enabled).toBe(false);
  });

  it("falls back to ~/.config when XDG_CONFIG_HOME is unset or relative", () => {
    const expected = path.join(homedir(), ".config", "autostart", "entra-tray.desktop");
    expect(new XdgAutostart({ env: {}, execPath: "/x" }).file).toBe(expected);
    expect(new XdgAutostart({ env: { XDG_CONFIG_HOME: "relative/config" }, execPath: "/x" }).file).toBe(expected);
  });

  it("quotes paths with spaces, quotes, backslashes, dollars and percent signs", () => {
    const execPath = path.join(configHome, "My Apps", `it's "quoted" \\ $HOME \`x\` 100%`, "entra-tray");
    const entry = autostart({}, execPath);
    entry.enable();
    expect(entry.read().command).toEqual([execPath, "--hidden"]);
    const exec = /^Exec=(.*)$/m.exec(readFileSync(entry.file, "utf8"))![1]!;
    // Quoted, each of " ` $ \ escaped inside the quotes, the backslash four times once string escapes apply, % doubled.
    expect(exec).toBe(`"${configHome}/My Apps/it's \\\\"quoted\\\\" \\\\\\\\ \\\\$HOME \\\\\`x\\\\\` 100%%/entra-tray" --hidden`);
  });
});

describe("Desktop Entry Exec values", () => {
  it("leave plain arguments bare and quote empty ones", () => {
    expect(formatExec(["/usr/bin/app", "--flag=1", ""])).toBe('/usr/bin/app --flag=1 ""');
    expect(parseExec('/usr/bin/app --flag=1 ""')).toEqual(["/usr/bin/app", "--flag=1", ""]);
  });

  it("round-trip tabs, newlines and field codes", () => {
    const argv = ["/a b/app", "line\nbreak", "tab\there", "50%", "%u"];
    expect(parseExec(formatExec(argv))).toEqual(argv);
    expect(parseExec("/usr/bin/app %U")).toEqual(["/usr/bin/app"]);
  });
});

describe("login items on macOS and Windows", () => {
  const windows = { platform: "win32", execPath: "C:\\Program Files\\entra-tray\\entra-tray.exe", args: ["--hidden"] } as const;
  const mac = { platform: "darwin", execPath: "/Applications/entra-tray.app/Contents/MacOS/entra-tray", args: ["--hidden"] } as const;

  it("use the same path and arguments to set and to read on Windows", () => {
    expect(loginItemSettings(windows, true)).toEqual({ openAtLogin: true, path: windows.execPath, args: ["--hidden"] });
    expect(loginItemQuery(windows)).toEqual({ path: windows.execPath, args: ["--hidden"] });
    expect(loginItemSettings(mac, false)).toEqual({ openAtLogin: false });
    expect(loginItemQuery(mac)).toEqual({});
  });

  it("say how to approve a macOS login item that requires approval", () => {
    const state = loginItemState("darwin", { openAtLogin: false, status: "requires-approval" });
    expect(state.enabled).toBe(false);
    expect(state.message).toContain("System Settings > General > Login Items");
    expect(loginItemState("darwin", { openAtLogin: true, status: "enabled" })).toEqual({ enabled: true });
    expect(loginItemState("darwin", { openAtLogin: false, status: "not-registered" })).toEqual({ enabled: false });
    expect(loginItemState("darwin", { openAtLogin: true })).toEqual({ enabled: true });
  });

  it("tell a Windows entry turned off in Task Manager from one that runs", () => {
    expect(loginItemState("win32", { openAtLogin: true, executableWillLaunchAtLogin: true })).toEqual({ enabled: true });
    expect(loginItemState("win32", { openAtLogin: true, executableWillLaunchAtLogin: false }).message).toContain("Task Manager");
    expect(loginItemState("win32", { openAtLogin: false, executableWillLaunchAtLogin: false })).toEqual({ enabled: false });
  });
});
