import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ResponseMode } from "@azure/msal-node";
import type { AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeLogout, completeSignIn, launchDemoChromium } from "../e2e/support/demo-browser-steps.mjs";
import type { DemoChromium } from "../e2e/support/demo-browser-steps.mjs";
import { useDemoEnv } from "../e2e/support/demo-env.js";
import { msalAppFor } from "./msal-app.js";

const SCOPES = ["User.Read"];

const env = useDemoEnv();
let chromium: DemoChromium;
let app: PublicClientApplication;
beforeAll(async () => {
  chromium = await launchDemoChromium({ caPem: env().idp.caPem });
  app = msalAppFor(env().idp);
});
afterAll(async () => {
  await chromium?.close();
});

function signIn(username: string): Promise<AuthenticationResult> {
  const password = env().idp.users.find((user) => user.username === username)?.password as string;
  return app.acquireTokenInteractive({
    scopes: SCOPES,
    prompt: "select_account",
    openBrowser: (url) => completeSignIn(chromium.context, url, { user: username, password }),
  });
}

/** Where a fresh authorization request lands in this browser: "login" without a session, else "consent". */
async function pageForNewSignIn(): Promise<string | null> {
  const url = await app.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: "http://localhost:45999",
    responseMode: ResponseMode.FORM_POST,
    codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    codeChallengeMethod: "S256",
  });
  return landingPage(url);
}

/** The page a URL ends on without anyone clicking (pages that submit themselves are followed). */
async function landingPage(url: string): Promise<string | null> {
  const page = await chromium.context.newPage();
  try {
    await page.goto(url);
    const body = await page.waitForSelector("body[data-page]:not([data-auto])", { state: "attached" });
    return await body.getAttribute("data-page");
  } finally {
    await page.close();
  }
}

function logoutUrl(params: Record<string, string>): string {
  return `${env().idp.issuer}/oauth2/v2.0/logout?${new URLSearchParams({ client_id: env().idp.clientId, ...params }).toString()}`;
}

describe("sign-out at the demo IdP (end_session_endpoint)", () => {
  it("signs out at once when logout_hint names the signed-in account, ending the browser session", async () => {
    const alice = await signIn("alice@demo.entra-tray.test");
    expect(await pageForNewSignIn()).toBe("consent"); // still signed in: no login page

    await completeLogout(chromium.context, logoutUrl({ logout_hint: alice.account?.loginHint as string }));

    expect(await pageForNewSignIn()).toBe("login");
  });

  it("asks before signing out when the hint names someone else or is missing", async () => {
    const alice = await signIn("alice@demo.entra-tray.test");
    const bobHint = (await signIn("bob@demo.entra-tray.test")).account?.loginHint as string;
    expect(bobHint).not.toBe(alice.account?.loginHint);

    // The browser's session is Bob's now; a hint for Alice does not match it.
    expect(await landingPage(logoutUrl({ logout_hint: alice.account?.loginHint as string }))).toBe("logout");
    expect(await landingPage(logoutUrl({}))).toBe("logout");
    expect(await landingPage(logoutUrl({ logout_hint: bobHint }))).toBe("logged-out"); // no click needed
    expect(await pageForNewSignIn()).toBe("login");
  });

  it("accepts id_token_hint and sends the browser to the app's post_logout_redirect_uri with its state", async () => {
    const alice = await signIn("alice@demo.entra-tray.test");
    const arrived: string[] = [];
    const listener = createServer((req, res) => {
      arrived.push(req.url ?? "");
      res.end("signed out");
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    try {
      const port = (listener.address() as AddressInfo).port;
      await completeLogout(
        chromium.context,
        logoutUrl({ id_token_hint: alice.idToken, post_logout_redirect_uri: `http://localhost:${port}`, state: "s-123" }),
      );
      await expect.poll(() => arrived).toContain("/?state=s-123");
      expect(await pageForNewSignIn()).toBe("login");
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
