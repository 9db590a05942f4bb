import { AuthError as MsalAuthError, ClientAuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError }
  from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import type { AuthErrorKind } from "../../../src/core/errors/auth-error.js";
import { cancelledError, timeoutError, toAuthError } from "../../../src/core/auth/error-mapping.js";
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
    "interactionRequired", /\(invalid_scope\)/],
  ["Entra unknown scope", new ServerError("invalid_scope", "", "AADSTS70011: The provided value for scope is not valid"),
    undefined, "config", /does not know one of the requested scopes/],
  ["no account in silent request", new ClientAuthError("no_account_in_silent_request", ""), undefined, "interactionRequired", /sign in again/],
  ["device code: declined", new MsalAuthError("post_request_failed", "", "access_denied"), undefined, "denied", /declined/],
  ["device code: expired", new MsalAuthError("post_request_failed", "", "expired_token"), undefined, "timeout", /device code expired/],
  ["device code: cancelled", new ClientAuthError("device_code_polling_cancelled", ""), undefined, "cancelled", /cancelled/],
  ["device code: unknown client seen on the wire", new Error("the identity provider returned no device code"),
    { oauthError: { host: "op.example", status: 401, error: "invalid_client" } }, "config", /^op\.example does not accept the client id/],
  ["server_error", new ServerError("server_error", "", "boom"), undefined, "unreachable", /temporary failure \(server_error\)/],
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
  });
});

describe("messages the service makes itself", () => {
  it("timeout names the time allowed", () => {
    expect(timeoutError(300_000, "browser")).toMatchObject({ kind: "timeout", message: "The browser sign-in was not completed within 5 minutes." });
    expect(timeoutError(300_000, "browser").action).toMatch(/^Look at the browser: if the identity provider showed an error .*clientId.*http:\/\/localhost/);
    expect(timeoutError(1_500, "device code").message).toBe("The device code sign-in was not completed within 1.5 s.");
  });

  it("cancelled", () => {
    expect(cancelledError()).toMatchObject({ kind: "cancelled", message: "The sign-in was cancelled." });
  });

  it("sanitize shortens long details", () => {
    expect(sanitize("x ".repeat(300))).toHaveLength(200);
  });
});
