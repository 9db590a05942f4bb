import { describe, expect, it } from "vitest";
import { proxyFor } from "../../../src/core/net/proxy-settings.js";
import type { ProxyEnvironment } from "../../../src/core/net/proxy-settings.js";
import { TransportError } from "../../../src/core/net/transport-error.js";

const PROXY = "http://proxy.corp:3128";
const via = (url: string, env: ProxyEnvironment) => proxyFor(new URL(url), env)?.address;

describe("proxyFor: which variable names the proxy", () => {
  it.each([
    [{}, undefined],
    [{ HTTPS_PROXY: PROXY }, "proxy.corp:3128"],
    [{ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }, "lower:1"],
    [{ https_proxy: "", HTTPS_PROXY: "http://upper:2" }, "upper:2"],
    [{ ALL_PROXY: "http://all:3" }, "all:3"],
    [{ all_proxy: "http://all:3", HTTPS_PROXY: "http://https:4" }, "https:4"],
    [{ HTTP_PROXY: "http://plain:5" }, undefined],
    [{ HTTPS_PROXY: "proxy.corp:8080" }, "proxy.corp:8080"],
    [{ HTTPS_PROXY: "http://proxy.corp" }, "proxy.corp:80"],
    [{ HTTPS_PROXY: "https://proxy.corp" }, "proxy.corp:443"],
    [{ HTTPS_PROXY: "http://[fd00::1]:3128" }, "[fd00::1]:3128"],
  ] as [ProxyEnvironment, string | undefined][])("%j -> %s", (env, address) => {
    expect(via("https://login.example.com/x", env)).toBe(address);
  });

  it("reports the variable that named the proxy and turns user:password into Basic Proxy-Authorization", () => {
    const proxy = proxyFor(new URL("https://login.example.com/"), { ALL_PROXY: "http://al%40ice:p%3Ass@proxy.corp:3128" });
    expect(proxy).toEqual({
      protocol: "http:", hostname: "proxy.corp", port: 3128, address: "proxy.corp:3128", variable: "ALL_PROXY",
      authorization: `Basic ${Buffer.from("al@ice:p:ss").toString("base64")}`,
    });
  });

  it.each([
    ["socks5://bob:hunter2@proxy.corp:1080", /HTTPS_PROXY names a socks5 proxy at proxy\.corp:1080; entra-tray can use only http/],
    ["http://bob:%E0%A4%A@proxy.corp:1", /HTTPS_PROXY has a user name or password that is not valid percent-encoding/],
    ["http://bob:hunter2@", /HTTPS_PROXY is not a proxy URL/],
  ])("refuses %s with a reason that never quotes the value", (value, reason) => {
    const failure = (() => {
      try {
        proxyFor(new URL("https://login.example.com/"), { HTTPS_PROXY: value });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure).toMatchObject({ kind: "other", host: "login.example.com", proxy: { variable: "HTTPS_PROXY" } });
    expect((failure as TransportError).reason).toMatch(reason);
    expect((failure as TransportError).message).not.toMatch(/hunter2|bob|%E0/);
  });
});

describe("proxyFor: NO_PROXY and loopback", () => {
  it.each([
    ["login.example.com", "https://login.example.com/", true],
    ["example.com", "https://login.example.com/", true],
    ["example.com", "https://example.com/", true],
    [".example.com", "https://login.example.com/", true],
    [".example.com", "https://example.com/", true],
    ["*.example.com", "https://login.example.com/", true],
    ["example.com", "https://notexample.com/", false],
    ["example.com", "https://example.com.evil.test/", false],
    ["EXAMPLE.COM", "https://Login.Example.com/", true],
    ["*", "https://anything.test/", true],
    ["other.test, *", "https://anything.test/", true],
    ["other.test example.com", "https://login.example.com/", true],
    ["login.example.com:443", "https://login.example.com/", true],
    ["login.example.com:8443", "https://login.example.com/", false],
    ["login.example.com:8443", "https://login.example.com:8443/", true],
    ["10.1.2.3", "https://10.1.2.3/", true],
    ["10.1.2.3", "https://10.1.2.4/", false],
    ["10.0.0.0/8", "https://10.200.3.4/", true],
    ["10.0.0.0/8", "https://11.0.0.1/", false],
    ["10.0.0.0/8", "https://ten.example/", false],
    ["10.0.0.0/99", "https://10.0.0.1/", false],
    ["fd00::/8", "https://[fd12::5]/", true],
    ["fd00:0:0:0:0:0:0:5", "https://[fd00::5]/", true],
    ["[fd00::5]:8443", "https://[fd00::5]:8443/", true],
    ["[fd00::5]:8443", "https://[fd00::5]/", false],
    ["", "https://login.example.com/", false],
  ])("NO_PROXY=%j: %s goes direct: %s", (noProxy, url, direct) => {
    expect(via(url, { HTTPS_PROXY: PROXY, NO_PROXY: noProxy }) === undefined).toBe(direct);
  });

  it("reads no_proxy before NO_PROXY", () => {
    expect(via("https://a.test/", { HTTPS_PROXY: PROXY, no_proxy: "a.test", NO_PROXY: "b.test" })).toBeUndefined();
    expect(via("https://b.test/", { HTTPS_PROXY: PROXY, no_proxy: "a.test", NO_PROXY: "b.test" })).toBe("proxy.corp:3128");
  });

  it.each(["https://localhost:8443/", "https://idp.localhost/", "https://127.0.0.1/", "https://127.9.9.9/", "https://[::1]:443/"])(
    "%s always goes direct, even when HTTPS_PROXY is broken", (url) => {
      expect(via(url, { HTTPS_PROXY: PROXY })).toBeUndefined();
      expect(via(url, { HTTPS_PROXY: "socks5://proxy.corp" })).toBeUndefined();
    });
});
