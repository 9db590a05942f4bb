import { writeFile } from "node:fs/promises";
import path from "node:path";
import { _electron, type ElectronApplication, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { installedElectron } from "../../scripts/electron-binary.mjs";
import { useDemoBrowser } from "../e2e/support/demo-browser.js";
import { useDemoEnv } from "../e2e/support/demo-env.js";

// The real tray app in the real Electron, driven by Playwright: the popover window shows the account after a sign-in
// against the demo IdP. It runs wherever an Electron binary exists (the GitHub workflow downloads one; here there is
// no network to fetch it) and is reported skipped, with the reason, elsewhere. Playwright cannot click the tray
// icon or its native menu: the popover window is preloaded, and the test works in it.

const binary = installedElectron();
const NO_BINARY = "no Electron binary on this machine (node_modules/electron has not downloaded one; set ELECTRON_OVERRIDE_DIST_PATH or run where it can download)";
const env = useDemoEnv();
const browser = useDemoBrowser(env);
let app: ElectronApplication | undefined;
let popover: Page | undefined;
afterAll(() => app?.close());

describe("the tray app in Electron", () => {
  it("signs in from the popover and shows the account", async (context) => {
    if (!binary) context.skip(NO_BINARY);
    const { idp, home } = env();
    await writeFile(path.join(home, "config.json"), JSON.stringify({
      allowPlaintextCache: true,
      profiles: { demo: { authority: idp.authority, clientId: idp.clientId, scopes: ["User.Read"], graphUrl: idp.graphUrl, caFile: idp.caFile } },
    }));
    app = await _electron.launch({
      executablePath: binary,
      args: [path.resolve("."), ...(process.getuid?.() === 0 ? ["--no-sandbox"] : [])],
      env: { ...process.env, ENTRA_TRAY_HOME: home },
    });
    // The system browser is the test's Chromium: catch what the app would open.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      Object.assign(globalThis, { openedUrls: opened });
      shell.openExternal = async (url: string) => void opened.push(url);
    });
    popover = await app.firstWindow();
    await popover.waitForSelector('#app[data-screen="signedOut"]');
    await popover.getByRole("button", { name: "Sign in", exact: true }).click();
    const opened = async () => (await app?.evaluate(() => (globalThis as unknown as { openedUrls: string[] }).openedUrls[0])) ?? "";
    await expect.poll(opened, { timeout: 15_000 }).toMatch(/^https:\/\/localhost:\d+\/oauth2\/v2\.0\/authorize\?/);
    await browser().completeSignIn(await opened(), { user: env().user(0).username });
    await popover.waitForSelector('#app[data-screen="signedIn"]', { timeout: 30_000 });
    expect(await popover.textContent(".name")).toBe(env().user(0).name);
  });

  it("copies the token in main, marked as a secret for clipboard managers where Electron can write the marker", async (context) => {
    if (!binary) return context.skip(NO_BINARY);
    // With a binary, a missing app is the first test's failure, not a reason to skip this one.
    if (!app || !popover) throw new Error("The app did not come up in the sign-in test above.");
    await popover.getByRole("button", { name: "Copy token", exact: true }).click();
    const clipboard = () => app!.evaluate(async ({ clipboard: board }) => ({
      text: await board.readText(),
      marked: await board.has('electron application/osclipboard;format="x-kde-passwordManagerHint"'),
    }));
    await expect.poll(async () => (await clipboard()).text).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    // Linux: KDE's Klipper reads this format's presence as "a password manager's secret, keep it out of history".
    if (process.platform === "linux") expect((await clipboard()).marked).toBe(true);
  });

  it("opens its settings from the gear, with the saved shortcut and the OS's start-at-login state", async (context) => {
    if (!binary) return context.skip(NO_BINARY);
    // With a binary, a missing app is the first test's failure, not a reason to skip this one.
    if (!app || !popover) throw new Error("The app did not come up in the sign-in test above.");
    await popover.getByRole("button", { name: "Settings", exact: true }).click();
    await popover.waitForSelector('#app[data-screen="settings"]');
    expect(await popover.inputValue("#shortcut")).toBe("CommandOrControl+Alt+Shift+T");
    // A development launch never registers itself to start at login.
    expect(await popover.isChecked("#start-at-login")).toBe(false);
  });
});
