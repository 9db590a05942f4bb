import type { AuthError } from "../app/errors.js";
import type { CliIo } from "./cli-io.js";

/**
 * What a sign-in in the browser says on stderr: that the browser opens, once the identity provider has been found
 * and has accepted the request (not before failures where none opens); and when it cannot be opened, the page to
 * open by hand, while the sign-in waits for it. The page redirects to this machine's loopback, so it must be opened here.
 */
export function browserNotices(io: CliIo, displayName: string) {
  return {
    onOpeningBrowser: () => void io.stderr.write(`Opening the browser to sign in to ${displayName}...\n`),
    onBrowserFailed: (url: string, error: AuthError) => void io.stderr.write(`entra-tray: ${error.message} ` +
      `Open this page in a browser on this machine to sign in (or press Ctrl-C and use \`entra-tray login --device-code\`):\n${url}\n`),
  };
}
