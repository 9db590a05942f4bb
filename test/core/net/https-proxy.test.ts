import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { requestJson, TransportError } from "../../../src/core/net/https-request.js";
import { closedPort, startHttps } from "../auth/support/servers.js";
import type { RunningServer } from "../auth/support/servers.js";
import { createTestTls, type TestTls } from "../auth/support/test-tls.js";
import { startConnectProxy } from "./support/connect-proxy.js";
import type { ConnectProxyOptions, RunningProxy } from "./support/connect-proxy.js";
import { before, seconds } from "../../support/bound.js";

// A name no resolver knows: only the test proxy (which sends every name to 127.0.0.1) can reach it.
const HOST = "idp.proxied.test";
let tls: TestTls;
let origin: RunningServer;
let seenByOrigin: { host?: string; proxyAuthorization?: string }[];
const proxies: RunningProxy[] = [];

beforeAll(async () => {
  tls = createTestTls([HOST, "localhost"]);
  origin = await startHttps(tls, (req, res) => {
    seenByOrigin.push({ host: req.headers.host, proxyAuthorization: req.headers["proxy-authorization"] });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url }));
  });
});
afterAll(() => origin.close());
afterEach(async () => {
  seenByOrigin = [];
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
seenByOrigin = [];

const proxy = async (options?: ConnectProxyOptions) => {
  const started = await startConnectProxy(options);
  proxies.push(started);
  return started;
};
const originUrl = (host = HOST) => `https://${host}:${origin.port}/hello`;
const get = (env: Record<string, string>, extra: { timeoutMs?: number; trustTestCa?: boolean; host?: string } = {}) =>
  requestJson(originUrl(extra.host), {
    method: "GET",
    env,
    ...(extra.trustTestCa === false ? {} : { extraCaPem: tls.caPem }),
    ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
  });
const failureOf = async (promise: Promise<unknown>): Promise<TransportError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
};
/** Everything a user or a log could ever see of an error: message, fields, cause chain. */
const everythingShown = (error: unknown) => `${String(error)}\n${inspect(error, { depth: 5 })}\n${JSON.stringify(error)}`;

describe("requestBytes through an HTTP CONNECT proxy", () => {
  it("tunnels to the host named by the URL, trusting the extra CA for the host's TLS", async () => {
    const running = await proxy();
    const response = await get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` });
    expect(response).toMatchObject({ status: 200, body: { path: "/hello" } });
    expect(running.tunnels).toEqual([`${HOST}:${origin.port}`]);
    expect(seenByOrigin).toEqual([{ host: `${HOST}:${origin.port}`, proxyAuthorization: undefined }]);
  });

  it("falls back to ALL_PROXY, and reads https_proxy first", async () => {
    const [first, second] = [await proxy(), await proxy()];
    await get({ ALL_PROXY: `http://127.0.0.1:${first.port}` });
    await get({ https_proxy: `127.0.0.1:${second.port}`, HTTPS_PROXY: `http://127.0.0.1:${first.port}` });
    expect([first.tunnels.length, second.tunnels.length]).toEqual([1, 1]);
  });

  it("sends the URL's credentials as Proxy-Authorization to the proxy only", async () => {
    const expected = `Basic ${Buffer.from("alice:s@cret!").toString("base64")}`;
    const running = await proxy({ requireAuthorization: expected });
    const response = await get({ HTTPS_PROXY: `http://alice:s%40cret!@127.0.0.1:${running.port}` });
    expect(response.status).toBe(200);
    expect(running.requests).toEqual([{ target: `${HOST}:${origin.port}`, authorization: expected }]);
    expect(seenByOrigin[0]?.proxyAuthorization).toBeUndefined();
  });

  it("reaches the host through an https:// proxy, trusting the extra CA for the proxy too", async () => {
    const running = await proxy({ tls });
    const response = await get({ HTTPS_PROXY: `https://localhost:${running.port}` });
    expect(response.status).toBe(200);
    expect(running.tunnels).toEqual([`${HOST}:${origin.port}`]);
  });

  it("still checks the host's certificate inside the tunnel", async () => {
    const running = await proxy();
    const failure = await failureOf(get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` }, { trustTestCa: false }));
    expect(failure).toMatchObject({ kind: "tls", host: `${HOST}:${origin.port}`, proxy: undefined });
    expect(running.tunnels).toHaveLength(1);
  });
});

describe("requestBytes going direct", () => {
  it("bypasses the proxy for a host in NO_PROXY (and so resolves the name itself, which fails here)", async () => {
    const running = await proxy();
    const failure = await failureOf(get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}`, NO_PROXY: ".proxied.test" }));
    expect(failure).toMatchObject({ kind: "dns", host: `${HOST}:${origin.port}`, proxy: undefined });
    expect(running.requests).toEqual([]);
  });

  it.each(["localhost", "127.0.0.1"])("never sends loopback (%s) through the proxy", async (host) => {
    const running = await proxy();
    const response = await get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` }, { host });
    expect(response.status).toBe(200);
    expect(running.requests).toEqual([]);
  });
});

describe("requestBytes when the proxy fails", () => {
  it("says the proxy refused the connection, naming the proxy, not the host", async () => {
    const port = await closedPort();
    const failure = await failureOf(get({ HTTPS_PROXY: `http://bob:hunter2@127.0.0.1:${port}` }));
    expect(failure).toMatchObject({
      kind: "refused", code: "ECONNREFUSED", host: `${HOST}:${origin.port}`,
      proxy: { variable: "HTTPS_PROXY", address: `127.0.0.1:${port}` },
    });
    expect(failure.reason).toBe(
      `the proxy 127.0.0.1:${port} (HTTPS_PROXY) cannot be reached: the connection was refused (nothing is listening there)`);
    expect(everythingShown(failure)).not.toMatch(/hunter2|bob/);
  });

  it("explains a 407 for wrong credentials without ever showing them", async () => {
    const running = await proxy({ requireAuthorization: "Basic something-else" });
    const failure = await failureOf(get({ HTTPS_PROXY: `http://bob:hunter2@127.0.0.1:${running.port}` }));
    expect(failure).toMatchObject({ kind: "other", proxy: { variable: "HTTPS_PROXY", address: `127.0.0.1:${running.port}` } });
    expect(failure.message).toBe(`${HOST}:${origin.port}: the proxy 127.0.0.1:${running.port} (HTTPS_PROXY) refused the ` +
      `tunnel to ${HOST}:${origin.port} with 407 Proxy Authentication Required: it did not accept the user name and password in HTTPS_PROXY`);
    const basic = Buffer.from("bob:hunter2").toString("base64");
    expect(everythingShown(failure)).not.toContain("hunter2");
    expect(everythingShown(failure)).not.toContain(basic);
    expect(seenByOrigin).toEqual([]);
  });

  it("says how to give credentials when a 407 comes without any", async () => {
    const running = await proxy({ requireAuthorization: "Basic x" });
    const failure = await failureOf(get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` }));
    expect(failure.reason).toMatch(/407 Proxy Authentication Required: it needs a user name and password; put them in HTTPS_PROXY as http:\/\/user:password@host:port/);
  });

  it.each([
    [403, "other", /403 Forbidden: its rules do not allow this host/],
    [502, "other", /502 Bad Gateway: it could not reach the host/],
    [504, "timeout", /504 Gateway Timeout: it could not reach the host in time/],
  ] as const)("fails on a CONNECT answered with %i instead of passing it off as the host's answer", async (status, kind, reason) => {
    const running = await proxy({ refuseWith: status });
    const failure = await failureOf(get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` }));
    expect(failure).toMatchObject({ kind, proxy: { address: `127.0.0.1:${running.port}` } });
    expect(failure.reason).toMatch(reason);
  });

  it("gives up on a proxy that never answers CONNECT, and closes the connection to it", async () => {
    const running = await proxy({ silent: true });
    const failure = await before(seconds(5), "The request did not give up on the silent proxy at its 0.3 s timeout",
      failureOf(get({ HTTPS_PROXY: `http://127.0.0.1:${running.port}` }, { timeoutMs: 300 })));
    expect(failure).toMatchObject({ kind: "timeout", proxy: { address: `127.0.0.1:${running.port}` } });
    expect(failure.reason).toBe(`the proxy 127.0.0.1:${running.port} (HTTPS_PROXY) did not answer within 0.3 s`);
    await expect.poll(() => running.openConnections(), { timeout: 2_000 }).toBe(0);
    expect(running.requests).toHaveLength(1);
  });

  it("names the variable when it holds no usable proxy", async () => {
    const failure = await failureOf(get({ HTTPS_PROXY: "socks5://bob:hunter2@127.0.0.1:1080" }));
    expect(failure).toMatchObject({ kind: "other", proxy: { variable: "HTTPS_PROXY", address: "127.0.0.1:1080" } });
    expect(everythingShown(failure)).not.toMatch(/hunter2|bob/);
  });
});
