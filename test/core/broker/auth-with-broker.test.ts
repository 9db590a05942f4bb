import { describe, expect, it } from "vitest";
import { AuthService } from "../../../src/core/auth/auth-service.js";
import type { AuthState } from "../../../src/core/auth/auth-state.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { FakeBroker } from "./support/fake-broker.js";

// Real MSAL PublicClientApplication with a broker plugin typed to MSAL's INativeBrokerPlugin: MSAL hands every call
// of a brokered app to the plugin, so everything AuthService asks of the broker is visible here. (The fallback to
// the browser needs an identity provider and runs in test/e2e/broker-fallback.test.ts.)
const TENANT = "11111111-2222-4333-8444-555555555555";
const profile: Profile = {
  name: "work", cacheSection: "work", displayName: "Contoso", clientId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", scopes: ["User.Read"],
  authority: { kind: "entraId", url: `https://login.microsoftonline.com/${TENANT}`, knownAuthority: "login.microsoftonline.com" },
  graphUrl: "https://graph.microsoft.com/v1.0",
};

function brokeredService(broker = new FakeBroker(TENANT)) {
  const opened: string[] = [];
  const notices: string[] = [];
  const service = new AuthService({
    profile, broker, brokerTimeoutMs: 2_000,
    openBrowser: async (url) => void opened.push(url),
    onNotice: (n) => notices.push(n),
  });
  const states: string[] = [];
  service.on("state", (s: AuthState) => states.push(s.status === "error" ? `error:${s.error.kind}` : s.status));
  return { service, broker, opened, notices, states };
}

async function signedIn(username = "adele@contoso.com") {
  const setup = brokeredService();
  setup.broker.will({ do: "signIn", username });
  await setup.service.signIn();
  return setup;
}

describe("AuthService with the native broker", () => {
  it("signs in through the broker, handing it the caller's window handle, and never opens the browser", async () => {
    const { service, broker, opened, states } = brokeredService();
    const windowHandle = Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0]);
    broker.will({ do: "signIn", username: "adele@contoso.com" });
    const account = await service.signIn({ windowHandle, loginHint: "adele@contoso.com", selectAccount: true });

    expect(account).toMatchObject({ username: "adele@contoso.com", tenantId: TENANT });
    const [call] = broker.callsOf("acquireTokenInteractive");
    expect(call?.windowHandle).toBe(windowHandle);
    expect(call?.request).toMatchObject({
      clientId: profile.clientId, authority: profile.authority.url, loginHint: "adele@contoso.com", prompt: "select_account",
    });
    expect(call?.request.scopes).toContain("User.Read");
    expect(opened).toEqual([]);
    expect(states).toEqual(["signingIn", "signedIn"]);
  });

  it("passes no window handle when the caller has none (the CLI)", async () => {
    const { broker } = await signedIn();
    expect(broker.callsOf("acquireTokenInteractive")[0]?.windowHandle).toBeUndefined();
  });

  it("lists the broker's accounts and gets their tokens from the broker", async () => {
    const { service, broker } = await signedIn();
    expect((await service.accounts()).map((a) => a.username)).toEqual(["adele@contoso.com"]);
    const token = await service.getToken();
    expect(token).toMatchObject({ tokenType: "Bearer", account: { username: "adele@contoso.com" } });
    const [silent] = broker.callsOf("acquireTokenSilent");
    expect(silent?.request).toMatchObject({ accountId: expect.stringMatching(/^native-/), scopes: expect.arrayContaining(["User.Read"]) });
    expect(silent?.request.claims).toBeUndefined();
    expect((await service.getToken()).accessToken).toBe(token.accessToken);
  });

  it("gets a fresh token for --min-valid by asking for claims, since the broker ignores forceRefresh", async () => {
    const { service, broker } = await signedIn();
    broker.tokenLifetimeSec = 200;
    const first = await service.getToken({ minValiditySec: 60 });
    const fresh = await service.getToken({ minValiditySec: 300 });
    expect(fresh.accessToken).not.toBe(first.accessToken);
    const requests = broker.callsOf("acquireTokenSilent").map((c) => c.request);
    expect(requests.map((r) => r.claims)).toEqual([undefined, undefined, JSON.stringify({ access_token: {} })]);
    expect(fresh.warning).toMatch(/issues access tokens valid for (199|200) s, less than the 300 s asked for/);

    await service.getToken({ forceRefresh: true });
    expect(broker.callsOf("acquireTokenSilent").at(-1)?.request.claims).toBe(JSON.stringify({ access_token: {} }));
  });

  it("asks the broker for a proof-of-possession token bound to the request's method, URL and nonce", async () => {
    const { service, broker } = await signedIn();
    const token = await service.getToken({ pop: { method: "post", url: "https://api.contoso.com/orders?id=7", shrNonce: "nonce-from-server" } });
    expect(token.tokenType).toBe("pop");
    expect(broker.callsOf("acquireTokenSilent").at(-1)?.request).toMatchObject({
      authenticationScheme: "pop",
      resourceRequestMethod: "POST",
      resourceRequestUri: "https://api.contoso.com/orders?id=7",
      shrNonce: "nonce-from-server",
    });
  });

  it("refuses a PoP token for a request that is not https, before asking the broker", async () => {
    const { service, broker } = await signedIn();
    const before = broker.calls.length;
    await expect(service.getToken({ pop: { method: "GET", url: "http://api.contoso.com/" } })).rejects.toMatchObject({
      kind: "config", message: "The PoP token would be bound to http, not https (http://api.contoso.com).",
    });
    expect(broker.calls.slice(before).map((c) => c.method)).not.toContain("acquireTokenSilent");
  });

  it("signs a broker account out of the broker, without a browser logout page", async () => {
    const { service, broker, opened } = await signedIn();
    const [held] = await broker.getAllAccounts(profile.clientId);
    expect(await service.signOut()).toEqual({});
    expect(broker.callsOf("signOut")[0]?.request).toMatchObject({ clientId: profile.clientId, accountId: held?.nativeAccountId });
    expect(await service.accounts()).toEqual([]);
    expect(service.state).toEqual({ status: "signedOut" });
    expect(opened).toEqual([]);
  });

  it("treats closing the broker's window as a cancel, not as a reason to open the browser", async () => {
    const { service, broker, opened, notices, states } = brokeredService();
    broker.will({ do: "cancel" });
    await expect(service.signIn()).rejects.toMatchObject({ kind: "cancelled" });
    expect(opened).toEqual([]);
    expect(notices).toEqual([]);
    expect(states).toEqual(["signingIn", "signedOut"]);
  });
});
