import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { serviceEndpoint } from "../../src/app/index.js";
import { greeting } from "../../src/app/token-service/client.js";
import type { fakeElectronModule } from "../support/fake-electron.js";

// main.ts, the tray app's entry, on everything real but Electron and menubar (fakes typed from their definitions):
// the settings file through electron-store and conf, the XDG autostart entry, the token service's socket, the app
// layer. It proves the wiring: what starts, in what order, and what quitting lets go of.
const fakes = vi.hoisted(() => ({ module: undefined as undefined | ReturnType<typeof fakeElectronModule> }));
vi.mock("electron", async () => {
  const { fakeElectronModule } = await import("../support/fake-electron.js");
  fakes.module ??= fakeElectronModule(process.cwd());
  return fakes.module.electron;
});
vi.mock("menubar", async () => {
  const { fakeElectronModule } = await import("../support/fake-electron.js");
  fakes.module ??= fakeElectronModule(process.cwd());
  return fakes.module.menubar;
});

const root = mkdtempSync(path.join(tmpdir(), "entra-tray-main-"));
const home = path.join(root, "home");
const xdgConfig = path.join(root, "xdg-config");
const runtime = mkdtempSync(path.join(tmpdir(), "entra-tray-run-"));
afterAll(() => {
  vi.unstubAllEnvs();
  for (const dir of [root, runtime]) rmSync(dir, { recursive: true, force: true });
});

describe("the tray app's entry (main.ts)", () => {
  it("starts the tray with its settings, shortcut, start at login and token service, and lets go of them on quit", async () => {
    vi.stubEnv("ENTRA_TRAY_HOME", home);
    vi.stubEnv("XDG_CONFIG_HOME", xdgConfig);
    vi.stubEnv("XDG_RUNTIME_DIR", runtime);
    vi.stubEnv("DBUS_SESSION_BUS_ADDRESS", "");
    await import("../../src/main/main.js");
    const fake = fakes.module!;
    const { entry } = fake;
    await expect.poll(() => entry.menubar !== undefined && existsSync(serviceEndpoint(process.env).socket)).toBe(true);
    entry.menubar!.becomeReady();

    expect(entry.errorBoxes).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(home, "settings.json"), "utf8"))).toMatchObject({ shortcut: "CommandOrControl+Alt+Shift+T" });
    expect(existsSync(path.join(home, "config.json"))).toBe(false);
    expect(readFileSync(path.join(xdgConfig, "autostart", "entra-tray.desktop"), "utf8")).toContain(`\nExec=${process.execPath}\n`);
    expect([...entry.shortcuts.keys()]).toEqual(["CommandOrControl+Alt+Shift+T"]);
    expect((await greeting(serviceEndpoint(process.env).socket))?.pid).toBe(process.pid);
    const labels = entry.menubar!.tray.menuTemplate;
    expect(labels.find((item) => item.label === "Start at login")?.checked).toBe(true);

    // The shortcut with nobody signed in: nothing copied, a notification, and the popover opens at the fix.
    entry.shortcuts.get("CommandOrControl+Alt+Shift+T")!();
    await expect.poll(() => fake.parts.notifications.map((each) => each.title)).toContain("entra-tray copied nothing");
    expect(entry.clipboard).toBe("");

    let prevented = false;
    fake.parts.app.emit("before-quit", { preventDefault: () => void (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => entry.quits).toBe(1);
    expect([...entry.shortcuts.keys()]).toEqual([]);
    expect(await greeting(serviceEndpoint(process.env).socket)).toBeUndefined();
  });
});
