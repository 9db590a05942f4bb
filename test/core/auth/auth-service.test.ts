import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { AuthService } from "../../../src/core/auth/auth-service.js";
import type { AuthState } from "../../../src/core/auth/auth-state.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { startDiscoveryOp } from "./support/discovery-op.js";
import { stopped } from "./support/e2e-harness.js";
import type { DiscoveryOp } from "./support/discovery-op.js";
import { acceptsConnections, closedPort } from "./support/servers.js";
import { createTestTls } from "./support/test-tls.js";

// Real MSAL against an OP that only publishes discovery: the browser half of sign-in never completes, which is
// exactly what the timeout, cancel and error paths need. Full sign-ins are in test/e2e.
const dir = mkdtempSync(join(tmpdir(), "entra-tray-auth-service-"));
const tls = createTestTls();
const caFile = join(dir, "ca.pem");
writeFileSync(caFile, tls.caPem);
let op: DiscoveryOp;
beforeAll(async () => {
  op = await startDiscoveryOp(tls);
});
afterAll(async () => {
  await op.close();
  rmSync(dir, { recursive: true, force: true });
});

const profileFor = (issuer: string, overrides: Partial<Profile> = {}): Profile => ({
  name: "unit", cacheSection: "unit", displayName: "Unit OP", clientId: "unit-client", scopes: ["api://demo/read"], graphUrl: `${issuer}/graph`,
  authority: { kind: "oidc", url: issuer, knownAuthority: new URL(issuer).host }, caFile, ...overrides,
});

/** An opener that remembers the URL and then cancels the sign-in: the sign-in got as far as the browser. */
function cancellingBrowser() {
  const controller = new AbortController();
  const urls: string[] = [];
  return { urls, signal: controller.signal, open: async (url: string) => {
    urls.push(url);
    controller.abort();
  } };
}

/** An opener that only remembers the URL, like a user who never finishes in the browser. */
function idleBrowser() {
  const urls: string[] = [];
  return { urls, open: async (url: string) => void urls.push(url) };
}

function record(service: AuthService): string[] {
  const states: string[] = [];
  service.on("state", (s: AuthState) => states.push(s.status === "error" ? `error:${s.error.kind}` : s.status));
  return states;
}

const loopbackPort = (authUrl: string) => Number(new URL(new URL(authUrl).searchParams.get("redirect_uri") ?? "").port);

describe("AuthService.signIn without a finished browser sign-in", () => {
  it("asks for the profile's scopes with PKCE, form_post, login_hint and prompt=consent (generic OP)", async () => {
    // The person closes the browser once it shows the page: the URL is what this test is about.
    const closed = new AbortController();
    const browser = { urls: [] as string[], open: async (url: string) => void (browser.urls.push(url), closed.abort()) };
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open });
    await expect(service.signIn({ loginHint: "alice@example.com", signal: closed.signal })).rejects.toMatchObject({ kind: "cancelled" });
    const params = new URL(browser.urls[0] ?? "").searchParams;
    expect(params.get("scope")?.split(" ").sort()).toEqual(["api://demo/read", "offline_access", "openid", "profile"]);
    expect(params.get("client_id")).toBe("unit-client");
    expect(params.get("response_mode")).toBe("form_post");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("login_hint")).toBe("alice@example.com");
    expect(params.get("prompt")).toBe("consent");
  });

  it("times out with a clear error and closes MSAL's loopback listener", async () => {
    const browser = idleBrowser();
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open });
    const states = record(service);
    const error = await stopped(service.signIn({ timeoutMs: 400 }), "at its timeout");
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind: "timeout", message: "The browser sign-in was not completed within 0.4 s." });
    expect(states).toEqual(["signingIn", "error:timeout"]);
    expect(service.state).toMatchObject({ status: "error", error: { kind: "timeout" } });
    expect(await acceptsConnections(loopbackPort(browser.urls[0] ?? ""))).toBe(false);
  });

  it("is cancelled through its AbortSignal, returns to the previous state and closes the listener", async () => {
    const controller = new AbortController();
    // Aborts once the browser is open (the next turn), as a person cancelling at the sign-in page does.
    const browser = { urls: [] as string[], open: async (url: string) => {
      browser.urls.push(url);
      setImmediate(() => controller.abort());
    } };
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open });
    const states = record(service);
    expect(await stopped(service.signIn({ signal: controller.signal }), "when its signal aborted")).toMatchObject({ kind: "cancelled" });
    expect(states).toEqual(["signingIn", "signedOut"]);
    expect(await acceptsConnections(loopbackPort(browser.urls[0] ?? ""))).toBe(false);
  });

  it("asks to pick the account again for 'another account' (login consent on a generic OP)", async () => {
    const browser = idleBrowser();
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open });
    await stopped(service.signIn({ selectAccount: true, timeoutMs: 200 }), "at its timeout");
    expect(new URL(browser.urls[0] ?? "").searchParams.get("prompt")).toBe("login consent");
  });

  it("passes the opener's own AuthError through and closes the listener", async () => {
    let port = 0;
    const refusal = new AuthError("config", "The browser could not be opened with $BROWSER (x: not found).", "Set $BROWSER.");
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: async (url) => {
      port = loopbackPort(url);
      throw refusal;
    } });
    await expect(service.signIn()).rejects.toBe(refusal);
    expect(service.state).toMatchObject({ status: "error", error: refusal });
    expect(await acceptsConnections(port)).toBe(false);
  });

  it("reports an OP that is down as unreachable, naming host and port, without opening a browser", async () => {
    const browser = idleBrowser();
    const down = `https://127.0.0.1:${await closedPort()}`;
    const service = new AuthService({ profile: profileFor(down), openBrowser: browser.open });
    const error = await service.signIn().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unreachable" });
    expect((error as AuthError).message).toBe(`${new URL(down).host} could not be reached: the connection was refused (nothing is listening there).`);
    expect(browser.urls).toEqual([]);
  });
});

describe("AuthService with endpoints saved by an earlier run", () => {
  it("a sign-in asks the identity provider for its endpoints again: a moved authorization endpoint would only show in the browser", async () => {
    const saved = new Map<string, string>();
    const store = { load: (key: string) => saved.get(key), save: (key: string, json: string) => void saved.set(key, json), remove: (key: string) => void saved.delete(key) };
    saved.set(op.issuer, JSON.stringify({ issuer: op.issuer, authorization_endpoint: `${op.issuer}/old/auth`, token_endpoint: `${op.issuer}/old/token`, jwks_uri: `${op.issuer}/jwks` }));
    const browser = cancellingBrowser();
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open, metadataCache: store });
    op.requests.length = 0;
    expect(await stopped(service.signIn({ signal: browser.signal }), "when its signal aborted")).toMatchObject({ kind: "cancelled" });
    // Discovery, then the check of the authorization request at the endpoint it named, before the browser opens.
    expect(op.requests.map((path) => path.split("?")[0])).toEqual(["/.well-known/openid-configuration", "/auth"]);
    expect(new URL(browser.urls[0] ?? "").pathname).toBe("/auth");
  });

  it("a store that cannot be read costs only the speed-up, and says so in the log", async () => {
    const lines: string[] = [];
    const store = { load: () => { throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" }); }, save: () => undefined, remove: () => undefined };
    const browser = cancellingBrowser();
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: browser.open, metadataCache: store,
      log: (level, message) => lines.push(`${level}: ${message}`) });
    expect(await stopped(service.signIn({ signal: browser.signal }), "when its signal aborted")).toMatchObject({ kind: "cancelled" });
    expect(browser.urls).toHaveLength(1);
    expect(lines).toContainEqual(expect.stringMatching(/^warning: unit: the saved endpoints of 127\.0\.0\.1:\d+ cannot be read \(.*EACCES/));
  });
});

describe("AuthService without accounts", () => {
  it("getToken says a sign-in is needed", async () => {
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: idleBrowser().open });
    const states = record(service);
    await expect(service.getToken()).rejects.toMatchObject({ kind: "interactionRequired", message: "No account is signed in to Unit OP." });
    expect(states).toEqual(["error:interactionRequired"]);
  });

  it("lists none, signs out of nothing, has no claims and refuses to switch to a stranger", async () => {
    const service = new AuthService({ profile: profileFor(op.issuer), openBrowser: idleBrowser().open });
    expect(await service.accounts()).toEqual([]);
    expect(await service.signOut()).toEqual({});
    expect(await service.idTokenClaims()).toBeUndefined();
    expect(await service.loadAccounts()).toEqual({ status: "signedOut" });
    await expect(service.switchAccount("nobody")).rejects.toMatchObject({ kind: "interactionRequired" });
  });
});

describe("AuthService with a broken profile", () => {
  it("stays alive in the error state and fails each call with the same config error", async () => {
    const service = new AuthService({ profile: profileFor(op.issuer, { caFile: join(dir, "absent.pem") }) });
    expect(service.state).toMatchObject({ status: "error", error: { kind: "config" } });
    const error = await service.signIn().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "config", message: expect.stringContaining("absent.pem cannot be read") });
    await expect(service.accounts()).rejects.toBe(error);
  });
});
