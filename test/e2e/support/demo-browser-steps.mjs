// Drives the demo identity provider's pages in Debian Chromium. Plain JavaScript so that both demo-browser.ts
// (vitest) and browser-command.mjs (a `$BROWSER` program run by plain Node) use the same steps.
import { X509Certificate, createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_TIMEOUT_MS = 20_000;
const MAX_STEPS = 8;

/** Base64 SHA-256 of a certificate's public key, the form `--ignore-certificate-errors-spki-list` takes. */
export function spkiSha256(pem) {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * Headless Chromium with a fresh profile that trusts the demo CA: the SPKI flag is honoured only together
 * with a user-data dir, which a persistent context provides. `hostNames` resolve to 127.0.0.1 (a demo IdP playing
 * contoso.ciamlogin.com). Returns the context and a `close()`.
 */
export async function launchDemoChromium({ caPem, hostNames = [] }) {
  const userDataDir = await mkdtemp(join(tmpdir(), "entra-tray-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 30_000,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--ignore-certificate-errors-spki-list=${spkiSha256(caPem)}`,
        ...(hostNames.length ? [`--host-resolver-rules=${hostNames.map((name) => `MAP ${name} 127.0.0.1`).join(",")}`] : []),
      ],
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(`Could not start Chromium (${CHROMIUM_PATH}): ${error.message}`, { cause: error });
  }
}

/**
 * Opens the authorization URL MSAL built, signs in as `how.user`, answers consent (`approve` unless told
 * `deny`), and returns once the app's loopback listener (the URL's redirect_uri) has answered.
 */
export async function completeSignIn(context, url, how) {
  const redirectUri = new URL(url).searchParams.get("redirect_uri");
  if (!redirectUri) throw new Error(`Not an authorization URL (it has no redirect_uri): ${redactQuery(url)}`);
  const loopback = new URL(redirectUri).origin;
  await withPage(context, async (page) => {
    const answered = quiet(page.waitForResponse((response) => new URL(response.url()).origin === loopback));
    await open(page, url);
    await drive(page, how, answered, "the app's loopback listener to receive the answer");
  });
}

/** Opens the authorization URL and walks away, leaving the sign-in page open, as a person who gives up. */
export async function abandonSignIn(context, url) {
  const page = await context.newPage();
  await open(page, url);
  await nextPage(page, undefined);
  return page;
}

/** Enters `userCode` at the verification page, signs in and answers consent; returns when the IdP says done. */
export async function completeDeviceCode(context, verificationUri, userCode, how) {
  await withPage(context, async (page) => {
    await open(page, verificationUri);
    await drive(page, { ...how, userCode }, undefined, "the device sign-in to finish");
  });
}

/**
 * Opens a logout URL and confirms if the page asks; returns on the "signed out" page, or when the browser is
 * sent to the URL's post_logout_redirect_uri.
 */
export async function completeLogout(context, url) {
  const postLogout = new URL(url).searchParams.get("post_logout_redirect_uri");
  await withPage(context, async (page) => {
    const redirected = postLogout
      ? quiet(page.waitForRequest((request) => new URL(request.url()).origin === new URL(postLogout).origin))
      : undefined;
    await open(page, url);
    await drive(page, {}, redirected, "the sign-out to finish");
  });
}

/** Navigates, turning Chromium's error (a TLS failure, a refused connection) into one line without the query. */
async function open(page, url) {
  try {
    await page.goto(url);
  } catch (error) {
    const reason = String(error.message).split("\n")[0].replaceAll(url, redactQuery(url));
    // eslint-disable-next-line preserve-caught-error -- its message repeats the URL, whose query may hold an id_token_hint
    throw new Error(`Chromium could not open ${redactQuery(url)}: ${reason}`);
  }
}

async function withPage(context, work) {
  const page = await context.newPage();
  try {
    await work(page);
  } finally {
    await page.close();
  }
}

/**
 * Acts on each page the IdP shows until `done` settles, or, without `done`, until a final page: the device
 * flow's "done" page, the "signed out" page, or whatever follows a denied consent. Each step waits for a page
 * rendered after the previous one (`data-render` differs), so it never acts twice on the same page.
 */
async function drive(page, how, done, waitingFor) {
  let previous;
  let submittedLogin = false;
  let enteredUserCode = false;
  let denied = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    const pending = quiet(nextPage(page, previous));
    const next = await (done ? Promise.race([done.then(() => "done"), pending]) : pending).catch((error) => {
      throw new Error(`No progress while waiting for ${waitingFor} (at ${redactQuery(page.url())}): ${error.message}`, {
        cause: error,
      });
    });
    if (next === "done" || (denied && !done)) return;
    previous = next.render;
    switch (next.name) {
      case "login":
        if (submittedLogin) throw new Error(`The demo IdP refused the sign-in as ${how.user}: ${await errorText(page)}`);
        if (!how.user || !how.password) throw new Error("The demo IdP asks for a sign-in, but no user and password were given.");
        await page.fill("input[name=login]", how.user);
        await page.fill("input[name=password]", how.password);
        await page.click("button[type=submit]");
        submittedLogin = true;
        break;
      case "consent":
        denied = how.consent === "deny";
        await page.click(denied ? "button[value=deny]" : "button[value=approve]");
        break;
      case "device-code":
        if (enteredUserCode) throw new Error(`The demo IdP refused the device code: ${await errorText(page)}`);
        await page.fill("input[name=user_code]", how.userCode);
        await page.click("button[value=continue]");
        enteredUserCode = true;
        break;
      case "device-confirm":
        await page.click("button[value=continue]");
        break;
      case "logout":
        if (!next.auto) await page.click("button[value=logout]");
        break;
      case "device-done":
      case "logged-out":
        if (!done) return;
        break; // the redirect this caller waits for may still come
      case "error":
        throw new Error(`The demo IdP showed an error page: ${await errorText(page)}`);
      default:
        throw new Error(`Unexpected page "${next.name}" while waiting for ${waitingFor}.`);
    }
  }
  throw new Error(`Gave up after ${MAX_STEPS} pages while waiting for ${waitingFor}.`);
}

/** The next demo IdP page rendered after `previousRender`: its name, render id and whether it submits itself. */
async function nextPage(page, previousRender) {
  const selector = previousRender ? `body[data-page]:not([data-render="${previousRender}"])` : "body[data-page]";
  const body = await page.waitForSelector(selector, { state: "attached" });
  const [name, render, auto] = await Promise.all([
    body.getAttribute("data-page"),
    body.getAttribute("data-render"),
    body.getAttribute("data-auto"),
  ]);
  return { name, render, auto: auto !== null };
}

async function errorText(page) {
  const text = await page.locator(".error").first().textContent({ timeout: 1_000 }).catch(() => null);
  return text?.trim() || "(no message on the page)";
}

/** Marks a rejection as handled, for promises that may lose a race and never be awaited again. */
function quiet(promise) {
  promise.catch(() => undefined);
  return promise;
}

function redactQuery(url) {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
