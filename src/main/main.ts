// The tray app's entry: Electron's main process. Wires Electron to the app layer and starts the tray; everything
// it shows and does is decided by TrayPresenter (src/main/tray-presenter.ts) over src/app.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as electron from "electron";
import { menubar } from "menubar";
import { AppContext, startEmbeddedDemo } from "../app/index.js";
import { vetExternalUrl } from "./external-url.js";
import { POPOVER_SCHEME } from "./popover-origin.js";
import { TrayApp } from "./tray-app.js";
import { TrayPresenter } from "./tray-presenter.js";

const { app, clipboard, protocol, shell } = electron;
const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Before ready: app:// gets an origin of its own, fetch and a CSP that means something.
protocol.registerSchemesAsPrivileged([{ scheme: POPOVER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Another entra-tray runs: it opens its popover (second-instance), this one leaves.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  // The browser opener needs the presenter, the presenter the tray app's window: both made below.
  const refs: { presenter?: TrayPresenter; trayApp?: TrayApp } = {};
  let demo: Awaited<ReturnType<typeof startEmbeddedDemo>>;
  const context = new AppContext({
    // Sign-in and sign-out pages open in the system browser, and only for the profiles' identity providers.
    openBrowser: async (url) => {
      const vetted = vetExternalUrl(url, refs.presenter?.identityProviderHosts ?? []);
      if (!vetted) throw new Error("entra-tray opens only the identity provider's own https pages.");
      await shell.openExternal(vetted);
    },
  });
  const presenter = new TrayPresenter(context, {
    writeClipboard: (text) => clipboard.writeText(text),
    windowHandle: () => refs.trayApp?.windowHandle(),
    openSettings: async () => void (await shell.openPath(path.join(context.home, "config.json"))),
    startDemo: async () => {
      demo ??= await startEmbeddedDemo(context.home);
    },
  });
  refs.presenter = presenter;
  await presenter.start();
  const trayApp = new TrayApp({
    electron,
    createMenubar: (options) => menubar(options),
    presenter,
    distDir,
    assetsDir: path.resolve(distDir, "..", "assets"),
    platform: process.platform,
    quit: () => app.quit(),
  });
  refs.trayApp = trayApp;
  trayApp.start();
  app.on("second-instance", () => trayApp.open());
  // A tray app lives on without windows.
  app.on("window-all-closed", () => undefined);
  app.on("will-quit", () => {
    presenter.dispose();
    context.dispose();
    void demo?.close();
  });
}
