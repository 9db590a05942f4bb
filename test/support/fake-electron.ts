import { EventEmitter } from "node:events";
import type { Options as MenubarOptions } from "menubar/lib/types.js";
import type { ShortcutRegistry } from "../../src/app/index.js";
import type { ElectronApis } from "../../src/main/tray-app.js";

// Electron's types as src/main/tray-app.ts picks them from its definitions: this file never names the electron
// module, so nothing that imports it (bench, dev tools) can reach the real one.
type MenuTemplate = Parameters<ElectronApis["Menu"]["buildFromTemplate"]>[0];
type Menu = ReturnType<ElectronApis["Menu"]["buildFromTemplate"]>;
type NotificationOptions = ConstructorParameters<ElectronApis["Notification"]>[0];

// Fakes of the Electron and menubar APIs the tray app uses, typed from their definitions: the Electron binary cannot
// run here. Shared by the tests of TrayApp (handed in) and of main.ts (as the electron and menubar modules).

type Listener = (...args: unknown[]) => void;

export class FakeTray extends EventEmitter {
  image = "";
  tooltip = "";
  contextMenu: unknown;
  poppedUp: unknown[] = [];
  setImage(image: string) { this.image = image; }
  setToolTip(text: string) { this.tooltip = text; }
  setContextMenu(menu: unknown) { this.contextMenu = menu; }
  /** The items of the menu last set (the fake Menu keeps its template). */
  get menuTemplate(): MenuTemplate { return (this.contextMenu as { template: MenuTemplate }).template; }
  popUpContextMenu(menu: unknown) { this.poppedUp.push(menu); }
}

export class FakeWindow {
  alwaysOnTop = false;
  openHandler: unknown;
  sent: [string, unknown][] = [];
  readonly contents = new EventEmitter();
  readonly webContents = Object.assign(this.contents, {
    send: (channel: string, value: unknown) => void this.sent.push([channel, value]),
    setWindowOpenHandler: (handler: unknown) => void (this.openHandler = handler),
  });
  setAlwaysOnTop(value: boolean) { this.alwaysOnTop = value; }
  isDestroyed() { return false; }
  getNativeWindowHandle() { return Buffer.from([1, 2, 3, 4]); }
}

/** Like menubar: the tray exists (and the window can be shown) only once "ready" has fired. */
export class FakeMenubar extends EventEmitter {
  private readonly realTray = new FakeTray();
  private isReady = false;
  readonly window = new FakeWindow();
  shown = 0;
  constructor(readonly options: Partial<MenubarOptions>) { super(); }
  get tray(): FakeTray {
    if (!this.isReady) throw new TypeError("Cannot read properties of undefined (reading 'tray')");
    return this.realTray;
  }
  becomeReady() {
    this.isReady = true;
    this.emit("ready");
  }
  async showWindow() {
    void this.tray;
    this.shown++;
  }
}

export function fakeElectron() {
  const handlers = new Map<string, Listener>();
  const notifications: NotificationOptions[] = [];
  const recorded = { appMenu: undefined as unknown, protocol: undefined as ((request: Request) => Response | Promise<Response>) | undefined, permissionsLocked: 0 };
  const app = new EventEmitter();
  const electron: ElectronApis = {
    app: Object.assign(app, { quit: () => undefined, dock: undefined }) as unknown as ElectronApis["app"],
    ipcMain: { handle: (channel: string, listener: Listener) => void handlers.set(channel, listener) } as ElectronApis["ipcMain"],
    Menu: {
      buildFromTemplate: (template: MenuTemplate) => ({ template }) as unknown as Menu,
      setApplicationMenu: (menu: Menu | null) => void (recorded.appMenu = menu),
    },
    Notification: Object.assign(class {
      constructor(options: NotificationOptions) { notifications.push(options); }
      on() { return this; }
      show() { return undefined; }
    }, { isSupported: () => true }) as unknown as ElectronApis["Notification"],
    protocol: { handle: (_scheme: string, handler: (request: Request) => Response | Promise<Response>) => void (recorded.protocol = handler) },
    net: { fetch: async (url: string) => new Response(`fetched ${url}`) },
    session: { defaultSession: { setPermissionRequestHandler: () => void recorded.permissionsLocked++, setPermissionCheckHandler: () => void recorded.permissionsLocked++ } },
  };
  return { electron, handlers, notifications, recorded, app };
}


/**
 * The whole `electron` module as main.ts and electron-store use it, for `vi.mock("electron")` in a test of the entry
 * point: TrayApp's fakes plus the app's lifecycle, shell, clipboard, dialogs and global shortcuts. One per test file
 * (main.ts runs once per import); `entry` records what happened.
 */
export function fakeElectronModule(appPath: string) {
  const parts = fakeElectron();
  const shortcuts = new Map<string, () => void>();
  const entry = { quits: 0, exits: [] as number[], errorBoxes: [] as string[], clipboard: "", opened: [] as string[], shortcuts, menubar: undefined as FakeMenubar | undefined };
  const app = Object.assign(parts.app, {
    commandLine: { appendSwitch: () => undefined },
    requestSingleInstanceLock: () => true,
    setPath: () => undefined,
    getPath: () => appPath,
    getVersion: () => "0.0.0-test",
    getAppPath: () => appPath,
    whenReady: () => Promise.resolve(),
    isPackaged: true,
    quit: () => void entry.quits++,
    exit: (code: number) => void entry.exits.push(code),
    dock: undefined,
  });
  const module = {
    ...parts.electron,
    app,
    ipcMain: { ...parts.electron.ipcMain, on: () => undefined },
    protocol: { ...parts.electron.protocol, registerSchemesAsPrivileged: () => undefined },
    shell: { openExternal: async (url: string) => void entry.opened.push(url), openPath: async (file: string) => (entry.opened.push(file), "") },
    clipboard: {
      write: async (items: { items: Record<string, string> }[]) => void (entry.clipboard = items[0]?.items["text/plain"] ?? ""),
      writeText: async (text: string) => void (entry.clipboard = text),
      readText: async () => entry.clipboard,
      clear: () => void (entry.clipboard = ""),
    },
    ClipboardItem: class { constructor(readonly items: Record<string, string>) {} },
    dialog: { showErrorBox: (title: string, message: string) => void entry.errorBoxes.push(`${title}: ${message}`) },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => !shortcuts.has(accelerator) && Boolean(shortcuts.set(accelerator, callback)),
      unregister: (accelerator: string) => void shortcuts.delete(accelerator),
    } satisfies ShortcutRegistry,
  };
  const menubarModule = { menubar: (options: Partial<MenubarOptions>) => (entry.menubar = new FakeMenubar(options)) };
  return { electron: { ...module, default: module }, menubar: menubarModule, entry, parts };
}
