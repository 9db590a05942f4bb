import { describe, expect, it } from "vitest";
import { refusalIn } from "../../../src/core/auth/authorization-probe.js";
import { authorizationRefused } from "../../../src/core/auth/error-mapping.js";

// The shapes of the answers an authorization endpoint gives; the demo IdP's own refusal is in test/e2e/auth-failures.
const URL_ = "https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize?client_id=x&redirect_uri=http%3A%2F%2Flocalhost%3A5000";
const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const answer = (status: number, body: string) => ({ status, headers: {}, body: Buffer.from(body) });
const context = { authorityHost: "login.microsoftonline.com", clientId: CLIENT_ID, operation: "sign-in" };

// Entra's error page keeps its message in the page's $Config script (as its own sign-in scripts read it).
const entraPage = (code: string, text: string) =>
  `<html><script>$Config={"iErrorCode":${code.slice(6)},"strServiceExceptionMessage":"${code}: ${text}\\r\\nTrace ID: 0000aaaa-11bb"};</script></html>`;

describe("refusalIn", () => {
  it("reads Entra's AADSTS code and message from its error page, whatever its status", () => {
    for (const status of [200, 400]) {
      expect(refusalIn(URL_, answer(status, entraPage("AADSTS700016", "Application with identifier 'x' was not found in the directory 'contoso'."))))
        .toEqual({ host: "login.microsoftonline.com", status, error: "AADSTS700016", description: "Application with identifier 'x' was not found in the directory 'contoso'." });
    }
  });

  it("keeps Entra's message without the spaces around it", () => {
    expect(refusalIn(URL_, answer(200, entraPage("AADSTS50011", "The redirect URI does not match.  "))))
      .toEqual({ host: "login.microsoftonline.com", status: 200, error: "AADSTS50011", description: "The redirect URI does not match." });
  });

  it("reads an OAuth error from a JSON answer, and from the text of an error page", () => {
    expect(refusalIn(URL_, answer(400, JSON.stringify({ error: "unauthorized_client", error_description: "not allowed" }))))
      .toMatchObject({ status: 400, error: "unauthorized_client", description: "not allowed" });
    expect(refusalIn(URL_, answer(400, JSON.stringify({ error: "invalid_request", error_description: 42 }))))
      .toEqual({ host: "login.microsoftonline.com", status: 400, error: "invalid_request" });
    expect(refusalIn(URL_, answer(400, "<pre><strong>error</strong>: invalid_redirect_uri</pre>"))).toMatchObject({ error: "invalid_redirect_uri" });
  });

  it("leaves to the browser a redirect, a sign-in page, and an error page that names no code", () => {
    expect(refusalIn(URL_, answer(302, ""))).toBeUndefined();
    expect(refusalIn(URL_, answer(200, "<form><input name=invalid_request_hint></form>"))).toBeUndefined();
    // A sign-in page may name error codes in its own scripts: only an error status makes them a refusal.
    expect(refusalIn(URL_, answer(200, "<script>if (answer.error === 'access_denied') showDeclined();</script>"))).toBeUndefined();
    expect(refusalIn(URL_, answer(403, "<h1>Access denied by the firewall</h1>"))).toBeUndefined();
  });
});

describe("authorizationRefused", () => {
  it("names the client id or the redirect URI that the identity provider does not accept, with the fix", () => {
    expect(authorizationRefused({ host: "idp", status: 400, error: "AADSTS700016", description: "Application not found" }, context))
      .toMatchObject({ kind: "config", message: `idp does not accept the client id ${CLIENT_ID} (AADSTS700016).`, action: expect.stringMatching(/^Check the profile's clientId/) });
    expect(authorizationRefused({ host: "idp", status: 400, error: "AADSTS50011" }, context))
      .toMatchObject({ kind: "config", message: `idp does not accept the redirect URI http://localhost for the app ${CLIENT_ID} (AADSTS50011).` });
    expect(authorizationRefused({ host: "idp", status: 400, error: "invalid_redirect_uri" }, context).action).toMatch(/Mobile and desktop applications/);
  });

  it("reads Entra's code from the description of an OAuth error too", () => {
    expect(authorizationRefused({ host: "idp", status: 400, error: "invalid_request", description: "AADSTS50011: The redirect URI 'http://localhost:5000' does not match." }, context))
      .toMatchObject({ kind: "config", message: `idp does not accept the redirect URI http://localhost for the app ${CLIENT_ID} (AADSTS50011).` });
  });

  it("passes any other refusal on as a configuration error with the identity provider's own code and words", () => {
    const fix = "Check the profile's clientId and authority, and that the app registration is a public client with redirect URI http://localhost.";
    expect(authorizationRefused({ host: "idp", status: 400, error: "invalid_request", description: "response_type not supported" }, context))
      .toMatchObject({ kind: "config", message: `idp refused the sign-in request for the app ${CLIENT_ID} (invalid_request: response_type not supported).`, action: fix });
    expect(authorizationRefused({ host: "idp", status: 400, error: "unsupported_response_type" }, context))
      .toMatchObject({ kind: "config", message: `idp refused the sign-in request for the app ${CLIENT_ID} (unsupported_response_type).`, action: fix });
    // Refusals that mean something else after a sign-in (a declined consent) are still the profile's here.
    expect(authorizationRefused({ host: "idp", status: 400, error: "access_denied" }, context))
      .toMatchObject({ kind: "config", message: `idp refused the sign-in request for the app ${CLIENT_ID} (access_denied).` });
  });
});
