import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/core/errors/auth-error.js";
import { AuthService } from "../../src/core/auth/auth-service.js";
import type { AuthState } from "../../src/core/auth/auth-state.js";
import { acceptsConnections, closedPort } from "../core/auth/support/servers.js";
import { demoProfile, loopbackPortOf, ScriptedBrowser, SecretWatch, stopped } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// Each way a sign-in can fail, through real MSAL, the demo IdP and Chromium; every one must end in a clear
// AuthError, the error state (or the previous state for a cancel), and a closed loopback listener.
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const watch = new SecretWatch();

function serviceFor(overrides: Parameters<typeof demoProfile>[1] = {}) {
  const acts = new ScriptedBrowser();
  const service = new AuthService({ profile: demoProfile(env().idp, overrides), openBrowser: acts.open, log: watch.log });
  const states: string[] = [];
  service.on("state", (s: AuthState) => states.push(s.status === "error" ? `error:${s.error.kind}` : s.status));
  return { acts, service, states };
}

const alice = () => env().user(0).username;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as AuthError);

describe("sign-in failures", () => {
  it("declined consent is 'denied', and the listener is closed", async () => {
    const { acts, service, states } = serviceFor();
    const browsing = acts.will((url) => browser().completeSignIn(url, { user: alice(), consent: "deny" }));
    const [error] = await Promise.all([failure(service.signIn({ timeoutMs: 30_000 })), browsing]);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind: "denied", message: expect.stringContaining("declined") });
    expect(states).toEqual(["signingIn", "error:denied"]);
    expect(await acceptsConnections(loopbackPortOf(acts.lastUrl))).toBe(false);
  });

  it("an abandoned browser sign-in times out and the loopback port stops accepting connections", async () => {
    const { acts, service, states } = serviceFor();
    const browsing = acts.will((url) => browser().abandon(url));
    const started = Date.now();
    const [error] = await Promise.all([stopped(service.signIn({ timeoutMs: 2_000 }), "at its timeout"), browsing]);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ kind: "timeout", message: "The browser sign-in was not completed within 2 s." });
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(states).toEqual(["signingIn", "error:timeout"]);
    expect(await acceptsConnections(loopbackPortOf(acts.lastUrl))).toBe(false);
  });

  it("an unknown client id fails fast with the IdP's own error, before any browser opens, and the listener is closed", async () => {
    const { acts, service, states } = serviceFor({ clientId: "no-such-client" });
    // The default timeout is 5 minutes: only the IdP's refusal can end this sign-in within vitest's limit.
    const error = await failure(service.signIn());
    expect(error).toBeInstanceOf(AuthError);
    const host = new URL(env().idp.issuer).host;
    expect(error).toMatchObject({ kind: "config", message: `${host} does not accept the client id no-such-client (invalid_client).` });
    expect(error?.action).toMatch(/^Check the profile's clientId: .*redirect URI http:\/\/localhost/);
    expect(acts.urls).toEqual([]);
    expect(states).toEqual(["signingIn", "error:config"]);
  });

  it("is cancelled through its AbortSignal while the sign-in page is open", async () => {
    const { acts, service, states } = serviceFor();
    const controller = new AbortController();
    const browsing = acts.will(async (url) => {
      await browser().abandon(url);
      controller.abort();
    });
    const [error] = await Promise.all([stopped(service.signIn({ signal: controller.signal }), "when its signal aborted"), browsing]);
    expect(error).toMatchObject({ kind: "cancelled", message: "The sign-in was cancelled." });
    expect(states).toEqual(["signingIn", "signedOut"]);
    expect(await acceptsConnections(loopbackPortOf(acts.lastUrl))).toBe(false);
  });

  it("an OP that is down is 'unreachable' and the message names its host and port", async () => {
    const port = await closedPort();
    const { acts, service } = serviceFor({
      authority: { kind: "oidc", url: `https://localhost:${port}`, knownAuthority: `localhost:${port}` },
    });
    const error = await failure(service.signIn());
    expect(error).toMatchObject({ kind: "unreachable" });
    expect(error?.message).toBe(`localhost:${port} could not be reached: the connection was refused (nothing is listening there).`);
    expect(error?.action).toMatch(/identity provider is running/);
    expect(acts.urls).toEqual([]);
    expect(service.state).toMatchObject({ status: "error", error: { kind: "unreachable" } });
  });

  it("an OP whose certificate is not trusted (no caFile) fails with a TLS / certificate message naming the host", async () => {
    const { acts, service } = serviceFor({ caFile: undefined });
    const error = await failure(service.signIn());
    const host = new URL(env().idp.issuer).host;
    expect(error).toMatchObject({ kind: "unreachable" });
    expect(error?.message).toContain("TLS / certificate");
    expect(error?.message).toContain(host);
    expect(error?.action).toContain("caFile");
    expect(acts.urls).toEqual([]);
  });

  it("logged nothing secret", () => {
    watch.expectNothingSecretLogged();
  });
});
