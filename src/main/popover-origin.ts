/**
 * The popover page is served from the app's own files under a custom scheme, never from the network or file://
 * (a custom scheme gives the page its own origin, ES modules and a CSP that means something).
 */
export const POPOVER_SCHEME = "app";
export const POPOVER_HOST = "popover";
export const POPOVER_URL = `${POPOVER_SCHEME}://${POPOVER_HOST}/popover.html`;

/** Is `url` a page of ours? (WHATWG URL gives non-special schemes the origin "null", so compare scheme and host.) */
export function isPopoverUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === `${POPOVER_SCHEME}:` && parsed.host === POPOVER_HOST;
}
