import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import type { AuthState } from "../../src/core/auth/auth-state.js";
import { demoProfile, ScriptedBrowser, SecretWatch, stopped } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// The state the service shows while operations queue up behind each other: a sign-in owns `signingIn` only once
// its turn comes, and what follows a cancelled sign-in is decided by the active account at that moment.
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const watch = new SecretWatch();
const acts = new ScriptedBrowser();
let service: AuthService;
const states: string[] = [];

beforeAll(async () => {
  service = new AuthService({ profile: demoProfile(env().idp), openBrowser: acts.open, log: watch.log, cachePlugin: watch.cachePlugin });
  service.on("state", (s: AuthState) => states.push(s.status === "error" ? `error:${s.error.kind}` : s.status));
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: env().user(0).username }));
  await Promise.all([service.signIn({ timeoutMs: 30_000 }), browsing]);
});

describe("auth state while operations queue", () => {
  it("a browser sign-in shows signingIn only when it starts, after a token request queued before it", async () => {
    states.length = 0;
    const controller = new AbortController();
    const browsing = acts.will(async () => controller.abort());
    const refreshed = service.getToken({ forceRefresh: true });
    const signIn = stopped(service.signIn({ signal: controller.signal, timeoutMs: 30_000 }), "when its signal aborted");
    const [token, error] = await Promise.all([refreshed, signIn, browsing]);
    expect(token.account.username).toBe(env().user(0).username);
    expect(error).toMatchObject({ kind: "cancelled" });
    expect(states).toEqual(["refreshing", "signedIn", "signingIn", "signedIn"]);
  });

  it("a device-code sign-in too", async () => {
    states.length = 0;
    const controller = new AbortController();
    const refreshed = service.getToken({ forceRefresh: true });
    const signIn = stopped(service.signInWithDeviceCode({ onCode: () => controller.abort(), signal: controller.signal }), "when its signal aborted");
    const [, error] = await Promise.all([refreshed, signIn]);
    expect(error).toMatchObject({ kind: "cancelled" });
    expect(states).toEqual(["refreshing", "signedIn", "signingIn", "signedIn"]);
  });

  it("a cancelled sign-in shows what the active account implies now, not what was shown when it was asked for", async () => {
    const controller = new AbortController();
    const browsing = acts.will(async () => controller.abort());
    const signedOut = service.signOut({ openBrowser: false });
    const signIn = stopped(service.signIn({ signal: controller.signal, timeoutMs: 30_000 }), "when its signal aborted");
    const [, error] = await Promise.all([signedOut, signIn, browsing]);
    expect(error).toMatchObject({ kind: "cancelled" });
    expect(service.activeAccount).toBeUndefined();
    expect(service.state).toEqual({ status: "signedOut" });
  });

  it("logged nothing secret", () => {
    watch.expectNothingSecretLogged();
  });
});
