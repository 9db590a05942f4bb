import type { AccountInfo, DeviceCodeRequest } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoBrowser } from "../e2e/support/demo-browser.js";
import type { SignInHow } from "../e2e/support/demo-browser.js";
import { useDemoEnv } from "../e2e/support/demo-env.js";
import { msalAppFor } from "./msal-app.js";

type DeviceCodeResponse = Parameters<DeviceCodeRequest["deviceCodeCallback"]>[0];

const BOB = "bob@demo.entra-tray.test";
const SCOPES = ["User.Read"];

const env = useDemoEnv();
let browser: DemoBrowser;
beforeAll(async () => {
  browser = await DemoBrowser.launch(env().idp);
});
afterAll(async () => {
  await browser?.close();
});

/** MSAL's device-code flow, with the "person at another device" completing it in Chromium. */
async function deviceCodeSignIn(how: SignInHow) {
  const app = msalAppFor(env().idp);
  let shown: DeviceCodeResponse | undefined;
  let person: Promise<void> = Promise.resolve();
  const result = app.acquireTokenByDeviceCode({
    scopes: SCOPES,
    deviceCodeCallback: (response) => {
      shown = response;
      person = browser.completeDeviceCode(response.verificationUri, response.userCode, how);
    },
  });
  // Both sides must finish; the person's failure is the more telling one, so it is awaited first.
  const outcome = await Promise.allSettled([result]);
  await person;
  const [settled] = outcome;
  if (settled?.status === "rejected") throw settled.reason;
  return { app, shown: shown as DeviceCodeResponse, result: settled?.value };
}

describe("device-code sign-in with MSAL Node", () => {
  it("signs in with a code entered in the browser, polling at the announced interval", async () => {
    const { idp } = env();
    const before = idp.tokenRequests();
    const started = Date.now();

    const { app, shown, result } = await deviceCodeSignIn({ user: BOB });

    expect(result?.account?.username).toBe(BOB);
    expect(result?.scopes).toEqual(["User.Read"]);
    expect(shown).toMatchObject({
      verificationUri: `${idp.issuer}/devicelogin`,
      userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      interval: 1,
      message: expect.stringContaining(shown.userCode),
    });
    // With no interval MSAL would poll in a tight loop: hundreds of requests instead of about one a second.
    const polls = idp.tokenRequests() - before;
    expect(polls).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);

    // The device flow grants offline access too: the refresh token works.
    const refreshed = await app.acquireTokenSilent({ account: result?.account as AccountInfo, scopes: SCOPES, forceRefresh: true });
    expect(refreshed.account?.username).toBe(BOB);
  });

  it("reports the refusal to the polling app when the user denies consent", async () => {
    await expect(deviceCodeSignIn({ user: BOB, consent: "deny" })).rejects.toMatchObject({
      errorMessage: expect.stringContaining("access_denied"),
    });
  });
});
