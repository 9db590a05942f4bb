import { describe, expect, it } from "vitest";
import { discoveryUrl, entraLogoutUrl, logoutUrlFor, oidcLogoutUrl } from "../../../src/core/auth/logout-url.js";
import type { Profile } from "../../../src/core/config/profile.js";

const profile = (kind: Profile["authority"]["kind"], url: string): Profile => ({
  name: "p", cacheSection: "p", displayName: "P", clientId: "11111111-2222-3333-4444-555555555555", scopes: ["User.Read"],
  graphUrl: "https://graph.microsoft.com/v1.0",
  authority: { kind, url, knownAuthority: new URL(url).host },
});

const noDiscovery = async (): Promise<unknown> => {
  throw new Error("Entra logout URLs need no discovery");
};

describe("entraLogoutUrl", () => {
  it("External ID with login_hint: tenant path added to a bare ciamlogin.com authority", () => {
    expect(entraLogoutUrl("https://contoso.ciamlogin.com/", { loginHint: "O.CiQ+hint/=" }))
      .toBe("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/logout?logout_hint=O.CiQ%2Bhint%2F%3D");
  });

  it("External ID without login_hint, tenant id in the path", () => {
    expect(entraLogoutUrl("https://contoso.ciamlogin.com/0f1e2d3c-0000-4000-8000-aabbccddeeff", {}))
      .toBe("https://contoso.ciamlogin.com/0f1e2d3c-0000-4000-8000-aabbccddeeff/oauth2/v2.0/logout");
  });

  it("Entra ID workforce, trailing /v2.0 dropped", () => {
    expect(entraLogoutUrl("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/", { loginHint: "hint" }))
      .toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/logout?logout_hint=hint");
  });

});

describe("oidcLogoutUrl", () => {
  it("carries client_id and logout_hint, never an id_token_hint, keeping the endpoint's own query", () => {
    const url = new URL(oidcLogoutUrl("https://op.example:8443/session/end?ui=1", "demo-client", { loginHint: "alice@example.com" }));
    expect(url.origin + url.pathname).toBe("https://op.example:8443/session/end");
    expect(Object.fromEntries(url.searchParams)).toEqual({ ui: "1", client_id: "demo-client", logout_hint: "alice@example.com" });
  });

  it("leaves out the hints it does not have", () => {
    expect(oidcLogoutUrl("https://op.example/logout", "c", {})).toBe("https://op.example/logout?client_id=c");
  });
});

describe("logoutUrlFor", () => {
  it("Entra kinds build the URL without the network", async () => {
    await expect(logoutUrlFor(profile("entraExternalId", "https://contoso.ciamlogin.com/"), { loginHint: "h" }, noDiscovery))
      .resolves.toBe("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/logout?logout_hint=h");
    await expect(logoutUrlFor(profile("entraId", "https://login.microsoftonline.com/organizations"), {}, noDiscovery))
      .resolves.toBe("https://login.microsoftonline.com/organizations/oauth2/v2.0/logout");
  });

  it("a generic OP uses the end_session_endpoint of its discovery document", async () => {
    const asked: string[] = [];
    const url = await logoutUrlFor(profile("oidc", "https://127.0.0.1:9443/oidc/"), { loginHint: "bob" }, async (u) => {
      asked.push(u);
      return { issuer: "https://127.0.0.1:9443/oidc", end_session_endpoint: "https://127.0.0.1:9443/oidc/session/end" };
    });
    expect(asked).toEqual(["https://127.0.0.1:9443/oidc/.well-known/openid-configuration"]);
    expect(url).toBe("https://127.0.0.1:9443/oidc/session/end?client_id=11111111-2222-3333-4444-555555555555&logout_hint=bob");
  });

  it("a generic OP without end_session_endpoint has no logout URL", async () => {
    await expect(logoutUrlFor(profile("oidc", "https://op.example"), {}, async () => ({ issuer: "https://op.example" })))
      .resolves.toBeUndefined();
  });

  it("discoveryUrl tolerates a trailing slash", () => {
    expect(discoveryUrl("https://op.example/")).toBe("https://op.example/.well-known/openid-configuration");
  });
});
