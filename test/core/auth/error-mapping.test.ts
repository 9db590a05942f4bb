import { AuthError as MsalAuthError, ClientAuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError }
  from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import type { AuthErrorKind } from "../../../src/core/errors/auth-error.js";
import { cancelledError, discoveryAnswerError, identityProviderTimedOut, timeoutError, toAuthError } from "../../../src/core/auth/error-mapping.js";
import { sanitize } from "../../../src/core/errors/sanitize.js";
import type { NetworkObservation } from "../../../src/core/auth/msal-network.js";
import { TransportError } from "../../../src/core/net/https-request.js";

const HOST = "contoso.ciamlogin.com";
const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const map = (thrown: unknown, observation?: NetworkObservation) =>
  toAuthError(thrown, { authorityHost: HOST, clientId: CLIENT_ID, operation: "sign-in", ...(observation ? { observation } : {}) });

const tls = new TransportError("tls", "idp.example:8443", "the certificate is signed by an authority this machine does not trust", "SELF_SIGNED_CERT_IN_CHAIN");
const refused = new TransportError("refused", "127.0.0.1:9", "the connection was refused (nothing is listening there)", "ECONNREFUSED");
const dns = new TransportError("dns", "nowhere.example", "the host name could not be resolved", "ENOTFOUND");
const slow = new TransportError("timeout", "idp.example", "no answer within 30 s", "ETIMEDOUT");
const reset = new TransportError("reset", "idp.example", "the connection was reset", "ECONNRESET");
const other = new TransportError("other", "idp.example", "the socket hung up", "EPIPE");
const endpoints = new ClientAuthError("endpoints_resolution_error", "");
const network = new ClientAuthError("network_error", "");

const table: Array<[string, unknown, NetworkObservation | undefined, AuthErrorKind, RegExp]> = [
  ["endpoints_resolution_error caused by TLS", endpoints, { transportFailure: tls }, "unreachable",
    /^The TLS \/ certificate check for idp\.example:8443 failed: the certificate is signed by an authority/],
  ["endpoints_resolution_error, connection refused", endpoints, { transportFailure: refused }, "unreachable",
    /^127\.0\.0\.1:9 could not be reached: the connection was refused/],
  ["network_error at the token endpoint, DNS", network, { transportFailure: dns }, "unreachable", /^nowhere\.example could not be reached: the host name/],
  ["network_error, timeout", network, { transportFailure: slow }, "unreachable", /no answer within 30 s/],
  ["a bare transport error", refused, undefined, "unreachable", /^127\.0\.0\.1:9 could not be reached/],
  ["a connection reset", reset, undefined, "unreachable", /connection was reset/],
  ["another transport failure", other, undefined, "unreachable", /socket hung up/],
  ["an OAuth error after a failed connection attempt", new ServerError("invalid_grant", "", "grant expired"), { transportFailure: refused },
    "interactionRequired", /\(invalid_grant\)/],
  ["an OAuth error with an HTTP error status", new ServerError("invalid_client", ""), { unexpectedAnswer: { host: HOST, status: 401 } },
    "config", /does not accept the client id/],
  ["an error without a code while a connection failed", new Error("fetch failed"), { transportFailure: refused }, "unreachable",
    /^127\.0\.0\.1:9 could not be reached/],
  ["an error without a code after an HTTP 404", new Error("bad answer"), { unexpectedAnswer: { host: HOST, status: 404 } }, "config",
    /answered HTTP 404 at one of the endpoints/],
  ["openid_config_error", new ClientAuthError("openid_config_error", ""), {}, "config", /issuer or endpoints do not match/],
  ["an HTTP 500 without an OAuth error", network, { unexpectedAnswer: { host: HOST, status: 500 } }, "unreachable", /answered HTTP 500 \(a failure/],
  ["network_error with nothing observed", network, undefined, "unreachable", /^contoso\.ciamlogin\.com could not be reached\.$/],
  ["discovery answered 404", endpoints, { discoveryAnswer: { host: HOST, status: 404 } }, "config",
    /answered HTTP 404 when asked for its OpenID configuration, so the authority URL looks wrong/],
  ["discovery document unusable (issuer mismatch)", endpoints, {}, "config", /issuer or endpoints do not match/],
  ["a post answered 404 without an OAuth error (a saved endpoint gone)", network, { unexpectedAnswer: { host: HOST, status: 404 } }, "config",
    /^contoso\.ciamlogin\.com answered HTTP 404 at one of the endpoints its OpenID configuration names\.$/],
  ["a proxy's 502 page", network, { unexpectedAnswer: { host: HOST, status: 502 } }, "unreachable", /answered HTTP 502 \(a failure at the identity provider/],
  ["insecure authority", new ClientConfigurationError("authority_uri_insecure", ""), undefined, "config", /\(authority_uri_insecure\)/],
  ["invalid_client", new ServerError("invalid_client", "", "client authentication failed"), undefined, "config",
    new RegExp(`does not accept the client id ${CLIENT_ID} \\(invalid_client\\)`)],
  ["unauthorized_client", new ServerError("unauthorized_client", ""), undefined, "config", /does not accept the client id/],
  ["AADSTS700016 (app not found)", new ServerError("invalid_request", "", "AADSTS700016: Application with identifier 'x' was not found"),
    undefined, "config", /does not accept the client id/],
  ["Entra: public client flows not allowed (AADSTS7000218 as invalid_client)",
    new ServerError("invalid_client", "", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
    undefined, "config", new RegExp(`does not allow public client flows for the app ${CLIENT_ID} \\(AADSTS7000218\\)`)],
  ["device code: AADSTS7000218 seen on the wire only", new MsalAuthError("post_request_failed", "", "invalid_client"),
    { oauthError: { host: HOST, status: 401, error: "invalid_client", description: "AADSTS7000218: The request body must contain 'client_secret'." } },
    "config", /does not allow public client flows/],
  ["Conditional Access blocked the sign-in", new ServerError("access_denied", "", "AADSTS53003: Access has been blocked by Conditional Access policies."),
    undefined, "denied", /^contoso\.ciamlogin\.com blocked the sign-in by the tenant's policy \(AADSTS53003\)\.$/],
  ["access_denied with another AADSTS code", new ServerError("access_denied", "", "AADSTS50105: The signed in user is not assigned to a role"),
    undefined, "denied", /blocked the sign-in by the tenant's policy \(AADSTS50105\)/],
  ["consent declined", new ServerError("access_denied", "", "End-User aborted interaction"), undefined, "denied",
    /declined at contoso\.ciamlogin\.com \(consent was not given\)/],
  ["Entra consent declined", new ServerError("invalid_request", "", "AADSTS65004: User declined to consent"), undefined, "denied", /declined/],
  ["InteractionRequiredAuthError", new InteractionRequiredAuthError("no_tokens_found", ""), undefined, "interactionRequired",
    /needs you to sign in again \(no_tokens_found\)/],
  ["InteractionRequiredAuthError from another copy of msal-common (the broker's, bundled in msal-node-extensions)",
    Object.assign(new Error(""), { name: "InteractionRequiredAuthError", errorCode: "consent_required_by_broker", errorMessage: "" }),
    undefined, "interactionRequired", /needs you to sign in again \(consent_required_by_broker\)/],
  ["Entra invalid_grant", new InteractionRequiredAuthError("invalid_grant", "", "AADSTS50173: grant expired"), undefined,
    "interactionRequired", /\(invalid_grant\)/],
  ["generic OP invalid_grant arrives as ServerError", new ServerError("invalid_grant", "", "grant request is invalid"), undefined,
    "interactionRequired", /needs you to sign in again \(invalid_grant\)/],
  ["generic OP invalid_scope", new ServerError("invalid_scope", "", "requested scope is not allowed"), undefined,
    "interactionRequired", /^contoso\.ciamlogin\.com did not grant one of the requested scopes to this sign-in \(invalid_scope\)\.$/],
  ["generic OP invalid_scope naming its scopes (oidc-provider)", new ServerError("invalid_scope", ""),
    { oauthError: { host: "op.example", status: 400, error: "invalid_scope", description: "refresh token missing requested scopes", scope: "email api:read" } },
    "interactionRequired", /^op\.example did not grant the scope "email", "api:read" to this sign-in \(invalid_scope\)\.$/],
  ["generic OP invalid_scope naming no scope in its scope field", new ServerError("invalid_scope", ""),
    { oauthError: { host: "op.example", status: 400, error: "invalid_scope", scope: "" } },
    "interactionRequired", /^op\.example did not grant one of the requested scopes to this sign-in \(invalid_scope\)\.$/],
  ["Entra unknown scope", new ServerError("invalid_scope", "", "AADSTS70011: The provided value for scope is not valid"),
    undefined, "config", /does not know one of the requested scopes/],
  ["Entra unknown scope, named", new ServerError("invalid_scope", "",
    "AADSTS70011: The provided value for the input parameter 'scope' isn't valid. The scope https://example.contoso.com/activity.read isn't valid."),
  undefined, "config", /does not know the scope "https:\/\/example\.contoso\.com\/activity\.read" \(invalid_scope, AADSTS70011\)/],
  ["no account in silent request", new ClientAuthError("no_account_in_silent_request", ""), undefined, "interactionRequired", /sign in again/],
  ["device code: declined", new MsalAuthError("post_request_failed", "", "access_denied"), undefined, "denied", /declined/],
  ["device code: expired", new MsalAuthError("post_request_failed", "", "expired_token"), undefined, "timeout", /device code expired/],
  ["device code: cancelled", new ClientAuthError("device_code_polling_cancelled", ""), undefined, "cancelled", /cancelled/],
  ["device code: unknown client seen on the wire", new Error("the identity provider returned no device code"),
    { oauthError: { host: "op.example", status: 401, error: "invalid_client" } }, "config", /^op\.example does not accept the client id/],
  ["server_error", new ServerError("server_error", "", "boom"), undefined, "unreachable", /temporary failure \(server_error\)/],
  ["temporarily_unavailable", new ServerError("temporarily_unavailable", ""), undefined, "unreachable", /temporary failure/],
  ["device code: device_code_expired", new ClientAuthError("device_code_expired", ""), undefined, "timeout", /device code expired/],
  ["device code: user_timeout_reached", new ClientAuthError("user_timeout_reached", ""), undefined, "timeout", /device code expired/],
  ["a description without a code (never read for AADSTS codes)", Object.assign(new Error("odd"), { errorMessage: "AADSTS65004: declined" }),
    undefined, "unexpected", /\(AADSTS65004: declined\)\.$/],
  ["an error code that is not a string", Object.assign(new Error("odd"), { errorCode: 42, errorMessage: 7 }), undefined, "unexpected",
    /unexpectedly \(odd\)\.$/],
  ["a thrown null", null, undefined, "unexpected", /\(null\)\.$/],
  ["state mismatch", new ClientAuthError("state_mismatch", ""), undefined, "unexpected", /^The sign-in failed unexpectedly \(state_mismatch: /],
  ["a plain Error", new Error("listen EADDRINUSE 127.0.0.1"), undefined, "unexpected", /unexpectedly \(listen EADDRINUSE 127\.0\.0\.1\)\.$/],
  ["a thrown string", "weird", undefined, "unexpected", /\(weird\)/],
];

describe("toAuthError", () => {
  it.each(table)("%s", (_name, thrown, observation, kind, message) => {
    const error = map(thrown, observation);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    // One sentence each, and an action that says what to do.
    expect(error.message).toMatch(/\.$/);
    expect(error.message.split(/\.\s+[A-Z]/)).toHaveLength(1);
    expect(error.action.length).toBeGreaterThan(10);
    // What MSAL (or the network) said stays attached for the log.
    if (kind !== "cancelled") expect(error.cause).toBeDefined();
  });

  it("passes an AuthError through untouched", () => {
    const original = new AuthError("config", "Bad.", "Fix it.");
    expect(map(original)).toBe(original);
  });

  it("AADSTS7000218 says to allow public client flows, not to check the client id", () => {
    const error = map(new ServerError("invalid_client", "", "AADSTS7000218: The request body must contain 'client_secret'."));
    expect(error.message).not.toContain("does not accept the client id");
    expect(error.action).toBe("In the app registration (Microsoft Entra admin center > App registrations > the app > Authentication), set \"Allow public client flows\" to Yes.");
  });

  it("only a declined consent says consent was not given; a policy block names its code in the action too", () => {
    const blocked = map(new ServerError("access_denied", "", "AADSTS53003: Access has been blocked by Conditional Access policies."));
    expect(blocked.message).not.toContain("consent");
    expect(blocked.action).toContain("AADSTS53003");
    expect(blocked.action).toContain("Conditional Access");
    for (const declined of [new ServerError("access_denied", "", "End-User aborted interaction"),
      new ServerError("invalid_request", "", "AADSTS65004: User declined to consent to access the app.")]) {
      expect(map(declined).message).toContain("consent was not given");
    }
  });

  it("keeps the MSAL error as the cause", () => {
    const thrown = new ServerError("invalid_client", "");
    expect(map(thrown).cause).toBe(thrown);
  });

  it("never echoes tokens, codes or query strings from an unexpected error", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    const thrown = new Error(`failed at https://op.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz with ${jwt} and ${"r".repeat(64)}`);
    const { message } = map(thrown);
    expect(message).toContain("https://op.example/cb");
    for (const secret of ["SplxlOBeZQQYbYS6WxSbIA", "state=xyz", jwt, "eyJ", "r".repeat(64)]) expect(message).not.toContain(secret);
    expect(message).toBe("The sign-in failed unexpectedly (failed at https://op.example/cb with [token] and [redacted]).");
  });

  it("sanitize drops queries of http URLs too, unsigned tokens whole, and folds white space into one line", () => {
    expect(sanitize("at http://localhost:1234/?code=abc&state=x\n\n   then eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0 - done.")).toBe(
      "at http://localhost:1234/ then [token] - done");
    expect(sanitize("token eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.")).toBe("token [token]");
    expect(sanitize("  spaced out.  ")).toBe("spaced out");
  });
});

describe("messages the service makes itself", () => {
  it("timeout names the time allowed", () => {
    expect(timeoutError(300_000, "browser")).toMatchObject({ kind: "timeout", message: "The browser sign-in was not completed within 5 minutes." });
    expect(timeoutError(300_000, "browser").action).toMatch(/^Look at the browser: if the identity provider showed an error .*clientId.*http:\/\/localhost/);
    expect(timeoutError(1_500, "device code").message).toBe("The device code sign-in was not completed within 1.5 s.");
    expect(timeoutError(1_500, "device code").action).toBe("Start the sign-in again and finish it in the browser.");
    expect([60_000, 119_000, 120_000].map((ms) => timeoutError(ms, "browser").message.replace(/.* within /, ""))).toEqual(
      ["60 s.", "119 s.", "2 minutes."]);
  });

  it("an OpenID configuration that is not one, or an HTTP error instead", () => {
    const action = "Check the profile's authority URL (for Entra: https://<tenant>.ciamlogin.com/ or https://login.microsoftonline.com/<tenant>).";
    expect(discoveryAnswerError("idp", 200)).toMatchObject({ kind: "config", message: "idp did not answer with a usable OpenID configuration, so the authority URL looks wrong.", action });
    expect(discoveryAnswerError("idp", 399).message).toBe("idp did not answer with a usable OpenID configuration, so the authority URL looks wrong.");
    expect(discoveryAnswerError("idp", 400).message).toBe("idp answered HTTP 400 when asked for its OpenID configuration, so the authority URL looks wrong.");
    const cause = new Error("not JSON");
    expect(discoveryAnswerError("idp", 404, cause).cause).toBe(cause);
    // No cause named: none recorded (a log would show "cause: undefined").
    expect(Object.hasOwn(discoveryAnswerError("idp", 404), "cause")).toBe(false);
  });

  it("keeps the identity provider's answer as the cause of a refused redirect URI", () => {
    const refusal = new ServerError("invalid_request", "", "AADSTS50011: The redirect URI 'http://localhost:5000' does not match.");
    expect(map(refusal)).toMatchObject({ kind: "config", message: `${HOST} does not accept the redirect URI http://localhost for the app ${CLIENT_ID} (AADSTS50011).` });
    expect(map(refusal).cause).toBe(refusal);
  });

  it("tells a sign-in that ran out of time at the identity provider from one the person did not finish", () => {
    expect(identityProviderTimedOut(slow)).toBe(true);
    expect(identityProviderTimedOut(map(slow))).toBe(true);
    expect(identityProviderTimedOut(refused)).toBe(false);
    expect(identityProviderTimedOut(map(refused))).toBe(false);
    expect(identityProviderTimedOut(timeoutError(1_000, "browser"))).toBe(false);
    expect(identityProviderTimedOut(new Error("ETIMEDOUT"))).toBe(false);
  });

  it("cancelled", () => {
    expect(cancelledError()).toMatchObject({ kind: "cancelled", message: "The sign-in was cancelled." });
  });

  it("sanitize shortens long details, and only those", () => {
    expect(sanitize("x ".repeat(300))).toHaveLength(200);
    const exactly200 = `${"ab ".repeat(66)}ab`;
    expect(sanitize(exactly200)).toBe(exactly200);
  });
});
