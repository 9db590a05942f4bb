import { EventEmitter } from "node:events";
import path from "node:path";
import type { Menubar } from "menubar";
import { describe, expect, it, vi } from "vitest";
import type { CopyTarget, PopoverHandlers, PopoverView, SettingsPatch, SettingsReply, SettingsView } from "../../src/ipc/popover-contract.js";
import { PopoverPush, PopoverRequest } from "../../src/ipc/popover-contract.js";
import { POPOVER_URL } from "../../src/main/popover-origin.js";
import { TrayApp, type TrayAppOptions } from "../../src/main/tray-app.js";
import type { TrayModel } from "../../src/main/tray-model.js";
import { FakeMenubar, fakeElectron } from "../support/fake-electron.js";

// Electron's types come through the code under test, never from the module itself: the real module would try to
// download a binary under Node. Anything that imports it at run time gets this mock, which fails loudly instead.
vi.mock("electron", () => {
  throw new Error("The real electron module must not load in tests: hand the code under test a fake.");
});

// The Electron adapter against fakes of the Electron and menubar APIs it uses (typed from their definitions: the
// Electron binary cannot run here), with a stand-in presenter whose state each test sets.

class StubPresenter extends EventEmitter {
  model: TrayModel = { profile: { name: "demo", displayName: "Demo" }, profiles: [], status: "signedOut", accounts: [], storageEncrypted: true };
  calls: string[] = [];
  trayModel() { return this.model; }
  async popoverView(): Promise<PopoverView> { return { screen: "noProfile", demoAvailable: true }; }
  onDidChange(listener: () => void) { this.on("change", listener); return () => this.off("change", listener); }
  set(model: Partial<TrayModel>) { this.model = { ...this.model, ...model }; this.emit("change"); }
  readonly handlers = Object.fromEntries(Object.values(PopoverRequest).map((name) => [name, async (request: unknown) => {
    this.calls.push(`${name} ${JSON.stringify(request)}`);
    return name === PopoverRequest.copy ? { notice: "copied" } : null;
  }])) as unknown as PopoverHandlers;
  async copy(target: CopyTarget) {
    this.calls.push(`copy ${target.what}`);
    return { notice: `${target.what} copied` };
  }
  shortcutOutcome: Awaited<ReturnType<TrayAppOptions["presenter"]["shortcutCopy"]>> = { copied: true, notice: "Access token for alice copied (valid 52 min); the clipboard clears in 30 s." };
  async shortcutCopy() { this.calls.push("shortcutCopy"); return this.shortcutOutcome; }
  saveSettings(patch: SettingsPatch): SettingsReply {
    this.calls.push(`saveSettings ${JSON.stringify(patch)}`);
    if (patch.startAtLogin !== undefined) this.set({ startAtLogin: { enabled: false, message: "macOS needs your approval." } });
    return { settings: {} as SettingsView, errors: patch.startAtLogin ? { startAtLogin: "macOS needs your approval." } : {}, notice: "" };
  }
  signIn(selectAccount: boolean) { this.calls.push(`signIn ${selectAccount}`); }
  cancelSignIn() { this.calls.push("cancelSignIn"); }
  async signOut() { this.calls.push("signOut"); }
  async switchAccount(id: string) { this.calls.push(`switchAccount ${id}`); }
  async switchProfile(name: string) { this.calls.push(`switchProfile ${name}`); }
}

function startApp(platform: NodeJS.Platform, options: { ready?: boolean } = {}) {
  const fake = fakeElectron();
  const presenter = new StubPresenter();
  let menubar: FakeMenubar | undefined;
  const app = new TrayApp({
    electron: fake.electron,
    createMenubar: (options) => (menubar = new FakeMenubar(options)) as unknown as Menubar,
    presenter: presenter,
    distDir: "/app/dist",
    assetsDir: "/app/assets",
    platform,
    quit: () => presenter.calls.push("quit"),
  });
  app.start();
  if (!menubar) throw new Error("no menubar");
  const mb = menubar;
  // Electron announces every web contents as it is created, the popover's before its page loads.
  fake.app.emit("web-contents-created", {}, mb.window.webContents);
  if (options.ready !== false) mb.becomeReady();
  return { ...fake, presenter, app, menubar: mb };
}

const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe("the tray app's window and page", () => {
  it("is menubar's preloaded, sandboxed popover on app://, with no taskbar button or Dock icon", () => {
    const { menubar, recorded } = startApp("win32");
    expect(menubar.options).toMatchObject({
      index: POPOVER_URL, preloadWindow: true, showDockIcon: false, icon: "/app/assets/tray/signedOut.ico",
      browserWindow: { width: 360, height: 520, skipTaskbar: true, webPreferences: {
        preload: path.join("/app/dist", "preload", "popover-preload.cjs"), contextIsolation: true, sandbox: true, nodeIntegration: false,
      } },
    });
    expect(recorded.permissionsLocked).toBe(2);
    expect(typeof menubar.window.openHandler).toBe("function");
  });

  it("serves the page's files from dist/renderer, and nothing outside it", async () => {
    const { recorded } = startApp("linux");
    const serve = (url: string) => Promise.resolve(recorded.protocol?.(new Request(url)));
    expect(await (await serve("app://popover/popover.html"))?.text()).toBe("fetched file:///app/dist/renderer/popover.html");
    expect((await serve("app://popover/%2e%2e/%2e%2e/etc/passwd"))?.status).toBe(404);
    expect((await serve("app://popover/popover.js.map"))?.status).toBe(404);
    expect((await serve("app://popover/..%2F..%2Fmain%2Fmain.js"))?.status).toBe(404);
    expect((await serve("app://other/popover.html"))?.status).toBe(404);
  });

  it("on macOS has a hidden Edit menu, so copy and paste work in the popover", () => {
    expect(startApp("darwin").recorded.appMenu).toEqual({ template: [{ role: "editMenu" }] });
    expect(startApp("linux").recorded.appMenu).toBeUndefined();
  });
});

describe("IPC", () => {
  it("answers our page's main frame with well-formed requests, and refuses anything else", async () => {
    const { handlers, presenter } = startApp("linux");
    expect(handlers.size).toBe(Object.keys(PopoverRequest).length);
    const signIn = handlers.get(PopoverRequest.signIn) as (...args: unknown[]) => Promise<unknown>;
    await signIn(event(POPOVER_URL), { selectAccount: true });
    await expect(signIn(event("https://evil.example/"), { selectAccount: true })).rejects.toThrow(/only its own popover/);
    await expect(signIn(event(POPOVER_URL, {}), { selectAccount: true })).rejects.toThrow(/only its own popover/);
    await expect(signIn(event(POPOVER_URL), { selectAccount: "yes" })).rejects.toThrow(/Malformed/);
    const copy = handlers.get(PopoverRequest.copy) as (...args: unknown[]) => Promise<unknown>;
    await expect(copy(event(POPOVER_URL), { what: "refreshToken" })).rejects.toThrow(/Malformed/);
    await expect(copy(event(POPOVER_URL), { what: "claim", token: "id", key: "x".repeat(600) })).rejects.toThrow(/Malformed/);
    expect(await copy(event(POPOVER_URL), { what: "claim", token: "id", key: "tid" })).toEqual({ notice: "copied" });
    await expect(copy(event(POPOVER_URL), { what: "idToken", key: "x" })).rejects.toThrow(/Malformed/);
    const call = (name: string, payload: unknown) => (handlers.get(name) as (...args: unknown[]) => Promise<unknown>)(event(POPOVER_URL), payload);
    for (const payload of [{ shortcut: 5 }, { clipboardClearSeconds: "10" }, { startAtLogin: "yes" }, { activeProfile: "x" }, { shortcut: "x".repeat(101) }, null]) {
      await expect(call(PopoverRequest.saveSettings, payload)).rejects.toThrow(/Malformed/);
    }
    for (const payload of [{ name: "w", authority: "a" }, { name: "w", authority: "a", clientId: "c", caFile: "/etc/passwd" }, { name: "w", authority: "a", clientId: "c", scopes: "User.Read" }]) {
      await expect(call(PopoverRequest.addProfile, payload)).rejects.toThrow(/Malformed/);
    }
    // Whole numbers and ranges are the settings' to check, with a message beside the field, not a refusal here.
    await call(PopoverRequest.saveSettings, { clipboardClearSeconds: 2.5 });
    expect(presenter.calls).toEqual([
      `${PopoverRequest.signIn} {"selectAccount":true}`, `${PopoverRequest.copy} {"what":"claim","token":"id","key":"tid"}`,
      `${PopoverRequest.saveSettings} {"clipboardClearSeconds":2.5}`,
    ]);
  });
});

describe("the tray", () => {
  it("follows the state: icon, tooltip, and on Linux a context menu set again at every change", async () => {
    const { menubar, presenter } = startApp("linux");
    presenter.set({ status: "signedIn", account: { username: "alice@demo" }, accounts: [{ homeAccountId: "a", username: "alice@demo", active: true }] });
    expect(menubar.tray.image).toBe("/app/assets/tray/signedIn.png");
    expect(menubar.tray.tooltip).toBe("entra-tray: alice@demo");
    const labels = menubar.tray.menuTemplate.map((item) => item.label);
    expect(labels.slice(0, 4)).toEqual(["alice@demo (Demo)", undefined, "Open entra-tray", "Copy access token"]);
    await expect.poll(() => menubar.window.sent.at(-1)?.[0]).toBe(PopoverPush.view);
  });

  it("on macOS and Windows pops a fresh menu on right-click instead of capturing the left click", () => {
    const { menubar } = startApp("darwin");
    expect(menubar.tray.contextMenu).toBeUndefined();
    menubar.tray.emit("right-click");
    expect(menubar.tray.poppedUp).toHaveLength(1);
    expect(menubar.tray.image).toBe("/app/assets/tray/signedOutTemplate.png");
  });

  it("keeps the popover up while a sign-in runs (the broker's dialog is its child), and notifies only when the person is needed", () => {
    const { menubar, presenter, notifications } = startApp("linux");
    presenter.set({ status: "signingIn" });
    expect(menubar.window.alwaysOnTop).toBe(true);
    presenter.set({ status: "refreshing" });
    presenter.set({ status: "signedIn" });
    expect(menubar.window.alwaysOnTop).toBe(false);
    expect(notifications).toEqual([]);
    presenter.set({ status: "error", problem: { message: "The session was revoked.", action: "Sign in again." } });
    presenter.set({ status: "error", problem: { message: "The session was revoked.", action: "Sign in again." } });
    expect(notifications).toEqual([{ title: "Demo needs you", body: "The session was revoked. Sign in again.", silent: true }]);
  });

  it("menu items act through the presenter: sign in opens the popover first, quit quits", () => {
    const { app, menubar, presenter } = startApp("linux");
    app.actions.signIn(true);
    app.actions.quit();
    expect(menubar.shown).toBe(1);
    expect(presenter.calls).toEqual(["signIn true", "quit"]);
    expect(app.windowHandle()).toEqual(Buffer.from([1, 2, 3, 4]));
  });
});

describe("the global shortcut", () => {
  it("a press copies through the presenter and says what it copied", async () => {
    const { app, notifications } = startApp("linux");
    await app.shortcutPressed();
    expect(notifications.map((each) => each.body)).toEqual(["Access token for alice copied (valid 52 min); the clipboard clears in 30 s."]);
  });

  it("when taken, the menu says so and offers to choose another, which opens the settings in the popover", () => {
    const { presenter, menubar } = startApp("linux");
    presenter.set({ shortcut: { state: "taken", accelerator: "CommandOrControl+Shift+C", message: "The shortcut CommandOrControl+Shift+C is already taken by another application.", action: "Choose another shortcut." } });
    const template = menubar.tray.menuTemplate;
    expect(template.map((item) => item.label)).toContain("The shortcut CommandOrControl+Shift+C is already taken by another application.");
    const choose = template.find((item) => item.label === "Choose another shortcut…")?.click as (() => void) | undefined;
    choose?.();
    expect(menubar.shown).toBe(1);
    expect(menubar.window.sent.map(([channel]) => channel)).toContain(PopoverPush.showSettings);
  });

  it("copies nothing stale: when no fresh token can be had it says why and opens the popover at the fix", async () => {
    const { app, presenter, notifications, menubar } = startApp("linux");
    presenter.shortcutOutcome = { copied: false, problem: { message: "The session was revoked.", action: "Sign in again.", fix: { label: "Sign in again", command: "signInAgain" } } };
    await app.shortcutPressed();
    expect(notifications).toEqual([{ title: "entra-tray copied nothing", body: "The session was revoked. Sign in again.", silent: true }]);
    expect(menubar.shown).toBe(1);
  });
});

describe("the menu's other items", () => {
  it("copies the ID token and the Authorization header in main and says what was copied", async () => {
    const { app, presenter, notifications } = startApp("linux");
    app.actions.copyIdToken();
    app.actions.copyAuthorizationHeader();
    await expect.poll(() => notifications.map((each) => each.body)).toEqual(["idToken copied", "authorizationHeader copied"]);
    expect(presenter.calls).toEqual(["copy idToken", "copy authorizationHeader"]);
  });

  it("start at login is a checkbox showing the OS's answer; a refusal is said in a notification", () => {
    const { app, presenter, menubar, notifications } = startApp("linux");
    presenter.set({ startAtLogin: { enabled: true } });
    const item = () => menubar.tray.menuTemplate.find((each) => each.label === "Start at login");
    expect(item()).toMatchObject({ type: "checkbox", checked: true });
    app.actions.setStartAtLogin(true);
    expect(presenter.calls).toEqual(['saveSettings {"startAtLogin":true}']);
    expect(item()).toMatchObject({ checked: false });
    expect(notifications.map((each) => each.body)).toEqual(["macOS needs your approval."]);
  });

  it("counts the token's life down in the tooltip between state changes", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "Date"] });
    try {
      vi.setSystemTime(new Date("2026-11-29T10:00:00Z"));
      const { menubar, presenter } = startApp("linux");
      presenter.set({ status: "signedIn", account: { username: "alice@demo" }, tokenExpiresOn: new Date("2026-11-29T10:30:00Z") });
      const before = menubar.tray.tooltip;
      vi.advanceTimersByTime(10 * 60_000);
      expect(before).toMatch(/30 min/);
      expect(menubar.tray.tooltip).toMatch(/20 min/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("before menubar is ready", () => {
  it("changes draw nothing and an Open waits for the tray, then opens the popover", () => {
    const { app, menubar, presenter } = startApp("linux", { ready: false });
    presenter.set({ status: "signedIn", account: { username: "alice@demo" } });
    app.open();
    expect(menubar.shown).toBe(0);
    menubar.becomeReady();
    expect(menubar.shown).toBe(1);
    expect(menubar.tray.image).toBe("/app/assets/tray/signedIn.png");
  });
});
