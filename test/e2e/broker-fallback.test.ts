import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import { demoProfile, ScriptedBrowser } from "../core/auth/support/e2e-harness.js";
import { FakeBroker } from "../core/broker/support/fake-broker.js";
import { before, seconds } from "../support/bound.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// The broker cannot run on these machines, so a double typed to MSAL's INativeBrokerPlugin stands in for it: it
// hangs or fails as msal-js #8483 and #8369 describe, and the browser sign-in that takes over is real (MSAL, the
// demo IdP, Chromium). MSAL itself never falls back; AuthService does, and says so.
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
const alice = () => env().user(0);
const bob = () => env().user(1);
const POP = { method: "GET", url: "https://api.contoso.com/items" };

function serviceWith(broker?: FakeBroker) {
  const notices: string[] = [];
  const service = new AuthService({
    profile: demoProfile(env().idp), openBrowser: acts.open, onNotice: (n) => notices.push(n),
    ...(broker ? { broker, brokerTimeoutMs: 500 } : {}),
  });
  return { service, notices };
}

async function signInInBrowser(service: AuthService, username: string) {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: username }));
  const [account] = await Promise.all([service.signIn({ timeoutMs: 30_000, selectAccount: true }), browsing]);
  return account;
}

describe("when the native broker fails or hangs", () => {
  const broker = new FakeBroker();
  let service: AuthService;
  let notices: string[];
  beforeAll(() => {
    ({ service, notices } = serviceWith(broker));
  });

  it("gives up on a hanging broker, says so, and signs in in the browser", async () => {
    broker.will({ do: "hang" });
    const account = await before(seconds(20), "The sign-in did not move on from the hanging broker to the browser",
      signInInBrowser(service, alice().username));
    expect(account.username).toBe(alice().username);
    expect(broker.callsOf("acquireTokenInteractive")).toHaveLength(1);
    expect(notices).toEqual(["The native broker did not finish the sign-in within 0.5 s; continuing the sign-in in the browser."]);
  });

  it("serves that account's tokens from MSAL's cache, not the broker, and refuses PoP tokens for it", async () => {
    const token = await service.getToken();
    expect(token).toMatchObject({ tokenType: "Bearer", account: { username: alice().username } });
    expect(broker.callsOf("acquireTokenSilent")).toEqual([]);
    const requests = env().idp.tokenRequests();
    await expect(service.getToken({ pop: POP })).rejects.toMatchObject({
      kind: "brokerUnavailable",
      message: `A proof-of-possession token needs the native broker, which is not in use: ${alice().username} signed in through the browser, not the broker.`,
    });
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("falls back to the browser when the broker reports an error, naming it", async () => {
    broker.will({ do: "fail", errorCode: "platform_broker_error" });
    const account = await signInInBrowser(service, bob().username);
    expect(account.username).toBe(bob().username);
    expect(notices[1]).toMatch(/^The native broker failed \(platform_broker_error: .*\); continuing the sign-in in the browser\.$/);
  });
});

describe("without a native broker", () => {
  it("refuses a proof-of-possession token instead of handing out a Bearer one", async () => {
    const { service } = serviceWith();
    await signInInBrowser(service, alice().username);
    const requests = env().idp.tokenRequests();
    await expect(service.getToken({ pop: POP })).rejects.toMatchObject({
      kind: "brokerUnavailable",
      message: "A proof-of-possession token needs the native broker, which is not in use: Demo identity provider signs in without it.",
    });
    expect(env().idp.tokenRequests()).toBe(requests);
  });
});
