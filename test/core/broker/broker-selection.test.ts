import { describe, expect, it } from "vitest";
import { chooseSignInMethod } from "../../../src/core/broker/broker-choice.js";
import { probeBroker } from "../../../src/core/broker/broker-probe.js";
import { BrokerTimeoutError, brokerFallbackNotice, claimsForcingRefresh, withBrokerTimeout } from "../../../src/core/broker/broker-requests.js";
import { popNeedsBrokerError, popRequestFields } from "../../../src/core/broker/pop-request.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { FakeBroker } from "./support/fake-broker.js";
import { before, seconds } from "../../support/bound.js";

const profileOf = (kind: Profile["authority"]["kind"], url: string): Profile => ({
  name: kind, cacheSection: kind, displayName: `A ${kind} profile`, clientId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", scopes: [],
  authority: { kind, url, knownAuthority: new URL(url).host },
});
const entraId = profileOf("entraId", "https://login.microsoftonline.com/organizations");
const externalId = profileOf("entraExternalId", "https://contoso.ciamlogin.com/");
const oidc = profileOf("oidc", "https://idp.example.com");

describe("the native broker on this machine", () => {
  it("is probed through msal-node-extensions, with a reason when it cannot be used", async () => {
    const probe = await probeBroker();
    if (probe.available) {
      expect(probe.plugin?.isBrokerAvailable).toBe(true);
      expect(probe.reason).toBeUndefined();
    } else {
      expect(probe.plugin).toBeUndefined();
      expect(probe.reason).toMatch(process.platform === "linux"
        ? /^Microsoft's identity broker for Linux is not usable here: msal-node-runtime could not load its native library/
        : /broker|Account Manager/);
    }
    const choice = await chooseSignInMethod(entraId, { probe: async () => probe });
    expect(choice.method).toBe(probe.available ? "broker" : "browser");
    if (!probe.available) expect(choice.reason).toBe(probe.reason);
  });
});

describe("chooseSignInMethod", () => {
  const plugin = new FakeBroker();
  const available = async () => ({ available: true, plugin });
  const unavailable = async () => ({ available: false, reason: "No broker here." });
  const neverAsked = async (): Promise<never> => {
    throw new Error("the broker was probed for a profile it cannot serve");
  };

  it("uses the broker for an Entra ID profile when it is available", async () => {
    expect(await chooseSignInMethod(entraId, { probe: available, platform: "win32" })).toEqual({
      method: "broker", plugin,
      reason: "Signs in through Web Account Manager: device-bound tokens, single sign-on with the OS.",
    });
  });

  it("uses the browser, and says why, when the broker is unavailable", async () => {
    expect(await chooseSignInMethod(entraId, { probe: unavailable })).toEqual({ method: "browser", reason: "No broker here." });
  });

  it("never asks the broker about External ID or other OpenID Providers", async () => {
    for (const profile of [externalId, oidc]) {
      expect(await chooseSignInMethod(profile, { probe: neverAsked })).toEqual({
        method: "browser",
        reason: `The native broker serves Microsoft Entra ID accounts only; ${profile.displayName} signs in in the browser.`,
      });
    }
  });
});

describe("proof-of-possession requests", () => {
  it("are shaped for MSAL: scheme pop, the upper-cased method, the URL, and the nonce when there is one", () => {
    expect(popRequestFields({ method: "get", url: "https://api.contoso.com/items?page=2" })).toEqual({
      authenticationScheme: "pop", resourceRequestMethod: "GET", resourceRequestUri: "https://api.contoso.com/items?page=2",
    });
    expect(popRequestFields({ method: "PUT", url: "https://api.contoso.com/x", shrNonce: "abc" })).toMatchObject({ shrNonce: "abc" });
  });

  it("are refused with a clear message when the method or URL cannot be bound", () => {
    expect(() => popRequestFields({ method: "GET /x", url: "https://a.example" })).toThrow('"GET /x" is not an HTTP method.');
    expect(() => popRequestFields({ method: "GET", url: "/items" })).toThrow('"/items" is not an absolute URL.');
    expect(() => popRequestFields({ method: "GET", url: "http://a.example/x" })).toThrow("The PoP token would be bound to http, not https (http://a.example).");
  });

  it("need the broker: without it the refusal names the reason and the way out", () => {
    expect(popNeedsBrokerError("This machine has no broker.")).toMatchObject({
      kind: "brokerUnavailable",
      message: "A proof-of-possession token needs the native broker, which is not in use: This machine has no broker.",
      action: expect.stringContaining("Bearer token instead"),
      remedy: { kind: "bearerInstead" },
    });
  });
});

describe("broker requests", () => {
  it("force a fresh token with claims, keeping claims the caller asked for", () => {
    expect(claimsForcingRefresh(undefined)).toBe('{"access_token":{}}');
    expect(JSON.parse(claimsForcingRefresh('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'))).toEqual({
      access_token: { acrs: { essential: true, value: "c1" } },
    });
    expect(JSON.parse(claimsForcingRefresh('{"id_token":{"auth_time":null}}'))).toEqual({ access_token: {}, id_token: { auth_time: null } });
  });

  it("give up on a broker that does not answer in time, and say the browser takes over", async () => {
    await expect(withBrokerTimeout(Promise.resolve("answer"), 1_000)).resolves.toBe("answer");
    const error = await before(seconds(5), "The broker call was not given up at its 0.3 s timeout",
      withBrokerTimeout(new Promise(() => undefined), 300).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(BrokerTimeoutError);
    expect(brokerFallbackNotice(error)).toBe("The native broker did not finish the sign-in within 0.3 s; continuing the sign-in in the browser.");
    expect(brokerFallbackNotice(new Error("platform_broker_error"))).toBe("The native broker failed (platform_broker_error); continuing the sign-in in the browser.");
  });
});
