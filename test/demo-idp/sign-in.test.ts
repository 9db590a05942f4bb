import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ResponseMode } from "@azure/msal-node";
import type { AccountInfo, AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT } from "jose";
import type { JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoBrowser } from "../e2e/support/demo-browser.js";
import type { SignInHow } from "../e2e/support/demo-browser.js";
import { launchDemoChromium } from "../e2e/support/demo-browser-steps.mjs";
import { useDemoEnv } from "../e2e/support/demo-env.js";
import { httpsRequest } from "./https-client.js";
import { msalAppFor } from "./msal-app.js";

const ALICE = "alice@demo.entra-tray.test";
const BOB = "bob@demo.entra-tray.test";
const SCOPES = ["User.Read"];

const env = useDemoEnv();
let browser: DemoBrowser;
let app: PublicClientApplication;
let alice: AuthenticationResult;

beforeAll(async () => {
  browser = await DemoBrowser.launch(env().idp);
  app = msalAppFor(env().idp);
  alice = await signIn({ user: ALICE });
});
afterAll(async () => {
  await browser?.close();
});

function signIn(how: SignInHow, request: { prompt?: string; loginHint?: string } = {}): Promise<AuthenticationResult> {
  return app.acquireTokenInteractive({
    scopes: SCOPES,
    ...request,
    openBrowser: (url) => browser.completeSignIn(url, how),
  });
}

const graph = (path: string, token: string) =>
  httpsRequest(`${env().idp.graphUrl}${path}`, { ca: env().idp.caPem, headers: { authorization: `Bearer ${token}` } });

describe("sign-in with MSAL Node against the demo IdP", () => {
  it("completes auth code + PKCE in Chromium and returns Entra-like ID token claims", () => {
    const { idp } = env();
    expect(alice.account).toMatchObject({
      username: ALICE,
      name: "Alice Martin",
      homeAccountId: idp.users[0]?.sub,
      loginHint: expect.any(String),
    });
    expect(alice.idTokenClaims).toMatchObject({
      iss: idp.issuer,
      aud: idp.clientId,
      name: "Alice Martin",
      preferred_username: ALICE,
      email: ALICE,
      given_name: "Alice",
      family_name: "Martin",
      login_hint: alice.account?.loginHint,
      tid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The login_hint claim is opaque, as Entra's is.
    expect(alice.account?.loginHint).not.toContain("alice");
  });

  it("issues a JWT access token (RFC 9068) for the demo Graph carrying User.Read", () => {
    const { idp } = env();
    expect(decodeProtectedHeader(alice.accessToken)).toMatchObject({ typ: "at+jwt", alg: "ES256" });
    expect(decodeJwt(alice.accessToken)).toMatchObject({
      iss: idp.issuer,
      aud: `${idp.issuer}/graph`,
      sub: idp.users[0]?.sub,
      client_id: idp.clientId,
      scope: "User.Read",
    });
    expect(alice.scopes).toEqual(["User.Read"]);
  });

  it("serves a cached token without calling the IdP, and refreshes with the refresh token", async () => {
    const { idp } = env();
    const account = alice.account as AccountInfo;
    const before = idp.tokenRequests();

    const cached = await app.acquireTokenSilent({ account, scopes: SCOPES });
    expect(cached.accessToken).toBe(alice.accessToken);
    expect(idp.tokenRequests()).toBe(before);

    const refreshed = await app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(idp.tokenRequests()).toBe(before + 1);
    expect(refreshed.accessToken).not.toBe(alice.accessToken);
    expect(refreshed.account?.username).toBe(ALICE);
  });

  it("demo Graph answers /me and the photo for the token's user", async () => {
    const me = await graph("/me", alice.accessToken);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body.toString("utf8"))).toMatchObject({
      id: env().idp.users[0]?.sub,
      displayName: "Alice Martin",
      givenName: "Alice",
      surname: "Martin",
      mail: ALICE,
      userPrincipalName: ALICE,
      jobTitle: "Platform Engineer",
      officeLocation: expect.any(String),
      mobilePhone: expect.any(String),
      preferredLanguage: "fr-FR",
      businessPhones: [expect.any(String)],
    });

    const photo = await graph("/me/photo/$value", alice.accessToken);
    expect(photo.status).toBe(200);
    expect(photo.headers["content-type"]).toBe("image/png");
    expect(photo.body.subarray(1, 4).toString("ascii")).toBe("PNG");
  });

  describe("demo Graph refuses tokens it must not accept", () => {
    const claims = () => decodeJwt(alice.accessToken);
    const realKey = async () => {
      const jwk = JSON.parse(await readFile(join(env().home, "demo-idp", "signing-key.jwk.json"), "utf8")) as JWK;
      return { key: await importJWK(jwk, "ES256"), kid: jwk.kid as string };
    };
    const sign = (payload: Record<string, unknown>, key: Parameters<SignJWT["sign"]>[0], kid: string) =>
      new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid }).sign(key);

    it.each([
      ["a token signed by another key", async () => {
        const { privateKey } = await generateKeyPair("ES256");
        return sign(claims(), privateKey, (await realKey()).kid);
      }, /signature verification failed/],
      ["an expired token", async () => {
        const { key, kid } = await realKey();
        const now = Math.floor(Date.now() / 1000);
        return sign({ ...claims(), iat: now - 7200, exp: now - 3600 }, key, kid);
      }, /expired/],
      ["a token for another audience", async () => {
        const { key, kid } = await realKey();
        return sign({ ...claims(), aud: "https://graph.microsoft.com" }, key, kid);
      }, /"aud"/],
      ["a token that is not a JWT", async () => "not-a-token", /Invalid Compact JWS/],
    ])("401 with WWW-Authenticate for %s", async (_name, makeToken, reason) => {
      const answer = await graph("/me", await makeToken());
      expect(answer.status).toBe(401);
      expect(answer.headers["www-authenticate"]).toMatch(/^Bearer realm="demo-graph", error="invalid_token"/);
      const { error } = JSON.parse(answer.body.toString("utf8")) as { error: { code: string; message: string } };
      expect(error.code).toBe("InvalidAuthenticationToken");
      expect(error.message).toMatch(reason);
    });

    it("401 without a bearer token", async () => {
      const answer = await httpsRequest(`${env().idp.graphUrl}/me`, { ca: env().idp.caPem });
      expect(answer.status).toBe(401);
      expect(answer.headers["www-authenticate"]).toContain('error="invalid_request"');
    });

    it("403 when the token lacks User.Read", async () => {
      const { key, kid } = await realKey();
      const answer = await graph("/me", await sign({ ...claims(), scope: "Mail.Read" }, key, kid));
      expect(answer.status).toBe(403);
      expect(answer.headers["www-authenticate"]).toContain('error="insufficient_scope", scope="User.Read"');
    });
  });

  it("prompt=select_account shows the sign-in page despite the session, so another user can sign in", async () => {
    // The browser holds Alice's session: without the login page, this sign-in would come back as Alice.
    const bob = await signIn({ user: BOB }, { prompt: "select_account" });
    expect(bob.account?.username).toBe(BOB);
    expect((await app.getAllAccounts()).map((a) => a.username).sort()).toEqual([ALICE, BOB]);

    const photo = await graph("/me/photo/$value", bob.accessToken);
    expect(photo.status).toBe(404);
    expect(JSON.parse(photo.body.toString("utf8"))).toMatchObject({ error: { code: "ImageNotFound" } });
    expect((await graph("/me", bob.accessToken)).status).toBe(200);
  });

  it("answers access_denied to the app when the user denies consent", async () => {
    await expect(signIn({ user: ALICE, consent: "deny" }, { prompt: "select_account" })).rejects.toMatchObject({
      errorCode: "access_denied",
    });
  });

  it("shows an error for a wrong password, which the harness reports", async () => {
    await expect(signIn({ user: ALICE, password: "wrong" }, { prompt: "select_account" })).rejects.toThrow(
      `The demo IdP refused the sign-in as ${ALICE}: Wrong password. Try again.`,
    );
  });

  it("shows an error page to the person when the app's client id is unknown", async () => {
    const stranger = msalAppFor({ ...env().idp, clientId: "00000000-0000-0000-0000-000000000000" });
    await expect(
      stranger.acquireTokenInteractive({ scopes: SCOPES, openBrowser: (url) => browser.completeSignIn(url, { user: ALICE }) }),
    ).rejects.toThrow("The demo IdP showed an error page: client is invalid (invalid_client)");
  });

  it("prefills the sign-in page from login_hint, whether a username or the opaque login_hint claim", async () => {
    const chromium = await launchDemoChromium({ caPem: env().idp.caPem });
    try {
      for (const [hint, expected] of [[alice.account?.loginHint as string, ALICE], [BOB, BOB]]) {
        const url = await app.getAuthCodeUrl({
          scopes: SCOPES,
          redirectUri: "http://localhost:45999",
          responseMode: ResponseMode.FORM_POST,
          codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          codeChallengeMethod: "S256",
          loginHint: hint,
        });
        const page = await chromium.context.newPage();
        await page.goto(url);
        expect(await page.getAttribute("body", "data-page")).toBe("login");
        expect(await page.inputValue("input[name=login]")).toBe(expected);
        await page.close();
      }
    } finally {
      await chromium.close();
    }
  });

  it("fails the next refresh with invalid_grant once the user's sessions are revoked", async () => {
    const account = (await app.getAllAccounts()).find((a) => a.username === ALICE) as AccountInfo;
    await env().idp.revokeRefreshTokens(ALICE);

    await expect(app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true })).rejects.toMatchObject({
      errorCode: "invalid_grant",
    });
    // Other users keep their sessions.
    const bobAccount = (await app.getAllAccounts()).find((a) => a.username === BOB) as AccountInfo;
    await expect(app.acquireTokenSilent({ account: bobAccount, scopes: SCOPES, forceRefresh: true })).resolves.toBeTruthy();
  });
});
