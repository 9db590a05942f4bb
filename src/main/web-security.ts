import type { Session, WebContents, WebPreferences } from "electron";
import { isPopoverUrl } from "./popover-origin.js";

/** Electron's security checklist for the popover: isolated, sandboxed, no Node, nothing but our preload. */
export function popoverWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** The popover never navigates away, opens windows or embeds webviews; links go through main (openExternal). */
export function lockDownContents(contents: Pick<WebContents, "on" | "setWindowOpenHandler">): void {
  contents.on("will-navigate", (event, url) => {
    if (!isPopoverUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isPopoverUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
}

/** No permission is ever granted to a page: camera, notifications, clipboard reads, everything. */
export function lockDownSession(session: Pick<Session, "setPermissionRequestHandler" | "setPermissionCheckHandler">): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
