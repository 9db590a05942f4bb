import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { vetExternalUrl } from "../../src/main/external-url.js";
import { isTrustedSender } from "../../src/main/ipc-guard.js";
import { POPOVER_URL } from "../../src/main/popover-origin.js";
import { lockDownContents, lockDownSession, popoverWebPreferences } from "../../src/main/web-security.js";

// Electron's types come through the code under test, never from the module itself: the real module would try to
// download a binary under Node. Anything that imports it at run time gets this mock, which fails loudly instead.
vi.mock("electron", () => {
  throw new Error("The real electron module must not load in tests: hand the code under test a fake.");
});

type Contents = Parameters<typeof lockDownContents>[0];
type Session = Parameters<typeof lockDownSession>[0];
type Frame = Parameters<typeof isTrustedSender>[0];
type WindowOpenHandler = Parameters<Contents["setWindowOpenHandler"]>[0];

describe("the popover window's web preferences", () => {
  it("isolate and sandbox the page, with no Node and nothing but our preload", () => {
    expect(popoverWebPreferences("/app/preload.cjs")).toMatchObject({
      preload: "/app/preload.cjs", contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
  });
});

/** The part of WebContents the lock-down uses, recording what it was told. */
class FakeContents extends EventEmitter {
  openHandler: WindowOpenHandler | undefined;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.openHandler = handler;
  }
  /** Emits `name` as Electron would and says whether the default action was prevented. */
  attempt(name: string, url?: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe("the popover's web contents and session", () => {
  it("stay on our page: navigation, redirects and webviews elsewhere are refused, new windows denied", () => {
    const contents = new FakeContents();
    lockDownContents(contents as unknown as Contents);
    expect(contents.attempt("will-navigate", "https://evil.example/")).toBe(true);
    expect(contents.attempt("will-navigate", "file:///etc/passwd")).toBe(true);
    expect(contents.attempt("will-redirect", "https://evil.example/")).toBe(true);
    expect(contents.attempt("will-navigate", POPOVER_URL)).toBe(false);
    expect(contents.attempt("will-attach-webview")).toBe(true);
    expect(contents.openHandler?.({ url: "https://evil.example/" } as Parameters<WindowOpenHandler>[0])).toEqual({ action: "deny" });
  });

  it("grant no permission, whatever is asked", () => {
    const set: { request?: Parameters<Session["setPermissionRequestHandler"]>[0]; check?: Parameters<Session["setPermissionCheckHandler"]>[0] } = {};
    lockDownSession({ setPermissionRequestHandler: (handler) => void (set.request = handler), setPermissionCheckHandler: (handler) => void (set.check = handler) });
    const answers: boolean[] = [];
    for (const permission of ["media", "notifications", "clipboard-read", "openExternal"] as const) {
      set.request?.({} as never, permission, (granted: boolean) => answers.push(granted), {} as never);
      answers.push(set.check?.(null, permission, "app://popover", {} as never) ?? true);
    }
    expect(answers).toEqual(Array(8).fill(false));
  });
});

describe("IPC sender validation", () => {
  const frame = (url: string, parent: unknown = null) => ({ url, parent }) as unknown as NonNullable<Frame>;
  it("answers only our page's main frame", () => {
    expect(isTrustedSender(frame(POPOVER_URL))).toBe(true);
    expect(isTrustedSender(frame("app://popover/other.html"))).toBe(true);
    expect(isTrustedSender(frame(POPOVER_URL, frame(POPOVER_URL)))).toBe(false);
    expect(isTrustedSender(frame("https://evil.example/"))).toBe(false);
    expect(isTrustedSender(frame("app://evil/popover.html"))).toBe(false);
    expect(isTrustedSender(frame("file:///app/popover.html"))).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe("openExternal vetting", () => {
  const hosts = ["contoso.ciamlogin.com", "localhost:47443"];
  it("opens only https pages of the identity providers' hosts", () => {
    expect(vetExternalUrl("https://contoso.ciamlogin.com/t/oauth2/v2.0/authorize?x=1", hosts)).toBe("https://contoso.ciamlogin.com/t/oauth2/v2.0/authorize?x=1");
    expect(vetExternalUrl("https://localhost:47443/oauth2/v2.0/logout", hosts)).toBeDefined();
    for (const url of ["http://contoso.ciamlogin.com/", "https://evil.example/", "https://contoso.ciamlogin.com.evil.example/",
      "https://user:pw@contoso.ciamlogin.com/", "file:///etc/passwd", "javascript:alert(1)", "smb://contoso.ciamlogin.com/x", "not a url",
      "https://localhost:1/"]) {
      expect(vetExternalUrl(url, hosts), url).toBeUndefined();
    }
  });
});
