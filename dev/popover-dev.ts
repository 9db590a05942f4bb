// `npm run popover:dev`: the real popover page in a Chromium window (not headless), its requests served by the tray's
// real presenter on the real app layer, with your own profiles and sign-ins (ENTRA_TRAY_HOME as usual). For working
// on the page, and for reviewing it where there is no tray. Copies go to a stand-in clipboard inside this process;
// sign-in pages open in your browser ($BROWSER or the system's).
import path from "node:path";
import { chromium } from "playwright-core";
import { AppContext } from "../src/app/index.js";
import { TrayPresenter } from "../src/main/tray-presenter.js";
import { bridgePopover, servePopover } from "../test/renderer/support/popover-page.js";
import { nodeSettings } from "../test/support/node-settings.js";

let copied = "";
const context = new AppContext();
// Settings of its own, in a folder of the app home, so the installed app's settings and start at login stay untouched.
const { panel } = await nodeSettings(path.join(context.home, "popover-dev"));
const presenter = new TrayPresenter(context, {
  clipboard: {
    writeSecret: async (text) => void (copied = text),
    writeText: async (text) => void (copied = text),
    readText: async () => copied,
    clear: async () => void (copied = ""),
  },
  windowHandle: () => undefined,
  openConfigFile: async () => console.error(`popover:dev: profiles are in ${context.home}/config.json`),
  settings: panel,
  startDemo: async () => console.error("popover:dev: run `entra-tray demo-idp` in another terminal for the demo profile."),
});
await presenter.start();
presenter.bindShortcut(() => console.error("popover:dev: the shortcut was pressed"));
const page = await servePopover();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", headless: false, args: ["--no-first-run", "--disable-sync"] });
const tab = await browser.newPage({ viewport: { width: 360, height: 520 } });
const bridge = await bridgePopover(tab, presenter.handlers);
presenter.onDidChange(() => void presenter.popoverView().then((view) => bridge.push(view), () => undefined));
await tab.goto(page.url);
console.error(`popover:dev: serving ${page.url}; close the window to stop.`);
await new Promise<void>((resolve) => browser.on("disconnected", () => resolve()));
await presenter.shutdown();
context.dispose();
await page.close();
