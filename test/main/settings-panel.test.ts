import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { openSettings } from "../../src/app/index.js";
import { useTempHomes } from "../e2e/support/demo-env.js";
import { mountReadOnly } from "../support/mounts.js";
import { nodeSettings } from "../support/node-settings.js";

// The tray's settings on real files: the settings file through conf (which electron-store wraps), the real XDG
// autostart entry, and a fake of Electron's globalShortcut (typed from its definitions) for what other apps hold.
const newHome = useTempHomes();
const DEFAULT = "CommandOrControl+Alt+Shift+T";

describe("the global shortcut setting", () => {
  it("binds the saved shortcut, and a press reaches the handler", async () => {
    const { panel, shortcuts } = await nodeSettings(await newHome());
    let presses = 0;
    expect(panel.bindSavedShortcut(() => presses++)).toEqual({ state: "registered", accelerator: DEFAULT });
    shortcuts.ours.get(DEFAULT)?.();
    expect(presses).toBe(1);
  });

  it("tries a new shortcut before saving it: taken or invalid ones are refused with the reason and the old one keeps working", async () => {
    const home = await newHome();
    const { panel, shortcuts } = await nodeSettings(home);
    panel.bindSavedShortcut(() => undefined);

    const taken = panel.save({ shortcut: "CommandOrControl+Shift+C" });
    expect(taken.errors.shortcut).toBe(`The shortcut CommandOrControl+Shift+C is already taken by another application. Choose another; ${DEFAULT} still copies the token.`);
    expect(taken.settings).toMatchObject({ shortcut: DEFAULT });
    expect(taken.settings.shortcutProblem).toBeUndefined();
    expect(panel.shortcutStatus).toEqual({ state: "registered", accelerator: DEFAULT });
    expect([...shortcuts.ours.keys()]).toEqual([DEFAULT]);

    const invalid = panel.save({ shortcut: "Hyper+Banana" });
    expect(invalid.errors.shortcut).toMatch(/^"Hyper\+Banana" is not a keyboard shortcut entra-tray can register\./);
    expect(invalid.notice).toBe("Some settings were not saved: see the messages beside them.");

    const moved = panel.save({ shortcut: " CommandOrControl+Alt+Shift+Y " });
    expect(moved).toMatchObject({ errors: {}, notice: "Settings saved.", settings: { shortcut: "CommandOrControl+Alt+Shift+Y" } });
    expect([...shortcuts.ours.keys()]).toEqual(["CommandOrControl+Alt+Shift+Y"]);
    expect((await openSettings({ cwd: home, onReset: () => undefined })).store.get("shortcut")).toBe("CommandOrControl+Alt+Shift+Y");

    expect(panel.save({ shortcut: "" }).errors).toEqual({});
    expect([...shortcuts.ours.keys()]).toEqual([]);
    expect(panel.shortcutStatus).toEqual({ state: "off" });
  });

  it("a saved shortcut that is taken at start-up shows as the problem, with its reason", async () => {
    const home = await newHome();
    (await openSettings({ cwd: home, onReset: () => undefined })).store.set("shortcut", "CommandOrControl+Shift+C");
    const { panel } = await nodeSettings(home);
    expect(panel.bindSavedShortcut(() => undefined)).toMatchObject({ state: "taken" });
    expect(panel.view().shortcutProblem).toEqual({
      message: "The shortcut CommandOrControl+Shift+C is already taken by another application.", action: "Choose another shortcut.",
    });
  });
});

describe("the clipboard delay and minimum validity", () => {
  it("are saved within their bounds; outside them each says its range and keeps its value", async () => {
    const home = await newHome();
    const { panel } = await nodeSettings(home);
    expect(panel.view()).toMatchObject({ clipboardClearSeconds: 30, minValiditySeconds: 300, limits: { clipboardClearSeconds: { min: 0, max: 3600 } } });
    const reply = panel.save({ clipboardClearSeconds: 0, minValiditySeconds: 7200 });
    expect(reply.errors).toEqual({ minValiditySeconds: "The minimum validity takes a whole number of seconds from 0 to 3600." });
    expect(panel.clipboardClearSeconds).toBe(0);
    expect(panel.minValiditySeconds).toBe(300);
    expect(panel.save({ clipboardClearSeconds: 1.5 }).errors.clipboardClearSeconds).toMatch(/whole number of seconds from 0 to 3600/);
    const reopened = (await nodeSettings(home)).panel;
    expect([reopened.clipboardClearSeconds, reopened.minValiditySeconds]).toEqual([0, 300]);
  });
});

describe("start at login (the XDG autostart entry on Linux)", () => {
  it("is turned on at the first run, then follows the setting; the OS's state is read back", async () => {
    const home = await newHome();
    const { panel, autostart, firstRun } = await nodeSettings(home);
    expect(firstRun).toBe(true);
    expect(panel.startAtLogin()).toEqual({ enabled: false });
    panel.applyFirstRun();
    expect(existsSync(autostart.file)).toBe(true);
    expect(panel.view().startAtLogin).toEqual({ enabled: true });

    expect(panel.save({ startAtLogin: false })).toMatchObject({ errors: {}, settings: { startAtLogin: { enabled: false } } });
    expect(existsSync(autostart.file)).toBe(false);
    expect((await nodeSettings(home)).firstRun).toBe(false);
  });

  it("an entry the person turned off in the desktop's settings, or one that starts another program, reads as off, with why", async () => {
    const { panel, autostart } = await nodeSettings(await newHome());
    panel.save({ startAtLogin: true });
    writeFileSync(autostart.file, readFileSync(autostart.file, "utf8").replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"));
    expect(panel.startAtLogin()).toEqual({ enabled: false });
    writeFileSync(autostart.file, readFileSync(autostart.file, "utf8")
      .replace("X-GNOME-Autostart-enabled=false", "X-GNOME-Autostart-enabled=true").replace("Exec=/opt/entra-tray/entra-tray", "Exec=/old/place/entra-tray.AppImage"));
    expect(panel.startAtLogin()).toEqual({
      enabled: false, message: `${autostart.file} starts /old/place/entra-tray.AppImage, not this entra-tray: turn start at login on to point it here.`,
    });
    expect(panel.save({ startAtLogin: true }).settings.startAtLogin).toEqual({ enabled: true });
    expect(path.basename(autostart.file)).toBe("entra-tray.desktop");
  });
});

describe("on a disk that refuses writes", () => {
  it("says so beside each setting, keeps the old values, and the saved shortcut stays the one bound", async (context) => {
    const home = await newHome();
    const { panel, shortcuts, autostart } = await nodeSettings(home);
    panel.bindSavedShortcut(() => undefined);
    mkdirSync(path.dirname(autostart.file), { recursive: true });
    const unmount = mountReadOnly(home);
    if (typeof unmount === "string") return context.skip(unmount);
    try {
      const reply = panel.save({ shortcut: "CommandOrControl+Alt+Shift+Y", clipboardClearSeconds: 10, startAtLogin: true });
      const readOnly = /could not be (written|removed)?.*the file system is read-only \(EROFS\)/;
      expect(reply.errors.shortcut).toMatch(readOnly);
      expect(reply.errors.clipboardClearSeconds).toMatch(readOnly);
      expect(reply.errors.startAtLogin).toContain(`${autostart.file} could not be written: the file system is read-only (EROFS).`);
      expect([...shortcuts.ours.keys()]).toEqual([DEFAULT]);
      expect(panel.shortcutStatus).toEqual({ state: "registered", accelerator: DEFAULT });
      expect(panel.clipboardClearSeconds).toBe(30);
      expect(panel.startAtLogin()).toEqual({ enabled: false });
      panel.rememberProfile("work");
    } finally {
      unmount();
    }
  });

  it("an autostart entry that cannot be read is reported, not thrown", async () => {
    const { panel, autostart } = await nodeSettings(await newHome());
    mkdirSync(autostart.file, { recursive: true });
    expect(panel.startAtLogin()).toMatchObject({ enabled: false, message: expect.stringMatching(/^\S+entra-tray\.desktop could not be read: /) });
    expect(panel.save({ startAtLogin: true }).errors.startAtLogin).toMatch(/entra-tray\.desktop could not be written: /);
  });
});
