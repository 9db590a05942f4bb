import { describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import type { DeviceCodeInfo } from "../../src/core/auth/device-code-run.js";
import type { AuthState } from "../../src/core/auth/auth-state.js";
import { demoProfile, SecretWatch } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// Device-code sign-in: the app shows a code, the person enters it in a browser elsewhere (Chromium here).
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const watch = new SecretWatch();

const noBrowser = async () => {
  throw new Error("The device-code flow must not open a browser.");
};
const serviceFor = (overrides: Parameters<typeof demoProfile>[1] = {}) =>
  new AuthService({ profile: demoProfile(env().idp, overrides), openBrowser: noBrowser, log: watch.log, cachePlugin: watch.cachePlugin });

describe("device-code sign-in", () => {
  it("signs bob in with the code entered in a browser, then serves tokens silently", async () => {
    const bob = env().user(1);
    const service = serviceFor();
    const states: string[] = [];
    service.on("state", (s: AuthState) => states.push(s.status));
    let entered: Promise<void> | undefined;
    let shown: DeviceCodeInfo | undefined;
    const account = await service.signInWithDeviceCode({
      onCode: (info) => {
        shown = info;
        entered = browser().completeDeviceCode(info.verificationUri, info.userCode, { user: bob.username });
      },
      timeoutMs: 30_000,
    });
    await entered;
    expect(account).toMatchObject({ username: bob.username, homeAccountId: bob.sub });
    expect(shown?.verificationUri.startsWith(env().idp.issuer)).toBe(true);
    expect(shown?.message).toContain(shown?.userCode ?? "?");
    expect(shown?.expiresOn.getTime()).toBeGreaterThan(Date.now());
    expect(states).toEqual(["signingIn", "signedIn"]);
    const before = env().idp.tokenRequests();
    const token = await service.getToken();
    expect(token.account.username).toBe(bob.username);
    expect(env().idp.tokenRequests()).toBe(before);
  });

  it("a new service on the same persistent cache finds bob again and needs no sign-in", async () => {
    const restarted = serviceFor();
    expect(restarted.state.status).toBe("signedOut");
    const state = await restarted.loadAccounts();
    expect(state).toMatchObject({ status: "signedIn", account: { username: env().user(1).username } });
    const before = env().idp.tokenRequests();
    await restarted.getToken();
    expect(env().idp.tokenRequests()).toBe(before);
  });

  it("is cancelled through its AbortSignal while waiting for the user", async () => {
    const service = serviceFor();
    const controller = new AbortController();
    const error = await service.signInWithDeviceCode({ onCode: () => controller.abort(), signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "cancelled" });
    expect(service.state.status).toBe("signedOut");
  });

  it("times out when nobody enters the code", async () => {
    const service = serviceFor();
    const error = await service.signInWithDeviceCode({ onCode: () => undefined, timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "timeout", message: "The device code sign-in was not completed within 1.5 s." });
  });

  it("an unknown client id is a config error that names it, and shows no code", async () => {
    const service = serviceFor({ clientId: "no-such-client" });
    let shown = false;
    const error = await service.signInWithDeviceCode({ onCode: () => (shown = true) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "config", message: expect.stringContaining("does not accept the client id no-such-client") });
    expect(shown).toBe(false);
    expect(service.state).toMatchObject({ status: "error", error: { kind: "config" } });
  });

  it("logged nothing secret", () => {
    watch.expectNothingSecretLogged();
  });
});
