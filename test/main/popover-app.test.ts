import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppContext, serviceEndpoint, TokenService } from "../../src/app/index.js";
import { askService } from "../../src/app/token-service/client.js";
import { TrayPresenter } from "../../src/main/tray-presenter.js";
import { ScriptedBrowser } from "../core/auth/support/e2e-harness.js";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { useDemoBrowser } from "../e2e/support/demo-browser.js";
import { useDemoEnv } from "../e2e/support/demo-env.js";
import { useFileFixture } from "../support/file-fixture.js";
import { bridgePopover, servePopover } from "../renderer/support/popover-page.js";
import { nodeSettings } from "../support/node-settings.js";

// The popover end to end: the real page and preload in headless Chromium, its requests carried to the tray's real
// main-side handlers (TrayPresenter) over the page bridge, on the real app layer: MSAL against the demo IdP, the
// sign-in completed in a second Chromium, tokens in a private keyring. Everything but Electron is real.
const keyring = useProcessKeyring();
const env = useDemoEnv();
const idpBrowser = useDemoBrowser(env);
const served = useFileFixture("The popover page", servePopover, (server) => server.close());
const acts = new ScriptedBrowser();
const clipboard: string[] = [];
let popoverBrowser: Browser;
let page: Page;
let context: AppContext;
let presenter: TrayPresenter;

beforeAll(async () => {
  expect(keyring().address).toBeTruthy();
  const { idp, home } = env();
  await writeFile(path.join(home, "config.json"), JSON.stringify({
    profiles: { demo: { displayName: "Demo IdP", authority: idp.authority, clientId: idp.clientId, scopes: ["User.Read"], graphUrl: idp.graphUrl, caFile: idp.caFile } },
  }));
  context = new AppContext({ env: { ...process.env, ENTRA_TRAY_HOME: home }, openBrowser: acts.open, watchIntervalMs: false });
  presenter = new TrayPresenter(context, { ...ports(), settings: (await nodeSettings(home)).panel });
  await presenter.start();
  popoverBrowser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await popoverBrowser.newPage({ viewport: { width: 360, height: 520 } });
  const bridge = await bridgePopover(page, presenter.handlers);
  // Main pushes a fresh view at every change, as the tray app does over IPC.
  presenter.onDidChange(() => void presenter.popoverView().then((view) => bridge.push(view)).catch(() => undefined));
  await page.goto(served().url);
});

afterAll(async () => {
  await popoverBrowser?.close();
  presenter?.dispose();
  context?.dispose();
});

/** What the tray's main process gives the presenter, but the settings: the clipboard is a list in this test. */
const ports = () => ({
  clipboard: {
    writeSecret: async (text: string) => void clipboard.push(text),
    writeText: async (text: string) => void clipboard.push(text),
    readText: async () => clipboard.at(-1) ?? "",
    clear: async () => void clipboard.push(""),
  },
  windowHandle: () => undefined,
  openConfigFile: async () => undefined,
  startDemo: async () => undefined,
});

const screen = (name: string) => page.waitForSelector(`#app[data-screen="${name}"]`, { timeout: 30_000 });

describe("the popover on the real app layer", () => {
  it("signs in: Sign in, the identity provider's page in the browser, then the account, Graph profile, photo and claims", async () => {
    await screen("signedOut");
    const alice = env().user(0);
    const browsing = acts.will((url) => idpBrowser().completeSignIn(url, { user: alice.username }));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await browsing;
    await screen("signedIn");
    await expect.poll(() => page.locator(".details").textContent(), { timeout: 15_000 }).toContain(alice.jobTitle ?? "");
    expect(await page.textContent(".name")).toBe(alice.name);
    expect(await page.getAttribute("img.avatar", "src")).toMatch(/^data:image\/(png|jpeg);base64,/);
    const claims = await page.locator(".claim").allInnerTexts();
    expect(claims.some((text) => text.includes("preferred_username") && text.includes(alice.username))).toBe(true);
    expect(await page.locator("section[aria-label='Access token claims'] .claim").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.resolve("test-results/popover/app-signed-in.png") });
  });

  it("copies the access token and the Authorization header in main; the page never holds a token", async () => {
    await page.getByRole("button", { name: "Copy token", exact: true }).click();
    await expect.poll(() => page.textContent(".notice")).toMatch(/^Access token for alice@\S+ copied \(valid \d+ min\); the clipboard clears in 30 s\.$/);
    await page.getByRole("button", { name: "Copy as header", exact: true }).click();
    await expect.poll(() => clipboard.length).toBe(2);
    const [token, header] = clipboard;
    expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(header).toBe(`Authorization: Bearer ${token}`);
    expect(await page.content()).not.toContain(token);
  });

  it("copies the ID token the identity provider issued with the sign-in", async () => {
    expect((await presenter.copy({ what: "idToken" })).notice).toMatch(/^ID token for alice@\S+ copied \(valid \d+ min\); the clipboard clears in 30 s\.$/);
    const idToken = clipboard.at(-1) ?? "";
    const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ aud: env().idp.clientId, preferred_username: env().user(0).username });
    clipboard.pop();
  });

  it("copies no ID token that would expire within the minimum validity: it refreshes once, and says why when that does not help", async () => {
    // An hour less one minute from now, the demo's 1-hour ID token has one minute left, less than the 300 s asked for.
    const later = new TrayPresenter(context, { ...ports(), settings: (await nodeSettings(path.join(env().home, "later"))).panel }, { now: () => new Date(Date.now() + 59 * 60_000) });
    await later.start();
    const requests = env().idp.tokenRequests();
    const before = clipboard.length;
    expect(await later.copy({ what: "idToken" })).toEqual({ notice: "Nothing copied: the identity provider issued an ID token valid for less than the 300 s asked for." });
    expect(env().idp.tokenRequests()).toBe(requests + 1);
    expect(clipboard.length).toBe(before);
    later.dispose();
  });

  it("the token service in the tray's process serves the tray's own session: no second session, the same token", async () => {
    const runtime = await mkdtemp(path.join(tmpdir(), "entra-tray-run-"));
    const endpoint = serviceEndpoint({ ENTRA_TRAY_HOME: env().home, XDG_RUNTIME_DIR: runtime }, "linux");
    const opened = vi.spyOn(context, "openSession");
    const service = await TokenService.start({ context, endpoint, borrow: (profile) => presenter.sessionOf(profile) });
    try {
      const requests = env().idp.tokenRequests();
      const answer = await askService(endpoint, { op: "token", profile: "demo" });
      expect(answer?.reply).toMatchObject({ ok: true, result: { accessToken: clipboard[0], account: { username: env().user(0).username } } });
      expect(opened).not.toHaveBeenCalled();
      expect(env().idp.tokenRequests()).toBe(requests);
    } finally {
      opened.mockRestore();
      await service.close();
      await rm(runtime, { recursive: true, force: true });
    }
  });

  it("the shortcut copies the kept token without asking the identity provider", async () => {
    const requests = env().idp.tokenRequests();
    expect(await presenter.shortcutCopy()).toMatchObject({ copied: true, notice: expect.stringMatching(/^Access token for alice@/) });
    expect(clipboard.at(-1)).toBe(clipboard[0]);
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("signs out here and at the identity provider, clears the token it copied, and shows signed out", async () => {
    const loggingOut = acts.will((url) => idpBrowser().completeLogout(url));
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await loggingOut;
    await screen("signedOut");
    expect(clipboard.at(-1)).toBe("");
    expect(presenter.trayModel()).toMatchObject({ status: "signedOut", accounts: [] });
    expect(await presenter.shortcutCopy()).toMatchObject({ copied: false, problem: { fix: { command: "signIn" } } });
  });
});
