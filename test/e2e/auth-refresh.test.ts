import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import type { AuthState } from "../../src/core/auth/auth-state.js";
import { requestJson } from "../../src/core/net/https-request.js";
import { demoProfile, ScriptedBrowser, SecretWatch } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv } from "./support/demo-env.js";

// Access tokens that live 4 s: what happens when the cached one has expired.
const TTL_SEC = 4;
const env = useDemoEnv({ accessTokenTtlSec: TTL_SEC });
const browser = useDemoBrowser(env);
const watch = new SecretWatch();
const acts = new ScriptedBrowser();
let service: AuthService;

beforeAll(async () => {
  service = new AuthService({ profile: demoProfile(env().idp), openBrowser: acts.open, log: watch.log, cachePlugin: watch.cachePlugin });
});

const until = (date: Date) => new Promise((resolve) => setTimeout(resolve, Math.max(0, date.getTime() - Date.now()) + 200));

describe("refresh after the access token expires", () => {
  it("gets a new token with the refresh token, going through 'refreshing', and warns that the IdP's tokens are short", async () => {
    const username = env().user(0).username;
    const browsing = acts.will((url) => browser().completeSignIn(url, { user: username }));
    await Promise.all([service.signIn({ timeoutMs: 30_000 }), browsing]);
    const first = await service.getToken({ minValiditySec: 1 });
    await until(first.expiresOn);

    const states: string[] = [];
    service.on("state", (s: AuthState) => states.push(s.status));
    const before = env().idp.tokenRequests();
    const fresh = await service.getToken();
    expect(env().idp.tokenRequests()).toBe(before + 1);
    expect(fresh.accessToken).not.toBe(first.accessToken);
    expect(fresh.expiresOn.getTime()).toBeGreaterThan(Date.now());
    expect(fresh.account.username).toBe(username);
    expect(fresh.warning).toMatch(new RegExp(`valid for [0-${TTL_SEC}] s, less than the 300 s asked for`));
    expect(states).toEqual(["refreshing", "signedIn"]);

    const me = await requestJson(`${env().idp.graphUrl}/me`, {
      method: "GET", headers: { Authorization: `Bearer ${fresh.accessToken}` }, extraCaPem: env().idp.caPem,
    });
    expect(me.status).toBe(200);
  });

  it("a scope the sign-in was not granted is named in the error, which says what to check", async () => {
    const error = await service.getToken({ scopes: ["email"] }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({
      kind: "interactionRequired",
      message: `${new URL(env().idp.issuer).host} did not grant the scope "email" to this sign-in (invalid_scope).`,
      action: expect.stringMatching(/^Sign in again to be asked for it; if the identity provider still refuses, this app may not request it/),
    });
  });

  it("logged nothing secret", () => {
    watch.expectNothingSecretLogged();
  });
});
