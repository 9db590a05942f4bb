import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import type { PopoverHandlers, PopoverRequestName, PopoverRequests, PopoverView } from "../../../src/ipc/popover-contract.js";
import { isValidRequest, PopoverPush } from "../../../src/ipc/popover-contract.js";

const PAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/renderer");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };

/** Serves the built popover (dist/renderer) on loopback, as Electron serves it from the app's own files. */
export async function servePopover(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? "/", "http://localhost").pathname);
    readFile(path.join(PAGE_DIR, name)).then(
      (body) => res.writeHead(200, { "content-type": TYPES[path.extname(name)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/popover.html`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}


const PRELOAD = path.resolve(PAGE_DIR, "../preload/popover-preload.cjs");

/**
 * Runs the real, bundled preload in the page with a stand-in for Electron's renderer modules: `contextBridge` puts
 * the API on window, `ipcRenderer.invoke` reaches the test process's handlers, `ipcRenderer.on` hears its pushes.
 */
const electronStandIn = (preload: string) => `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, request) => window.__popoverCall(channel, request),
    on: (channel, listener) => { listeners.set(listener, channel); },
    removeListener: (channel, listener) => { listeners.delete(listener); },
  };
  window.__popoverPush = (pushed, value) => {
    for (const [listener, channel] of listeners) if (channel === pushed) listener({}, value);
  };
  const contextBridge = { exposeInMainWorld: (key, api) => { window[key] = Object.freeze(api); } };
  const require = (name) => {
    if (name !== "electron") throw new Error("a sandboxed preload cannot require " + name);
    return { contextBridge, ipcRenderer };
  };
  const module = { exports: {} };
  ((require, module, exports) => {
${preload}
  })(require, module, module.exports);
})();`;

export interface PopoverBridge {
  /** A new view, as main pushes at every change. */
  push: (view: PopoverView) => Promise<void>;
  /** The menu's "Settings…". */
  showSettings: () => Promise<void>;
}

/** Makes `page` a popover whose preload's requests go to `handlers`; returns how to push to it as main does. */
export async function bridgePopover(page: Page, handlers: PopoverHandlers): Promise<PopoverBridge> {
  await page.exposeFunction("__popoverCall", (name: PopoverRequestName, request: PopoverRequests[PopoverRequestName]["request"]) => {
    // As main does: what the page sends must be a well-formed request, or the test would pass where Electron fails.
    if (!isValidRequest(name, request)) throw new Error(`Malformed ${String(name)} request: ${JSON.stringify(request)}`);
    return (handlers[name] as (request: unknown) => Promise<unknown>)(request);
  });
  await page.addInitScript(electronStandIn(await readFile(PRELOAD, "utf8")));
  const send = (channel: string, value?: unknown) => page.evaluate(([pushed, next]) =>
    (globalThis as unknown as { __popoverPush(channel: unknown, value: unknown): void }).__popoverPush(pushed, next), [channel, value] as const);
  return { push: (view) => send(PopoverPush.view, view), showSettings: () => send(PopoverPush.showSettings) };
}

