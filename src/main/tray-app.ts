import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Electron from "electron";
import type { Menubar } from "menubar";
import type { Options as MenubarOptions } from "menubar/lib/types.js";
import { isValidRequest, PopoverPush, PopoverRequest } from "../ipc/popover-contract.js";
import { isTrustedSender } from "./ipc-guard.js";
import { isPopoverUrl, POPOVER_URL } from "./popover-origin.js";
import { trayLook } from "./tray-look.js";
import { trayMenuTemplate, type TrayActions } from "./tray-menu.js";
import type { TrayModel } from "./tray-model.js";
import type { TrayPresenter } from "./tray-presenter.js";
import { lockDownContents, lockDownSession, popoverWebPreferences } from "./web-security.js";

/** The parts of Electron the tray app uses, handed in by main.ts (tests hand in fakes typed from these). */
export interface ElectronApis {
  app: Pick<Electron.App, "on" | "quit" | "dock">;
  ipcMain: Pick<Electron.IpcMain, "handle">;
  Menu: Pick<typeof Electron.Menu, "buildFromTemplate" | "setApplicationMenu">;
  Notification: Pick<typeof Electron.Notification, "isSupported"> & (new (options: Electron.NotificationConstructorOptions) => Pick<Electron.Notification, "show" | "on">);
  protocol: Pick<Electron.Protocol, "handle">;
  net: Pick<Electron.Net, "fetch">;
  session: { defaultSession: Pick<Electron.Session, "setPermissionRequestHandler" | "setPermissionCheckHandler"> };
}

export interface TrayAppOptions {
  electron: ElectronApis;
  createMenubar: (options: Partial<MenubarOptions>) => Menubar;
  presenter: Pick<TrayPresenter, "trayModel" | "popoverView" | "onDidChange" | "handlers" | "copy" | "shortcutCopy"
    | "signIn" | "cancelSignIn" | "signOut" | "switchAccount" | "switchProfile" | "saveSettings">;
  /** dist/: the built page (renderer/), the preload (preload/popover-preload.cjs). */
  distDir: string;
  /** assets/: the tray icons. */
  assetsDir: string;
  platform: NodeJS.Platform;
  /** Quits the app after the presenter let go of everything (main clears the clipboard then, with the shortcut issue). */
  quit: () => void;
}

const PAGE_FILES = /\.(html|js|css)$/;
/** The tooltip counts the token's life down in minutes: redrawn this often between state changes. */
const TOOLTIP_EVERY_MS = 60_000;

/** States worth a notification: the session needs the person. Routine refreshes never are. */
const NEEDS_PERSON: TrayModel["status"][] = ["error"];

/**
 * The tray app's Electron adapter: menubar's tray and popover window, the context menu, IPC, the app:// page and
 * notifications, all drawn from the TrayPresenter. It decides nothing the presenter can decide.
 */
export class TrayApp {
  private menubar: Menubar | undefined;
  private lastStatus: TrayModel["status"] | undefined;
  /** The tray exists once menubar is ready; an Open asked for before that waits for it. */
  private ready = false;
  private openWhenReady = false;
  /** Views are computed asynchronously: only the newest one asked for is sent. */
  private viewSequence = 0;
  private tooltipTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: TrayAppOptions) {}

  /** Call once the app is ready. */
  start(): Menubar {
    const { electron, presenter, platform } = this.options;
    this.servePage();
    lockDownSession(electron.session.defaultSession);
    // Every web contents, from its creation: before the popover's page loads, not after (menubar's
    // after-create-window comes once the page has loaded, or never when loading fails).
    electron.app.on("web-contents-created", (_event, contents) => lockDownContents(contents));
    if (platform === "darwin") {
      // A menu-bar app has no menu of its own, and without an Edit menu Cmd+C and Cmd+V do nothing in the popover.
      electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate([{ role: "editMenu" }]));
    }
    const look = trayLook(presenter.trayModel(), platform, this.options.assetsDir, new Date());
    const menubar = this.options.createMenubar({
      index: POPOVER_URL,
      icon: look.icon,
      tooltip: look.tooltip,
      preloadWindow: true,
      showDockIcon: false,
      showOnAllWorkspaces: false,
      browserWindow: {
        width: 360,
        height: 520,
        resizable: false,
        skipTaskbar: true,
        webPreferences: popoverWebPreferences(path.join(this.options.distDir, "preload", "popover-preload.cjs")),
      },
    });
    this.menubar = menubar;
    menubar.on("ready", () => {
      this.ready = true;
      if (platform !== "linux") menubar.tray.on("right-click", () => menubar.tray.popUpContextMenu(this.menu()));
      this.redraw();
      this.tooltipTimer = setInterval(() => this.retitle(), TOOLTIP_EVERY_MS);
      this.tooltipTimer.unref?.();
      if (this.openWhenReady) this.open();
    });
    this.handleRequests();
    presenter.onDidChange(() => this.redraw());
    return menubar;
  }

  /** The popover window's native handle, the parent of a broker's sign-in dialog. */
  windowHandle(): Buffer | undefined {
    const window = this.menubar?.window;
    return window && !window.isDestroyed() ? window.getNativeWindowHandle() : undefined;
  }

  /**
   * The shortcut (or `--copy-token` from a second launch, for desktops whose shortcuts go through their own settings):
   * copies the token and says so, or says why not and opens the popover at the fix.
   */
  async shortcutPressed(): Promise<void> {
    const outcome = await this.options.presenter.shortcutCopy();
    if (outcome.copied) {
      this.notify("entra-tray", outcome.notice);
      return;
    }
    this.notify("entra-tray copied nothing", `${outcome.problem.message} ${outcome.problem.action}`);
    this.open();
  }

  /** A second launch, or the Open item: shows the popover. */
  open(): void {
    if (!this.ready) {
      this.openWhenReady = true;
      return;
    }
    void this.menubar?.showWindow().catch(() => undefined);
  }

  /** The menu's actions, wired to the presenter. */
  readonly actions: TrayActions = {
    open: () => this.open(),
    copyAccessToken: () => void this.shortcutPressed(),
    copyAuthorizationHeader: () => this.copyAndSay("authorizationHeader"),
    copyIdToken: () => this.copyAndSay("idToken"),
    signIn: (selectAccount) => {
      this.open();
      this.options.presenter.signIn(selectAccount);
    },
    cancelSignIn: () => this.options.presenter.cancelSignIn(),
    signOut: () => void this.options.presenter.signOut().catch(() => undefined),
    switchAccount: (id) => void this.options.presenter.switchAccount(id).catch(() => undefined),
    switchProfile: (name) => void this.options.presenter.switchProfile(name).catch(() => undefined),
    settings: () => this.showSettings(),
    setStartAtLogin: (enabled) => {
      const { errors } = this.options.presenter.saveSettings({ startAtLogin: enabled });
      if (errors.startAtLogin) this.notify("entra-tray", errors.startAtLogin);
    },
    quit: () => this.options.quit(),
  };

  /** The popover, at its settings screen. */
  showSettings(): void {
    this.open();
    const window = this.menubar?.window;
    if (window && !window.isDestroyed()) window.webContents.send(PopoverPush.showSettings);
  }

  /** Stops the tooltip's clock (quitting). */
  stop(): void {
    clearInterval(this.tooltipTimer);
  }

  private copyAndSay(what: "authorizationHeader" | "idToken"): void {
    void this.options.presenter.copy({ what }).then((result) => this.notify("entra-tray", result.notice), () => this.open());
  }

  /** The tooltip only: the token's remaining life changes without any state change. */
  private retitle(): void {
    if (!this.ready || !this.menubar) return;
    this.menubar.tray.setToolTip(trayLook(this.options.presenter.trayModel(), this.options.platform, this.options.assetsDir, new Date()).tooltip);
  }

  /** The menu for `model`, or for the state now (a right-click: the OS's start-at-login state read afresh). */
  private menu(model: TrayModel = this.options.presenter.trayModel()): Electron.Menu {
    return this.options.electron.Menu.buildFromTemplate(trayMenuTemplate(model, this.actions));
  }

  /** Icon, tooltip and menu for the new state; the view to the popover; a notification when the person is needed. */
  private redraw(): void {
    const menubar = this.menubar;
    if (!menubar) return;
    const model = this.options.presenter.trayModel();
    const look = trayLook(model, this.options.platform, this.options.assetsDir, new Date());
    // ready has not fired yet: the tray does not exist (menubar's getter throws).
    if (this.ready) {
      const tray = menubar.tray;
      tray.setImage(look.icon);
      tray.setToolTip(look.tooltip);
      // Linux shows a menu only as it was when set, and its menu is the way in; elsewhere right-click pops a fresh one.
      if (this.options.platform === "linux") tray.setContextMenu(this.menu(model));
    }
    // The broker's dialog belongs to the popover: it must not hide (blur) or go while a sign-in runs.
    menubar.window?.setAlwaysOnTop(model.status === "signingIn");
    if (menubar.window && !menubar.window.isDestroyed()) {
      const contents = menubar.window.webContents;
      const sequence = ++this.viewSequence;
      void this.options.presenter.popoverView().then((view) => {
        if (sequence === this.viewSequence) contents.send(PopoverPush.view, view);
      }, () => undefined);
    }
    if (model.status !== this.lastStatus && NEEDS_PERSON.includes(model.status) && model.problem) {
      this.notify(`${model.profile?.displayName ?? "entra-tray"} needs you`, `${model.problem.message} ${model.problem.action}`);
    }
    this.lastStatus = model.status;
  }

  /** A native notification; clicking it opens the popover. */
  notify(title: string, body: string): void {
    const { Notification } = this.options.electron;
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, silent: true });
    notification.on("click", () => this.open());
    notification.show();
  }

  /** Every popover request, answered only for our page's main frame and a well-formed payload. */
  private handleRequests(): void {
    const { ipcMain } = this.options.electron;
    const handlers = this.options.presenter.handlers;
    for (const name of Object.values(PopoverRequest)) {
      ipcMain.handle(name, async (event, payload: unknown) => {
        if (!isTrustedSender(event.senderFrame)) throw new Error("entra-tray answers only its own popover.");
        if (!isValidRequest(name, payload)) throw new Error(`Malformed ${String(name)} request.`);
        return (handlers[name] as (request: unknown) => Promise<unknown>)(payload);
      });
    }
  }

  /** app://popover/<file>: the page's own HTML, scripts and styles from dist/renderer, and nothing else. */
  private servePage(): void {
    const { protocol, net } = this.options.electron;
    const root = path.join(this.options.distDir, "renderer");
    protocol.handle("app", (request) => {
      const file = path.join(root, decodeURIComponent(new URL(request.url).pathname));
      const served = isPopoverUrl(request.url) && path.dirname(file) === root && PAGE_FILES.test(file);
      return served ? net.fetch(pathToFileURL(file).href) : new Response("Not found", { status: 404 });
    });
  }
}

