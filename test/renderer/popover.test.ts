import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CopyTarget, PopoverHandlers, PopoverView } from "../../src/ipc/popover-contract.js";
import { PopoverRequest } from "../../src/ipc/popover-contract.js";
import { useFileFixture } from "../support/file-fixture.js";
import { bridgePopover, servePopover } from "./support/popover-page.js";
import { HOSTILE, views } from "./support/views.js";

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
  cspViolations: () => Promise<number>;
}

async function open(view: PopoverView, scheme: "light" | "dark" = "light"): Promise<Opened> {
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
    [PopoverRequest.openSettings]: record(PopoverRequest.openSettings),
  };
  const bridge = await bridgePopover(page, handlers);
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: number }).cspViolations = 0;
    document.addEventListener("securitypolicyviolation", () => (window as unknown as { cspViolations: number }).cspViolations++);
  });
  await page.goto(served().url);
  await page.waitForSelector(`#app[data-screen="${view.screen}"]`);
  return {
    page, push: bridge.push, calls,
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
