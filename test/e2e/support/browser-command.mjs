#!/usr/bin/env node
// A `$BROWSER` program for CLI tests: `browser-command.mjs <url>` opens the URL in headless Chromium and acts
// like a person would, as these variables say, then exits (0 done, 1 failed, 2 misused):
//   DEMO_USER, DEMO_PASSWORD   the demo account to sign in with
//   DEMO_CONSENT               approve (default) | deny | abandon (open the page, then leave)
//   DEMO_USER_CODE             with a device-code verification URL: the code to enter
//   DEMO_CA_FILE               the demo CA (default: $ENTRA_TRAY_HOME/demo-idp/ca.pem)
//   ENTRA_TRAY_TEST_HOSTS      host names (comma-separated) that resolve to 127.0.0.1 (test/support/loopback-names.mjs)
//   DEMO_DONE_FILE             written once the page has been acted on, for a test to wait on (the app never learns)
// Authorization URLs (with a redirect_uri) get a sign-in, `.../logout` URLs a sign-out.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  abandonSignIn,
  completeDeviceCode,
  completeLogout,
  completeSignIn,
  launchDemoChromium,
} from "./demo-browser-steps.mjs";

class UsageError extends Error {}

function required(name) {
  const value = process.env[name];
  if (!value) throw new UsageError(`${name} is not set.`);
  return value;
}

function caFile() {
  if (process.env.DEMO_CA_FILE) return process.env.DEMO_CA_FILE;
  if (process.env.ENTRA_TRAY_HOME) return join(process.env.ENTRA_TRAY_HOME, "demo-idp", "ca.pem");
  throw new UsageError("Set DEMO_CA_FILE (or ENTRA_TRAY_HOME) so Chromium can trust the demo identity provider.");
}

function parseUrl(text) {
  try {
    return new URL(text);
  } catch {
    throw new UsageError(`Expected a URL as the only argument, got ${JSON.stringify(text ?? "")}.`);
  }
}

/** What to do at `url`, decided (and the environment checked) before Chromium starts. */
function plan(url) {
  const consent = process.env.DEMO_CONSENT || "approve";
  if (!["approve", "deny", "abandon"].includes(consent)) {
    throw new UsageError(`DEMO_CONSENT must be approve, deny or abandon, not "${consent}".`);
  }
  const account = () => ({ user: required("DEMO_USER"), password: required("DEMO_PASSWORD"), consent });
  if (url.searchParams.has("redirect_uri")) {
    if (consent === "abandon") return (context) => abandonSignIn(context, url.href);
    const how = account();
    return (context) => completeSignIn(context, url.href, how);
  }
  if (process.env.DEMO_USER_CODE) {
    const how = account();
    return (context) => completeDeviceCode(context, url.href, process.env.DEMO_USER_CODE, how);
  }
  if (url.pathname.endsWith("/logout")) return (context) => completeLogout(context, url.href);
  throw new UsageError(`Don't know what to do at ${url.origin}${url.pathname}: not a sign-in, device or logout URL.`);
}

async function main() {
  const act = plan(parseUrl(process.argv[2]));
  const caPem = await readFile(caFile(), "utf8");
  const hostNames = (process.env.ENTRA_TRAY_TEST_HOSTS ?? "").split(",").filter(Boolean);
  const browser = await launchDemoChromium({ caPem, hostNames });
  try {
    await act(browser.context);
    if (process.env.DEMO_DONE_FILE) await writeFile(process.env.DEMO_DONE_FILE, "done\n");
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`browser-command: ${error.message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
