import { execFile } from "node:child_process";
import type { PublicClientApplication } from "@azure/msal-node";
import { beforeAll, describe, expect, it } from "vitest";
import { msalAppFor } from "../../demo-idp/msal-app.js";
import { BROWSER_COMMAND, browserCommandEnv, useDemoEnv } from "./demo-env.js";
import type { SignInAnswer } from "./demo-env.js";

const ALICE = "alice@demo.entra-tray.test";

const env = useDemoEnv();
let app: PublicClientApplication;
beforeAll(() => {
  app = msalAppFor(env().idp);
});

/** Runs the command the way a CLI runs `$BROWSER <url>`; resolves with its exit code and stderr. */
function runBrowserCommand(url: string, vars: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BROWSER_COMMAND, [url], { env: { ...process.env, ...vars }, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr });
    });
  });
}

describe("browser-command.mjs as $BROWSER", () => {
  it("signs in as the DEMO_* variables say and exits 0", async () => {
    let run: { code: number; stderr: string } | undefined;
    const result = await app.acquireTokenInteractive({
      scopes: ["User.Read"],
      openBrowser: async (url) => {
        run = await runBrowserCommand(url, browserCommandEnv(env().idp, { user: ALICE }));
      },
    });
    expect(run).toEqual({ code: 0, stderr: "" });
    expect(result.account?.username).toBe(ALICE);
  });

  it("exits 1 with the page's message when the password is wrong", async () => {
    await expect(signInWith({ user: ALICE, password: "wrong" })).rejects.toThrow(/browser-command exited 1: browser-command: The demo IdP refused the sign-in as alice@demo\.entra-tray\.test: Wrong password/);
  });

  it("with DEMO_CONSENT=abandon opens the page, exits 0 and leaves the app waiting", async () => {
    let authorizeUrl: URL | undefined;
    let run: { code: number; stderr: string } | undefined;
    const signIn = app.acquireTokenInteractive({
      scopes: ["User.Read"],
      openBrowser: async (url) => {
        authorizeUrl = new URL(url);
        run = await runBrowserCommand(url, browserCommandEnv(env().idp, { user: ALICE, consent: "abandon" }));
      },
    });
    const outcome = signIn.then(() => "signed in", (error: unknown) => error);
    await expect.poll(() => run, { timeout: 30_000 }).toEqual({ code: 0, stderr: "" });

    // Cancel the way an app does: answer MSAL's loopback listener with an error for its state. That this answer is
    // the one the sign-in ends with shows the app was still waiting after the command left.
    const params = authorizeUrl?.searchParams;
    await fetch((params?.get("redirect_uri") ?? "").replace("localhost", "127.0.0.1"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ error: "access_denied", state: params?.get("state") ?? "" }),
    });
    expect(await outcome).toMatchObject({ errorCode: "access_denied" });
  });

  it("exits 2 and names the variable when the environment is incomplete", async () => {
    const url = "https://localhost:1/oauth2/v2.0/authorize?redirect_uri=http%3A%2F%2Flocalhost%3A5";
    expect(await runBrowserCommand(url, { DEMO_USER: "", DEMO_PASSWORD: "" })).toEqual({
      code: 2,
      stderr: "browser-command: DEMO_USER is not set.\n",
    });
  });
});

/** An interactive sign-in whose browser is the command; a failing command fails the sign-in with its stderr. */
function signInWith(how: { user: string; password?: string; consent?: SignInAnswer }) {
  return app.acquireTokenInteractive({
    scopes: ["User.Read"],
    prompt: "select_account",
    openBrowser: async (url) => {
      const { code, stderr } = await runBrowserCommand(url, browserCommandEnv(env().idp, how));
      if (code !== 0) throw new Error(`browser-command exited ${code}: ${stderr.trim()}`);
    },
  });
}
