import { describe, expect, it, vi } from "vitest";
import { trayMenuTemplate, type TrayActions } from "../../src/main/tray-menu.js";
import { trayLook } from "../../src/main/tray-look.js";
import type { TrayModel } from "../../src/main/tray-model.js";

// Electron's types come through the code under test, never from the module itself: the real module would try to
// download a binary under Node. Anything that imports it at run time gets this mock, which fails loudly instead.
vi.mock("electron", () => {
  throw new Error("The real electron module must not load in tests: hand the code under test a fake.");
});

type MenuItem = ReturnType<typeof trayMenuTemplate>[number];

const profile = { name: "contoso", displayName: "Contoso" };
const alice = { homeAccountId: "a.t", username: "alice@contoso.com", active: true };
const bob = { homeAccountId: "b.t", username: "bob@contoso.com", active: false };
const base: TrayModel = { profile, profiles: [{ ...profile, active: true }], status: "signedOut", accounts: [], storageEncrypted: true };
const signedIn: TrayModel = { ...base, status: "signedIn", account: alice, accounts: [alice], tokenExpiresOn: new Date("2026-11-29T10:52:30Z") };
const NOW = new Date("2026-11-29T10:00:00Z");

/** The menu as labels (disabled ones in brackets, checked radios starred), and a recorder of the actions it runs. */
function menu(model: TrayModel): { labels: string[]; calls: string[]; click: (label: string) => void } {
  const calls: string[] = [];
  const record = new Proxy({} as TrayActions, { get: (_target, name) => (...args: unknown[]) => calls.push([String(name), ...args].join(" ")) });
  const items = trayMenuTemplate(model, record);
  const flat = (list: MenuItem[]): MenuItem[] =>
    list.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flat(item.submenu) : [])]);
  const label = (item: MenuItem) =>
    item.type === "separator" ? "---" : item.enabled === false ? `[${item.label}]` : `${item.label}${item.checked ? " *" : ""}`;
  return {
    labels: flat(items).map(label),
    calls,
    click: (wanted) => {
      const item = flat(items).find((each) => each.label === wanted);
      if (!item?.click) throw new Error(`no item "${wanted}"`);
      // As Electron does: a checkbox is flipped before its click handler gets the item.
      (item.click as (menuItem: { checked: boolean }) => void)({ checked: item.type === "checkbox" ? !item.checked : item.checked === true });
    },
  };
}

describe("the tray menu", () => {
  it("signed out: Open first, then Sign in", () => {
    const { labels, calls, click } = menu(base);
    expect(labels).toEqual(["[Contoso: not signed in]", "---", "Open entra-tray", "Sign in…", "---", "Settings…", "Quit entra-tray"]);
    click("Sign in…");
    click("Quit entra-tray");
    expect(calls).toEqual(["signIn false", "quit"]);
  });

  it("signed in with two accounts and two profiles: copy, another account, switchers, sign out", () => {
    const model: TrayModel = { ...signedIn, accounts: [alice, bob], profiles: [{ ...profile, active: true }, { name: "demo", displayName: "Demo", active: false }] };
    const { labels, calls, click } = menu(model);
    expect(labels).toEqual([
      "[alice@contoso.com (Contoso)]", "---", "Open entra-tray", "Copy access token", "Copy Authorization header", "Copy ID token",
      "Sign in with another account…",
      "Account", "alice@contoso.com *", "bob@contoso.com", "Sign out alice@contoso.com",
      "---", "Profile", "Contoso *", "Demo", "---", "Settings…", "Quit entra-tray",
    ]);
    click("bob@contoso.com");
    click("Demo");
    click("Copy access token");
    click("Copy Authorization header");
    click("Copy ID token");
    click("Sign out alice@contoso.com");
    expect(calls).toEqual(["switchAccount b.t", "switchProfile demo", "copyAccessToken", "copyAuthorizationHeader", "copyIdToken", "signOut"]);
  });

  it("start at login: a checkbox with the OS's answer, and why not when the OS holds it back", () => {
    const on = menu({ ...base, startAtLogin: { enabled: true } });
    expect(on.labels.slice(-3)).toEqual(["Start at login *", "Settings…", "Quit entra-tray"]);
    on.click("Start at login");
    const held = menu({ ...base, startAtLogin: { enabled: false, message: "macOS needs your approval." } });
    expect(held.labels.slice(-4)).toEqual(["Start at login", "[macOS needs your approval.]", "Settings…", "Quit entra-tray"]);
    held.click("Start at login");
    expect([...on.calls, ...held.calls]).toEqual(["setStartAtLogin false", "setStartAtLogin true"]);
  });

  it("a shortcut that is taken: the reason, and a way to choose another (the settings)", () => {
    const { labels, calls, click } = menu({ ...base, shortcut: { state: "taken", accelerator: "Alt+T", message: "Alt+T is taken.", action: "Choose another." } });
    expect(labels).toContain("[Alt+T is taken.]");
    click("Choose another shortcut…");
    expect(calls).toEqual(["settings"]);
  });

  it("signing in offers Cancel; an error names the profile; no profile offers only Open, Settings and Quit", () => {
    expect(menu({ ...base, status: "signingIn" }).labels).toContain("Cancel sign-in");
    expect(menu({ ...signedIn, status: "error", problem: { message: "x", action: "y" } }).labels[0]).toBe("[Contoso: needs attention]");
    expect(menu({ profiles: [], status: "signedOut", accounts: [], storageEncrypted: true }).labels)
      .toEqual(["[No profile configured]", "---", "Open entra-tray", "---", "Settings…", "Quit entra-tray"]);
  });
});

describe("the tray icon and tooltip", () => {
  it("take each platform's icon format, and the state from the session", () => {
    expect(trayLook(signedIn, "darwin", "/a", NOW).icon).toBe("/a/tray/signedInTemplate.png");
    expect(trayLook(signedIn, "win32", "/a", NOW).icon).toBe("/a/tray/signedIn.ico");
    expect(trayLook(signedIn, "linux", "/a", NOW).icon).toBe("/a/tray/signedIn.png");
    expect(trayLook({ ...signedIn, status: "refreshing" }, "linux", "/a", NOW).icon).toBe("/a/tray/refreshing.png");
    expect(trayLook({ ...base, status: "signingIn" }, "linux", "/a", NOW).icon).toBe("/a/tray/refreshing.png");
    expect(trayLook({ ...signedIn, status: "error" }, "linux", "/a", NOW).icon).toBe("/a/tray/attention.png");
    expect(trayLook({ ...signedIn, storageEncrypted: false }, "linux", "/a", NOW).icon).toBe("/a/tray/attention.png");
    expect(trayLook(base, "linux", "/a", NOW).icon).toBe("/a/tray/signedOut.png");
  });

  it("name the account and the token's remaining life, or what is wrong, within Windows' 127 characters", () => {
    expect(trayLook(signedIn, "linux", "/a", NOW).tooltip).toBe("entra-tray: alice@contoso.com, token valid 52 min");
    expect(trayLook({ ...signedIn, storageEncrypted: false }, "linux", "/a", NOW).tooltip).toBe("entra-tray: alice@contoso.com, token valid 52 min (tokens not encrypted)");
    expect(trayLook(base, "linux", "/a", NOW).tooltip).toBe("entra-tray: not signed in to Contoso");
    const long = trayLook({ ...signedIn, status: "error", problem: { message: "m".repeat(300), action: "" } }, "win32", "/a", NOW).tooltip;
    expect(long).toHaveLength(127);
    expect(long.endsWith("…")).toBe(true);
  });
});
