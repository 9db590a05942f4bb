import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddProfileReply, CopyTarget, NewProfile, PopoverHandlers, PopoverView, SettingsPatch, SettingsReply, SettingsView } from "../../src/ipc/popover-contract.js";
import { PopoverRequest } from "../../src/ipc/popover-contract.js";
import { useFileFixture } from "../support/file-fixture.js";
import { bridgePopover, servePopover } from "./support/popover-page.js";
import { HOSTILE, settingsView, views } from "./support/views.js";

// The real popover page (built to dist/renderer) in real headless Chromium, at the popover's size, with the preload's
// API bridged to handlers in this process. Screenshots of every state, light and dark, go to test-results/popover.
const SHOTS = path.resolve("test-results/popover");
const served = useFileFixture("The popover page", servePopover, (server) => server.close());
let browser: Browser;
beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
afterAll(() => browser?.close());

interface Opened {
  page: Page;
  calls: { name: string; request: unknown }[];
  push: (view: PopoverView) => Promise<void>;
  showSettings: () => Promise<void>;
  cspViolations: () => Promise<number>;
}

/** What main answers for the settings (by default: everything saved) and for a new profile (by default: added). */
interface SettingsAnswers {
  settings?: SettingsView;
  save?: (patch: SettingsPatch) => SettingsReply;
  addProfile?: (profile: NewProfile) => AddProfileReply;
}

async function open(view: PopoverView, scheme: "light" | "dark" = "light", answers: SettingsAnswers = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 360, height: 520 }, colorScheme: scheme });
  const page = await context.newPage();
  const calls: Opened["calls"] = [];
  const record = (name: string) => async (request: unknown) => {
    calls.push({ name, request });
    return null;
  };
  const handlers: PopoverHandlers = {
    [PopoverRequest.view]: async () => view,
    [PopoverRequest.signIn]: record(PopoverRequest.signIn),
    [PopoverRequest.cancelSignIn]: record(PopoverRequest.cancelSignIn),
    [PopoverRequest.signOut]: record(PopoverRequest.signOut),
    [PopoverRequest.copy]: async (target: CopyTarget) => {
      calls.push({ name: PopoverRequest.copy, request: target });
      return { notice: "Access token copied; the clipboard clears in 30 s." };
    },
    [PopoverRequest.switchProfile]: record(PopoverRequest.switchProfile),
    [PopoverRequest.switchAccount]: record(PopoverRequest.switchAccount),
    [PopoverRequest.startDemo]: record(PopoverRequest.startDemo),
    [PopoverRequest.openConfigFile]: record(PopoverRequest.openConfigFile),
    [PopoverRequest.settings]: async () => answers.settings ?? settingsView(),
    [PopoverRequest.saveSettings]: async (patch: SettingsPatch) => {
      calls.push({ name: PopoverRequest.saveSettings, request: patch });
      return answers.save?.(patch) ?? { settings: { ...(answers.settings ?? settingsView()), ...patch } as SettingsView, errors: {}, notice: "Settings saved." };
    },
    [PopoverRequest.addProfile]: async (profile: NewProfile) => {
      calls.push({ name: PopoverRequest.addProfile, request: profile });
      return answers.addProfile?.(profile) ?? { added: true };
    },
  };
  const bridge = await bridgePopover(page, handlers);
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: number }).cspViolations = 0;
    document.addEventListener("securitypolicyviolation", () => (window as unknown as { cspViolations: number }).cspViolations++);
  });
  await page.goto(served().url);
  await page.waitForSelector(`#app[data-screen="${view.screen}"]`);
  return {
    page, push: bridge.push, showSettings: bridge.showSettings, calls,
    cspViolations: () => page.evaluate(() => (window as unknown as { cspViolations: number }).cspViolations),
  };
}

/** Nothing is wider than the popover, and no text spills out of its box: no horizontal scrolling anywhere. */
const overflowing = (page: Page) => page.evaluate(() =>
  [...document.querySelectorAll<HTMLElement>("body *")].filter((element) =>
    element.getBoundingClientRect().right > window.innerWidth + 0.5
    || (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === "visible" && element.clientWidth > 0))
    .map((element) => `${element.tagName}.${element.className}`));

describe("the popover in every state", () => {
  for (const name of Object.keys(views())) {
    for (const scheme of ["light", "dark"] as const) {
      it(`${name} (${scheme}): fits 360 px wide, breaks no CSP rule, and is captured`, async () => {
        const { page, cspViolations } = await open(views()[name] as PopoverView, scheme);
        expect(await overflowing(page)).toEqual([]);
        expect(await cspViolations()).toBe(0);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`) });
        await page.context().close();
      });
    }
  }
});

describe("the signed-in popover", () => {
  it("shows the account, a countdown of the token's life, and the claims as label, name and value", async () => {
    const { page } = await open(views()["signed-in"] as PopoverView);
    await expect.poll(() => page.textContent(".name")).toBe("Zoë Ångström-Núñez");
    expect(await page.textContent(".avatar")).toBe("ZÅ");
    expect(await page.textContent(".life")).toBe("52 min");
    expect(await page.locator(".claim").count()).toBe(5);
    expect(await page.locator(".claim").first().innerText()).toMatch(/^Name\s+name\s+Zoë Ångström-Núñez/);
    expect(await page.textContent("kbd")).toBe("Ctrl+Alt+Shift+T");
    await page.context().close();
  });

  it("asks main to copy the token, the header or a claim, and says what was copied", async () => {
    const opened = await open(views()["signed-in"] as PopoverView);
    await opened.page.getByRole("button", { name: "Copy token", exact: true }).click();
    await opened.page.getByRole("button", { name: "Copy as header", exact: true }).click();
    await opened.page.locator(".claim").nth(2).hover();
    await opened.page.click(".claim >> nth=2 >> .copy-claim");
    await expect.poll(() => opened.page.textContent(".notice")).toContain("copied");
    expect(opened.calls.filter((call) => call.name === PopoverRequest.copy).map((call) => call.request)).toEqual([
      { what: "accessToken" }, { what: "authorizationHeader" }, { what: "claim", token: "id", key: "tid" },
    ]);
    await opened.page.context().close();
  });

  it("keeps the claims where they were scrolled to when main pushes a new view of the same screen", async () => {
    const { page, push } = await open(views()["signed-in-hostile"] as PopoverView);
    await page.evaluate(() => void (document.querySelector(".scroll")!.scrollTop = 200));
    const claimTop = () => page.evaluate(() => Math.round(document.querySelectorAll(".claim")[2]!.getBoundingClientRect().top));
    const before = await claimTop();
    // The same view again, as when the Graph photo or a refresh arrives: the page is drawn anew.
    await page.evaluate(() => void document.querySelector(".claim")!.setAttribute("data-old", ""));
    await push(views()["signed-in-hostile"] as PopoverView);
    await page.waitForSelector(".claim:not([data-old])");
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(520);
    expect(await claimTop()).toBe(before);
    await page.context().close();
  });

  it("renders hostile claim values and names as inert text", async () => {
    const { page } = await open(views()["signed-in-hostile"] as PopoverView);
    const values = await page.locator(".claim .value").allTextContents();
    expect(values).toEqual(Object.values(HOSTILE));
    expect(await page.textContent(".name")).toBe(HOSTILE.html);
    expect(await page.locator("main img, header img, .claims b").count()).toBe(0);
    expect(await page.title()).toBe("entra-tray");
    await page.context().close();
  });

  it("follows the views main pushes, and keeps focus on the control that had it", async () => {
    const { page, push } = await open(views()["signed-in"] as PopoverView);
    await page.focus("text=Copy as header");
    await push({ ...(views()["signed-in"] as PopoverView), refreshing: true } as PopoverView);
    await expect.poll(() => page.textContent(".hint")).toBe("refreshing…");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Copy as header");
    await push(views()["signed-out"] as PopoverView);
    await page.waitForSelector('#app[data-screen="signedOut"]');
    await page.context().close();
  });
});

describe("the other states", () => {
  it("signing in: counts down to the time-out, and Cancel asks main to cancel", async () => {
    const opened = await open(views()["signing-in"] as PopoverView);
    expect(await opened.page.textContent("main p")).toMatch(/Gives up in 4:(3[0-3])\./);
    await opened.page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect.poll(() => opened.calls.map((call) => call.name)).toEqual([PopoverRequest.cancelSignIn]);
    await opened.page.context().close();
  });

  it("needs attention: shows the message and the action, and its one button fixes it", async () => {
    const opened = await open(views()["needs-attention"] as PopoverView);
    expect(await opened.page.textContent("main")).toContain("session was revoked");
    await opened.page.getByRole("button", { name: "Sign in again", exact: true }).click();
    await expect.poll(() => opened.calls).toEqual([{ name: PopoverRequest.signIn, request: { selectAccount: false } }]);
    await opened.page.context().close();
  });

  it("signed out and no profile: reachable by keyboard, Enter signs in or starts the demo", async () => {
    for (const [view, command] of [["signed-out", PopoverRequest.signIn], ["no-profile", PopoverRequest.startDemo]] as const) {
      const opened = await open(views()[view] as PopoverView);
      await opened.page.keyboard.press("Tab");
      expect(await opened.page.evaluate(() => document.activeElement?.tagName)).toBe("BUTTON");
      await opened.page.keyboard.press("Enter");
      await expect.poll(() => opened.calls.map((call) => call.name)).toEqual([command]);
      await opened.page.context().close();
    }
  });
});

/** The popover at its settings screen (as the menu's "Settings…" opens it), the keyboard in the shortcut field. */
async function openSettings(answers: SettingsAnswers = {}): Promise<Opened> {
  const opened = await open(views()["signed-in"] as PopoverView, "light", answers);
  await opened.showSettings();
  await opened.page.waitForSelector('#app[data-screen="settings"]');
  await opened.page.focus("#shortcut");
  return opened;
}

describe("the settings screen", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`(${scheme}) opens from the gear, fits 360 px, breaks no CSP rule, and is captured`, async () => {
      const { page, cspViolations } = await open(views()["signed-in"] as PopoverView, scheme,
        { settings: settingsView({ startAtLogin: { enabled: false, message: "macOS needs your approval to open entra-tray at login: in System Settings > General > Login Items, turn entra-tray on." } }) });
      await page.getByRole("button", { name: "Settings", exact: true }).click();
      await page.waitForSelector('#app[data-screen="settings"]');
      expect(await page.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+T");
      expect(await page.isChecked("#start-at-login")).toBe(false);
      expect(await page.textContent(".field.check .field-error")).toContain("macOS needs your approval");
      expect(await overflowing(page)).toEqual([]);
      expect(await cspViolations()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, `settings-${scheme}.png`) });
      await page.context().close();
    });
  }

  it("records a pressed shortcut, sends only what changed, and shows main's reasons beside the settings not saved", async () => {
    const opened = await openSettings({
      save: (patch) => ({
        settings: settingsView({ clipboardClearSeconds: patch.clipboardClearSeconds ?? 30 }),
        errors: { shortcut: "The shortcut CommandOrControl+Alt+Shift+Y is already taken by another application. Choose another shortcut." },
        notice: "Some settings were not saved: see the messages beside them.",
      }),
    });
    const { page } = opened;
    await page.keyboard.press("Control+Alt+Shift+KeyY");
    expect(await page.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+Y");
    await page.keyboard.press("Shift");
    expect(await page.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+Y");
    await page.fill("#clear-after", "0");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.textContent(".notice")).toBe("Some settings were not saved: see the messages beside them.");
    expect(opened.calls.filter((call) => call.name === PopoverRequest.saveSettings).map((call) => call.request))
      .toEqual([{ shortcut: "CommandOrControl+Alt+Shift+Y", clipboardClearSeconds: 0 }]);
    expect(await page.getAttribute("#shortcut", "aria-invalid")).toBe("true");
    expect(await page.textContent(".field-error")).toContain("already taken");
    expect(await page.inputValue("#clear-after")).toBe("0");
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.waitForSelector('#app[data-screen="signedIn"]');
    await page.context().close();
  });

  it("Backspace clears the shortcut and Escape puts back the saved one; a plain letter is not a global shortcut", async () => {
    const opened = await openSettings();
    const { page } = opened;
    await page.keyboard.press("KeyT");
    expect(await page.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+T");
    await page.keyboard.press("Backspace");
    expect(await page.inputValue("#shortcut")).toBe("");
    await page.keyboard.press("Escape");
    expect(await page.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+T");
    await page.keyboard.press("F9");
    expect(await page.inputValue("#shortcut")).toBe("F9");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => opened.calls.map((call) => call.request)).toEqual([{ shortcut: "F9" }]);
    await page.context().close();
  });

  it("a view pushed while the settings are open waits behind them, and Back shows it", async () => {
    const opened = await open(views()["signed-in"] as PopoverView);
    await opened.showSettings();
    await opened.page.waitForSelector('#app[data-screen="settings"]');
    await opened.push(views()["signed-out"] as PopoverView);
    expect(await opened.page.getAttribute("#app", "data-screen")).toBe("settings");
    await opened.page.getByRole("button", { name: "Back", exact: true }).click();
    await opened.page.waitForSelector('#app[data-screen="signedOut"]');
    await opened.page.context().close();
  });

  it("a shortcut that is taken shows in the popover with the way to choose another", async () => {
    const { page } = await open(views()["shortcut-taken"] as PopoverView);
    expect(await page.textContent(".banner")).toContain("already taken by another application");
    await page.getByRole("button", { name: "Choose another shortcut", exact: true }).click();
    await page.waitForSelector('#app[data-screen="settings"]');
    await page.context().close();
  });
});

describe("the no-profile screen's form", () => {
  it("adds a profile with what was typed, and shows the app layer's message beside the field at fault", async () => {
    const opened = await open(views()["no-profile"] as PopoverView, "light", {
      addProfile: (profile) => profile.clientId === "abc"
        ? { added: false, field: "clientId", message: 'New profile "work": clientId "abc" is not a GUID, which every Microsoft Entra application ID is.', action: "Copy the Application (client) ID from the app registration's Overview page." }
        : { added: true },
    });
    const { page } = opened;
    await page.fill("#profile-name", " work ");
    await page.fill("#profile-authority", "https://contoso.ciamlogin.com/");
    await page.fill("#profile-clientId", "abc");
    await page.fill("#profile-scopes", "User.Read  api://contoso/read");
    // A view pushed while typing redraws the screen: what was typed stays.
    await opened.push(views()["no-profile"] as PopoverView);
    expect(await page.inputValue("#profile-clientId")).toBe("abc");
    await page.press("#profile-scopes", "Enter");
    await expect.poll(() => page.textContent("#profile-clientId + .field-error")).toContain("is not a GUID");
    expect(await page.getAttribute("#profile-clientId", "aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("profile-clientId");
    await page.fill("#profile-clientId", "4a8f1c2e-3d7b-4c59-9a0e-5b8d2f71e2a4");
    await page.getByRole("button", { name: "Add profile", exact: true }).click();
    await expect.poll(() => opened.calls.filter((call) => call.name === PopoverRequest.addProfile).map((call) => call.request)).toEqual([
      { name: "work", authority: "https://contoso.ciamlogin.com/", clientId: "abc", scopes: ["User.Read", "api://contoso/read"] },
      { name: "work", authority: "https://contoso.ciamlogin.com/", clientId: "4a8f1c2e-3d7b-4c59-9a0e-5b8d2f71e2a4", scopes: ["User.Read", "api://contoso/read"] },
    ]);
    expect(await page.getAttribute("#profile-clientId", "aria-invalid")).toBeNull();
    expect(await overflowing(page)).toEqual([]);
    await page.context().close();
  });
});
