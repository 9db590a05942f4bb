import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import type { AuthState } from "../../src/core/auth/auth-state.js";
import { requestJson } from "../../src/core/net/https-request.js";
import { acceptsConnections } from "../core/auth/support/servers.js";
import { demoProfile, loopbackPortOf, ScriptedBrowser, SecretWatch } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// Real MSAL Node against the demo IdP (oidc-provider over HTTPS on loopback), with Debian Chromium as the person
// at the browser. One IdP, one browser and one AuthService for the whole file; tests run in order and build on
// each other like a user's session: alice signs in, bob is added, tokens flow, bob is revoked, alice signs out.
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const watch = new SecretWatch();
const acts = new ScriptedBrowser();
let service: AuthService;
const states: string[] = [];

beforeAll(async () => {
  service = new AuthService({ profile: demoProfile(env().idp), openBrowser: acts.open, log: watch.log, cachePlugin: watch.cachePlugin });
  service.on("state", (s: AuthState) => states.push(s.status === "error" ? `error:${s.error.kind}` : s.status));
});

const alice = () => env().user(0);
const bob = () => env().user(1);

async function signInAs(username: string, options: { selectAccount?: boolean } = {}) {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: username }));
  const [account] = await Promise.all([service.signIn({ ...options, timeoutMs: 30_000 }), browsing]);
  return account;
}

describe("interactive sign-in (auth code + PKCE over the loopback redirect)", () => {
  it("signs alice in, leaves the loopback listener closed, and makes her the active account", async () => {
    states.length = 0;
    const account = await signInAs(alice().username);
    expect(account).toMatchObject({ homeAccountId: alice().sub, username: alice().username, name: alice().name });
    expect(service.activeAccount).toEqual(account);
    expect(states).toEqual(["signingIn", "signedIn"]);
    expect(await acceptsConnections(loopbackPortOf(acts.lastUrl))).toBe(false);
  });

  it("serves the next token from the cache without asking the IdP", async () => {
    const before = env().idp.tokenRequests();
    const first = await service.getToken();
    const second = await service.getToken();
    expect(env().idp.tokenRequests()).toBe(before);
    expect(second.accessToken).toBe(first.accessToken);
    expect(first).toMatchObject({ tokenType: "Bearer", account: { username: alice().username } });
    expect(first.scopes).toContain("User.Read");
    expect(first.expiresOn.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(first.idTokenClaims).toMatchObject({ sub: alice().sub, preferred_username: alice().username });
    expect(first.warning).toBeUndefined();
  });

  it("hands out a token the demo Graph accepts", async () => {
    const { accessToken } = await service.getToken();
    const me = await requestJson(`${env().idp.graphUrl}/me`, {
      method: "GET", headers: { Authorization: `Bearer ${accessToken}` }, extraCaPem: env().idp.caPem,
    });
    expect(me).toMatchObject({ status: 200, body: { userPrincipalName: alice().username } });
  });

  it("refreshes when the cached token would not stay valid long enough, and says the IdP's lifetime is shorter", async () => {
    const before = env().idp.tokenRequests();
    const cached = await service.getToken();
    states.length = 0;
    const fresh = await service.getToken({ minValiditySec: 7_200 });
    expect(env().idp.tokenRequests()).toBe(before + 1);
    expect(fresh.accessToken).not.toBe(cached.accessToken);
    expect(fresh.warning).toMatch(/issues access tokens valid for 3\d{3} s, less than the 7200 s asked for/);
    expect(states).toEqual(["refreshing", "signedIn"]);
  });

  it("answers concurrent token requests with one request to the IdP", async () => {
    const before = env().idp.tokenRequests();
    const results = await Promise.all([1, 2, 3, 4].map(() => service.getToken({ forceRefresh: true })));
    expect(env().idp.tokenRequests()).toBe(before + 1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
  });

  it("adds bob with 'sign in with another account' and lists both", async () => {
    const account = await signInAs(bob().username, { selectAccount: true });
    expect(account.username).toBe(bob().username);
    expect(new URL(acts.lastUrl).searchParams.get("prompt")).toContain("login");
    expect(service.activeAccount?.username).toBe(bob().username);
    expect((await service.accounts()).map((a) => a.username).sort()).toEqual([alice().username, bob().username].sort());
    const token = await service.getToken();
    expect(token.account.username).toBe(bob().username);
  });

  it("switches between the accounts and gives tokens for the active one", async () => {
    states.length = 0;
    await service.switchAccount(alice().sub);
    expect(states).toEqual(["signedIn"]);
    expect((await service.getToken()).account.username).toBe(alice().username);
    expect((await service.getToken({ account: { homeAccountId: bob().sub } })).account.username).toBe(bob().username);
    expect(await service.idTokenClaims()).toMatchObject({ sub: alice().sub, name: alice().name });
    expect(await service.idTokenClaims({ homeAccountId: bob().sub })).toMatchObject({ sub: bob().sub });
  });

  it("says sign in again once the IdP revoked an account's refresh tokens, without failing the active account", async () => {
    await env().idp.revokeRefreshTokens(bob().username);
    states.length = 0;
    const error = await service.getToken({ account: { homeAccountId: bob().sub }, forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "interactionRequired", message: expect.stringContaining("invalid_grant") });
    // bob is not the active account: alice's session is fine, so the service is not in the error state.
    expect(service.state).toMatchObject({ status: "signedIn", account: { username: alice().username } });
    expect(states).toEqual([]);
    expect((await service.getToken()).account.username).toBe(alice().username);
  });

  it("signs alice out: account gone from the cache, logout URL with hints but no ID token, IdP session ended in the browser", async () => {
    const claims = await service.idTokenClaims();
    const loginHint = claims?.login_hint;
    expect(typeof loginHint).toBe("string");
    const { logoutUrl, warning } = await service.signOut({ openBrowser: false });
    expect(warning).toBeUndefined();
    const url = new URL(logoutUrl ?? "");
    expect(url.origin).toBe(env().idp.issuer);
    // The URL is printed (`logout --no-browser`) and is the browser's argv: client_id and logout_hint only.
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "logout_hint"]);
    expect(url.searchParams.get("logout_hint")).toBe(loginHint);
    expect(url.searchParams.get("client_id")).toBe(env().idp.clientId);
    expect(logoutUrl).not.toMatch(/eyJ[\w-]+\./);
    expect((await service.accounts()).map((a) => a.username)).toEqual([bob().username]);
    expect(service.activeAccount?.username).toBe(bob().username);
    await expect(service.getToken({ account: { homeAccountId: alice().sub } })).rejects.toMatchObject({ kind: "interactionRequired" });
    await browser().completeLogout(logoutUrl ?? "");
  });

  it("signs alice in again after she signed out", async () => {
    const account = await signInAs(alice().username);
    expect(account.username).toBe(alice().username);
  });

  it("opens the logout page itself when asked to", async () => {
    const browsing = acts.will((url) => browser().completeLogout(url));
    const { logoutUrl } = await service.signOut({ account: { homeAccountId: alice().sub } });
    await browsing;
    expect(acts.lastUrl).toBe(logoutUrl);
    expect(new URL(acts.lastUrl).searchParams.has("id_token_hint")).toBe(false);
  });

  it("logged nothing secret", () => {
    expect(watch.secretCount).toBeGreaterThan(5);
    watch.expectNothingSecretLogged();
  });
});
