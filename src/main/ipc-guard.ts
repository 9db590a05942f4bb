import type { WebFrameMain } from "electron";
import { isPopoverUrl } from "./popover-origin.js";

/**
 * Answers IPC only from our own page's main frame: a frame the page did not load (a subframe, a page navigated
 * elsewhere) gets nothing, whatever channel it knows.
 */
export function isTrustedSender(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isPopoverUrl(frame.url);
}
