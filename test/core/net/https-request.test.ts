import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBytes, requestJson, TransportError } from "../../../src/core/net/https-request.js";
import { classifyTransportFailure } from "../../../src/core/net/transport-error.js";
import { closedPort, startHttps, startSilent } from "../auth/support/servers.js";
import type { RunningServer } from "../auth/support/servers.js";
import { createTestTls } from "../auth/support/test-tls.js";
import type { TestTls } from "../auth/support/test-tls.js";
import { before, seconds } from "../../support/bound.js";

let tls: TestTls;
let server: RunningServer;
let received: { method?: string; body: string; contentType?: string };
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0xfe]);

beforeAll(async () => {
  tls = createTestTls();
  server = await startHttps(tls, (req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received = { method: req.method, body, contentType: req.headers["content-type"] };
      if (req.url === "/photo") {
        res.writeHead(200, { "content-type": "image/jpeg", "set-cookie": ["a=1", "b=2"] }).end(PHOTO);
        return;
      }
      if (req.url === "/trickle") {
        // A byte every 100 ms: never idle long enough for an idle timeout, and never done.
        res.writeHead(200, { "content-type": "image/jpeg" });
        const drip = setInterval(() => res.write(PHOTO.subarray(0, 1)), 100);
        res.on("close", () => clearInterval(drip));
        return;
      }
      if (req.url === "/text") {
        res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "x-test": "yes" }).end(JSON.stringify({ ok: true }));
    });
  });
});
afterAll(() => server.close());

const failureOf = async (promise: Promise<unknown>): Promise<TransportError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
};

describe("requestJson", () => {
  it("trusts the extra CA and parses the JSON answer", async () => {
    const response = await requestJson(`https://127.0.0.1:${server.port}/x`, {
      method: "POST", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      extraCaPem: tls.caPem,
    });
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(response.headers["x-test"]).toBe("yes");
    expect(received).toEqual({ method: "POST", body: "a=1", contentType: "application/x-www-form-urlencoded" });
  });

  it("gives a non-JSON body as undefined, keeping the status", async () => {
    const response = await requestJson(`https://127.0.0.1:${server.port}/text`, { method: "GET", extraCaPem: tls.caPem });
    expect(response).toMatchObject({ status: 502, body: undefined });
  });

  it("says TLS and names the host when the certificate is not trusted", async () => {
    const failure = await failureOf(requestJson(`https://127.0.0.1:${server.port}/x`, { method: "GET" }));
    expect(failure).toMatchObject({ kind: "tls", host: `127.0.0.1:${server.port}` });
    expect(failure.reason).toMatch(/authority this machine does not trust/);
  });

  it("reports a refused connection", async () => {
    const port = await closedPort();
    const failure = await failureOf(requestJson(`https://127.0.0.1:${port}/`, { method: "GET" }));
    expect(failure).toMatchObject({ kind: "refused", host: `127.0.0.1:${port}`, code: "ECONNREFUSED" });
  });

  it("gives up on a server that never answers", async () => {
    const silent = await startSilent();
    try {
      const failure = await before(seconds(5), "The request did not give up at its 0.3 s timeout",
        failureOf(requestJson(`https://127.0.0.1:${silent.port}/`, { method: "GET", timeoutMs: 300 })));
      expect(failure.kind).toBe("timeout");
    } finally {
      await silent.close();
    }
  });
});

describe("requestBytes", () => {
  it("keeps the body's bytes as sent, with lower-case header names and repeated headers joined", async () => {
    const response = await requestBytes(`https://127.0.0.1:${server.port}/photo`, { method: "GET", extraCaPem: tls.caPem });
    expect(response.status).toBe(200);
    expect(response.body.equals(PHOTO)).toBe(true);
    expect(response.headers).toMatchObject({ "content-type": "image/jpeg", "set-cookie": "a=1, b=2" });
  });

  it("counts the body in its deadline: an answer that keeps trickling but never ends times out", async () => {
    const failure = await before(seconds(5), "The trickling answer was not cut off at the 0.3 s deadline",
      failureOf(requestBytes(`https://127.0.0.1:${server.port}/trickle`, { method: "GET", extraCaPem: tls.caPem, timeoutMs: 300 })));
    expect(failure).toMatchObject({ kind: "timeout", host: `127.0.0.1:${server.port}`, reason: "no complete answer within 0.3 s" });
  });
});

describe("classifyTransportFailure", () => {
  it.each([
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["ECONNRESET", "reset"],
    ["CERT_HAS_EXPIRED", "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tls"],
    ["EHOSTUNREACH", "other"],
  ])("%s is %s", (code, kind) => {
    const error = Object.assign(new Error("boom"), { code });
    expect(classifyTransportFailure(error, "idp.example:443")).toMatchObject({ kind, host: "idp.example:443", code });
  });
});
