// The tray app's entry: Electron's main process. Wires Electron to the app layer and starts the tray; everything
// it shows and does is decided by TrayPresenter (src/main/tray-presenter.ts) over src/app.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as electron from "electron";
import ElectronStore from "electron-store";
import { menubar } from "menubar";
import type { AppSettings, StartAtLogin } from "../app/index.js";
import {
  AppContext, describeWriteFailure, ensureConfigFile, isAuthError, openSettings, serviceEndpoint, startEmbeddedDemo, TokenService, XdgAutostart, xdgStartAtLogin,
} from "../app/index.js";
import { electronClipboard } from "./electron-clipboard.js";
import { vetExternalUrl } from "./external-url.js";
import { electronStartAtLogin } from "./login-item.js";
import { POPOVER_SCHEME } from "./popover-origin.js";
import { SettingsPanel } from "./settings-panel.js";
import { TrayApp } from "./tray-app.js";
import { TrayPresenter } from "./tray-presenter.js";

const { app, clipboard, protocol, shell } = electron;
const COPY_TOKEN = "--copy-token";
const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Wayland has no global shortcuts but through the desktop's portal; where it lacks one, `--copy-token` (bound in the
// desktop's keyboard settings) reaches the running app through the single-instance lock.
if (process.platform === "linux") app.commandLine.appendSwitch("enable-features", "GlobalShortcutsPortal");
// Before ready: app:// gets an origin of its own, fetch and a CSP that means something.
protocol.registerSchemesAsPrivileged([{ scheme: POPOVER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// One entra-tray per app home: ENTRA_TRAY_HOME (tests, portable installs) gets its own Electron data and lock.
if (process.env.ENTRA_TRAY_HOME) app.setPath("userData", path.join(process.env.ENTRA_TRAY_HOME, "electron"));

// What later launches asked for while this one was starting; handled once the tray is up.
const launches: string[][] = [];
let onLaunch: (argv: string[]) => void = (argv) => void launches.push(argv);

if (!app.requestSingleInstanceLock()) {
  // Another entra-tray runs: it opens its popover (second-instance), this one leaves.
  app.quit();
} else {
  app.on("second-instance", (_event, argv) => onLaunch(argv));
  start().catch((error: unknown) => {
    // Without a tray the app would hold the lock and be unreachable: say why and leave.
    electron.dialog.showErrorBox("entra-tray could not start", error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  // The browser opener needs the presenter, the presenter the tray app's window: both made below.
  const refs: { presenter?: TrayPresenter; trayApp?: TrayApp } = {};
  const startupNotes: string[] = [];
  let demo: Awaited<ReturnType<typeof startEmbeddedDemo>>;
  const context = new AppContext({
    // Sign-in and sign-out pages open in the system browser, and only for the profiles' identity providers.
    openBrowser: async (url) => {
      const vetted = vetExternalUrl(url, refs.presenter?.identityProviderHosts ?? []);
      if (!vetted) throw new Error("entra-tray opens only the identity provider's own https pages.");
      await shell.openExternal(vetted);
    },
  });
  // The app's settings beside config.json (never electron-store's default name, "config": that is the CLI's file).
  const settingsIn = (cwd: string) => openSettings({
    cwd,
    onReset: (message) => startupNotes.push(message),
    create: ({ configName, ...options }) => new ElectronStore<AppSettings>({ ...options, name: configName }),
  });
  const { store, firstRun } = await settingsIn(context.home).catch(async (error: unknown) => {
    // A home the app cannot write to (read-only, not the user's) must not keep the tray from starting.
    const { cause, action } = describeWriteFailure(error);
    startupNotes.push(`Settings cannot be saved in ${context.home} (${cause}); the defaults are in use until entra-tray quits. ${action}`);
    return settingsIn(await mkdtemp(path.join(tmpdir(), "entra-tray-settings-")));
  });
  const settings = new SettingsPanel({
    store,
    startAtLogin: startAtLogin(),
    shortcuts: electron.globalShortcut,
    configFile: path.join(context.home, "config.json"),
  });
  const presenter = new TrayPresenter(context, {
    clipboard: electronClipboard(clipboard, electron.ClipboardItem, process.platform),
    windowHandle: () => refs.trayApp?.windowHandle(),
    settings,
    openConfigFile: async () => {
      const file = ensureConfigFile(context.home);
      const problem = await shell.openPath(file);
      if (problem) throw new Error(`${file} could not be opened (${problem}).`);
    },
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
  presenter.bindShortcut(() => void trayApp.shortcutPressed());
  // A development build (`npm start`) would register the repository's Electron: only installed apps start at login.
  const atLogin = firstRun && app.isPackaged ? settings.applyFirstRun() : undefined;
  if (atLogin?.message) startupNotes.push(atLogin.message);
  for (const note of startupNotes) trayApp.notify("entra-tray", note);
  // Not awaited: a quit while the service is still starting must find the handlers below in place.
  const serviceStarting = startTokenService(context, presenter, (message) => trayApp.notify("entra-tray token service", message));
  // `--copy-token` is the shortcut of Wayland desktops without the shortcuts portal: Linux only, since any process of
  // the user could run it to put the token on the clipboard.
  onLaunch = (argv) => (process.platform === "linux" && argv.includes(COPY_TOKEN) ? void trayApp.shortcutPressed() : trayApp.open());
  if (process.argv.includes(COPY_TOKEN)) onLaunch(process.argv);
  for (const argv of launches.splice(0)) onLaunch(argv);
  // A tray app lives on without windows.
  app.on("window-all-closed", () => undefined);
  // Before quitting (the menu, or the session ending): a token still on the clipboard goes, the sessions close.
  let shutDown = false;
  app.on("before-quit", (event) => {
    if (shutDown) return;
    event.preventDefault();
    shutDown = true;
    trayApp.stop();
    void Promise.allSettled([presenter.shutdown(), demo?.close(), serviceStarting.then((service) => service?.close())]).finally(() => {
      context.dispose();
      app.quit();
    });
  });
}

/** Start at login the way the OS does it; an unpackaged app starts Electron with the app's folder. */
function startAtLogin(): StartAtLogin {
  const args = app.isPackaged ? [] : [app.getAppPath()];
  if (process.platform === "darwin" || process.platform === "win32") {
    return electronStartAtLogin(app, { platform: process.platform, execPath: process.execPath, args });
  }
  return xdgStartAtLogin(new XdgAutostart({ env: process.env, execPath: process.execPath, args }));
}

/**
 * The token service `entra-tray token` asks first, from this app's sessions. When `entra-tray agent` already
 * serves, it goes on serving and the tray does without.
 */
async function startTokenService(context: AppContext, presenter: TrayPresenter, say: (message: string) => void): Promise<TokenService | undefined> {
  try {
    // The profile the tray shows is served from the tray's own session: one refresher for it in this process.
    return await TokenService.start({ context, endpoint: serviceEndpoint(process.env, process.platform), borrow: (profile) => presenter.sessionOf(profile) });
  } catch (error) {
    if (isAuthError(error) && error.remedy?.kind === "useRunningService") return undefined;
    say(`It did not start, so \`entra-tray token\` answers on its own, more slowly: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
