import { describe, expect, it } from "vitest";
import { findCachedAccessToken, type CachedTokenQuery } from "../../../src/core/cache/cached-access-token.js";

// Entries shaped as MSAL Node 7 serializes them (copied from a demo-IdP sign-in, secrets replaced). The end-to-end
// check that the answer equals MSAL's own is test/e2e/cli-cached-token.test.ts; here, each case where MSAL would
// refresh, ask or choose, so the lookup must step aside.
const NOW = 1_800_000_000;
const HOME = "0b8f4c3e-6a1d-4f27-b5e9-2c7d9a1e4f60";
const REALM = "6f1c2a4e-3d7b-4c59-9a0e-5b8d2f71c3e4";
const CLIENT = "3c5d8f0a-9b2e-4d71-a6c4-e8f19b27d053";
const ENV = "localhost:40245";

const account = { home_account_id: HOME, environment: ENV, realm: REALM, local_account_id: HOME, username: "alice@demo.entra-tray.test", authority_type: "Generic", name: "Alice Martin" };
const accessToken = (extra: Record<string, unknown> = {}) => ({
  home_account_id: HOME, environment: ENV, credential_type: "AccessToken", client_id: CLIENT, secret: "the-token", realm: REALM,
  target: "User.Read", cached_at: String(NOW - 60), expires_on: String(NOW + 3600), extended_expires_on: String(NOW + 3600), token_type: "Bearer", ...extra,
});
const section = (...tokens: Record<string, unknown>[]) => ({
  Account: { [`${HOME}-${ENV}-${REALM}`]: account },
  AccessToken: Object.fromEntries(tokens.map((token, i) => [`key-${i}`, token])),
});
const query: CachedTokenQuery = { homeAccountId: HOME, clientId: CLIENT, environment: ENV, scopes: ["User.Read"], minValiditySec: 300, nowSec: NOW };

describe("finding a cached access token as MSAL would", () => {
  it("serves the one matching Bearer token with its expiry, scopes and account", () => {
    expect(findCachedAccessToken(section(accessToken({ target: "User.Read openid User.Read" })), { ...query, scopes: ["user.read"] })).toEqual({
      accessToken: "the-token",
      tokenType: "Bearer",
      expiresOn: new Date((NOW + 3600) * 1000),
      scopes: ["User.Read", "openid"],
      account: { homeAccountId: HOME, username: account.username, name: account.name, tenantId: REALM },
    });
  });

  it("with only OIDC scopes asked for, serves a token whose target holds openid and profile", () => {
    expect(findCachedAccessToken(section(accessToken({ target: "openid profile offline_access" })), { ...query, scopes: [] })?.accessToken).toBe("the-token");
    expect(findCachedAccessToken(section(accessToken({ target: "openid" })), { ...query, scopes: [] })).toBeUndefined();
  });

  it.each([
    ["within MSAL's 300 s renewal offset", accessToken({ expires_on: String(NOW + 290) }), query],
    ["with less left than --min-valid", accessToken(), { ...query, minValiditySec: 3600 }],
    ["due for its proactive refresh", accessToken({ refresh_on: String(NOW - 1) }), query],
    ["with a refresh time that is not a number", accessToken({ refresh_on: "soon" }), query],
    ["cached after now (the clock went back)", accessToken({ cached_at: String(NOW + 10) }), query],
    ["not covering the scopes asked for", accessToken(), { ...query, scopes: ["Mail.Read"] }],
    ["of another app", accessToken({ client_id: "other" }), query],
    ["from another authority", accessToken(), { ...query, environment: "login.example.com" }],
    ["of another realm than the account's", accessToken({ realm: "other" }), query],
    ["bound to a key (PoP)", accessToken({ credential_type: "AccessToken_With_AuthScheme", token_type: "pop", key_id: "k" }), query],
    ["bound to requested claims", accessToken({ requested_claims_hash: "h" }), query],
    ["with no expiry", accessToken({ expires_on: undefined }), query],
  ])("steps aside for a token %s", (_case, token, asked) => {
    expect(findCachedAccessToken(section(token), asked)).toBeUndefined();
  });

  it("steps aside when two tokens match (MSAL drops both and refreshes) or the account is not in the section", () => {
    expect(findCachedAccessToken(section(accessToken(), accessToken({ target: "User.Read Mail.Read" })), query)).toBeUndefined();
    expect(findCachedAccessToken({ AccessToken: section(accessToken()).AccessToken }, query)).toBeUndefined();
  });
});
