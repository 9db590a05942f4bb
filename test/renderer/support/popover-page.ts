import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import type { PopoverRequestName, PopoverRequests, PopoverView, ReplyOf, RequestOf } from "../../../src/ipc/popover-contract.js";
import { PopoverRequest } from "../../../src/ipc/popover-contract.js";

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

export type PopoverHandlers = { [N in PopoverRequestName]: (request: RequestOf<N>) => Promise<ReplyOf<N>> };

/** The preload's API in the page, each call carried to `handlers` in the test process (the main process's part). */
const BRIDGE = `(() => {
  const listeners = new Set();
  const call = (name, request = null) => window.__popoverCall(name, request);
  window.__popoverPush = (view) => { for (const listener of listeners) listener(view); };
  window.entraTray = {
    view: () => call(${JSON.stringify(PopoverRequest.view)}),
    signIn: (options) => call(${JSON.stringify(PopoverRequest.signIn)}, options),
    cancelSignIn: () => call(${JSON.stringify(PopoverRequest.cancelSignIn)}),
    signOut: () => call(${JSON.stringify(PopoverRequest.signOut)}),
    copy: (target) => call(${JSON.stringify(PopoverRequest.copy)}, target),
    switchProfile: (profile) => call(${JSON.stringify(PopoverRequest.switchProfile)}, { profile }),
    switchAccount: (homeAccountId) => call(${JSON.stringify(PopoverRequest.switchAccount)}, { homeAccountId }),
    startDemo: () => call(${JSON.stringify(PopoverRequest.startDemo)}),
    openSettings: () => call(${JSON.stringify(PopoverRequest.openSettings)}),
    onView: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
  };
})();`;

/** Makes `page` a popover whose requests go to `handlers`; returns how to push a view as main does. */
export async function bridgePopover(page: Page, handlers: PopoverHandlers): Promise<{ push(view: PopoverView): Promise<void> }> {
  await page.exposeFunction("__popoverCall", (name: PopoverRequestName, request: PopoverRequests[PopoverRequestName]["request"]) =>
    (handlers[name] as (request: unknown) => Promise<unknown>)(request));
  await page.addInitScript(BRIDGE);
  return { push: (view) => page.evaluate((next) => (window as unknown as { __popoverPush(view: unknown): void }).__popoverPush(next), view) };
}

