import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { GraphClient } from "../../../src/core/graph/graph-client.js";
import { TransportError } from "../../../src/core/net/https-request.js";
import type { GraphClientOptions, GraphResult } from "../../../src/core/graph/graph-client.js";
import { closedPort, startHttps } from "../auth/support/servers.js";
import type { RunningServer } from "../auth/support/servers.js";
import { createTestTls } from "../auth/support/test-tls.js";
import type { TestTls } from "../auth/support/test-tls.js";
import { before, seconds } from "../../support/bound.js";

// A real HTTPS server on loopback plays Microsoft Graph: each test scripts its answers, and the server records
// what arrived (path, token), so retries, waits and caching are observed on real sockets.

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

let tls: TestTls;
let server: RunningServer;
let caDir: string;
let caFile: string;
let script: Answer[] = [];
let received: Array<{ path: string; token: string; at: number }> = [];

beforeAll(async () => {
  tls = createTestTls();
  caDir = mkdtempSync(join(tmpdir(), "entra-tray-graph-ca-"));
  caFile = join(caDir, "ca.pem");
  writeFileSync(caFile, tls.caPem);
  server = await startHttps(tls, (req, res) => {
    received.push({ path: req.url ?? "", token: (req.headers.authorization ?? "").replace(/^Bearer /, ""), at: Date.now() });
    const answer = script.shift();
    if (!answer) {
      graphError(503, "TestNotScripted", "The test scripted no answer for this request.")(req, res);
      return;
    }
    answer(req, res);
  });
});
afterEach(() => {
  script = [];
  received = [];
});
afterAll(async () => {
  await server?.close();
  rmSync(caDir, { recursive: true, force: true });
});

const ALICE = {
  id: "0b8f4c3e-6a1d-4f27-b5e9-2c7d9a1e4f60",
  displayName: "Alice Martin",
  givenName: "Alice",
  surname: "Martin",
  mail: "alice@example.test",
  userPrincipalName: "alice@example.test",
  jobTitle: "Platform Engineer",
  officeLocation: null,
  mobilePhone: null,
  preferredLanguage: "fr-FR",
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
};
const me = (user: object = ALICE): Answer => json(200, { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity", ...user, businessPhones: [] });
const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer =>
  json(status, { error: { code, message, innerError: { "request-id": "5b1e0c1a-request" } } }, headers);
const photo = (bytes: Buffer, type: string): Answer => (_req, res) => {
  res.writeHead(200, { "content-type": type, "content-length": bytes.length }).end(bytes);
};
const silence: Answer = () => undefined;

/** Hands out numbered tokens, a new one on each forced refresh, and records how it was asked. */
class CountingTokens {
  readonly asks: Array<{ forceRefresh?: boolean }> = [];
  private issued = 1;
  constructor(private readonly failWith?: Error) {}
  readonly get = async (options: { forceRefresh?: boolean }) => {
    this.asks.push(options);
    if (this.failWith) throw this.failWith;
    if (options.forceRefresh) this.issued += 1;
    return { accessToken: `graph-test-token-${this.issued}` };
  };
}

function client(overrides: Partial<GraphClientOptions> = {}, tokens = new CountingTokens()) {
  const graph = new GraphClient({
    profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0/`, caFile },
    getToken: tokens.get,
    ...overrides,
  });
  return { graph, tokens };
}

function failure<T>(result: GraphResult<T>): AuthError {
  if (result.status !== "failed") throw new Error(`Expected a failure, got ${result.status}.`);
  expect(result.error).toBeInstanceOf(AuthError);
  return result.error;
}

describe("GraphClient against a local HTTPS Graph", () => {
  it("reads /me with $select of the popover's fields, sending the provider's token, and trusts the profile's CA", async () => {
    script = [me()];
    const { graph, tokens } = client();
    const result = await graph.getProfile();
    expect(result).toMatchObject({ status: "ok", value: ALICE });
    expect(result.status === "ok" && Object.keys(result.value).sort()).toEqual(Object.keys(ALICE).sort());
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe("/v1.0/me?$select=id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,officeLocation,mobilePhone,preferredLanguage");
    expect(received[0]?.token).toBe("graph-test-token-1");
    expect(tokens.asks).toEqual([{}]);
    expect(graph.available).toBe(true);
  });

  it("on a 401 forces one token refresh and retries with the new token", async () => {
    script = [graphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."), me()];
    const { graph, tokens } = client();
    expect(await graph.getProfile()).toMatchObject({ status: "ok", value: { id: ALICE.id } });
    expect(received.map((r) => r.token)).toEqual(["graph-test-token-1", "graph-test-token-2"]);
    expect(tokens.asks).toEqual([{}, { forceRefresh: true }]);
  });

  it("gives up after a second 401 and says to sign in again, without quoting a token", async () => {
    script = [
      graphError(401, "InvalidAuthenticationToken", "Access token validation failure."),
      graphError(401, "InvalidAuthenticationToken", "Access token validation failure."),
    ];
    const { graph, tokens } = client();
    const error = failure(await graph.getProfile());
    expect(error.kind).toBe("interactionRequired");
    expect(error.message).toBe(`Microsoft Graph at 127.0.0.1:${server.port} did not accept the access token, not even a newly issued one (InvalidAuthenticationToken: Access token validation failure; request-id 5b1e0c1a-request).`);
    expect(error.action).toMatch(/Sign in again.*User\.Read/);
    expect(`${error.message} ${error.action}`).not.toMatch(/graph-test-token/);
    expect(tokens.asks).toHaveLength(2);
    expect(received).toHaveLength(2);
  });

  it("waits as a 429's Retry-After (seconds) says, then succeeds", async () => {
    script = [graphError(429, "TooManyRequests", "Too many requests.", { "retry-after": "1" }), me()];
    const { graph } = client();
    expect((await graph.getProfile()).status).toBe("ok");
    expect(received).toHaveLength(2);
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("waits until a 503's Retry-After HTTP date, then succeeds", async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000); // HTTP dates have whole seconds
    script = [graphError(503, "ServiceUnavailable", "Try later.", { "retry-after": at.toUTCString() }), me()];
    const { graph } = client();
    expect((await graph.getProfile()).status).toBe("ok");
    expect(received[1]?.at ?? 0).toBeGreaterThanOrEqual(at.getTime() - 20);
  });

  it("fails at once, saying so, when Retry-After asks for more than the cap", async () => {
    script = [graphError(429, "TooManyRequests", "Too many requests.", { "retry-after": "120" })];
    const { graph } = client({ maxRetryWaitMs: 5_000 });
    // Well short of the 120 s asked for: a client that waited would fail here, not at vitest's timeout.
    const error = failure(await before(seconds(5), "The client waited instead of failing at once", graph.getProfile()));
    expect(error).toMatchObject({
      kind: "unreachable",
      message: `Microsoft Graph at 127.0.0.1:${server.port} is busy (429 Too Many Requests) and asked to wait 120 s, longer than the 5 s this app waits.`,
      action: "Try again in 120 s.",
    });
    expect(received).toHaveLength(1);
  });

  it("stops after the allowed retries when Graph stays unavailable (backing off without Retry-After)", async () => {
    script = [graphError(503, "ServiceUnavailable", "Down."), graphError(503, "ServiceUnavailable", "Down.")];
    const { graph } = client({ maxThrottleRetries: 1 });
    const error = failure(await graph.getProfile());
    expect(error).toMatchObject({ kind: "unreachable", message: expect.stringContaining("is still busy (503 Service Unavailable) after 1 retry") });
    expect(received).toHaveLength(2);
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(950); // the 1 s first backoff step
  });

  it("shows a 403 as 'no permission to read the profile', a state rather than a failure, and keeps it", async () => {
    script = [graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")];
    const { graph } = client();
    const result = await graph.getProfile();
    expect(result).toEqual({
      status: "forbidden",
      message: "No permission to read the profile from Microsoft Graph.",
      detail: "Authorization_RequestDenied: Insufficient privileges to complete the operation; request-id 5b1e0c1a-request",
    });
    expect(await graph.getProfile()).toBe(result);
    expect(received).toHaveLength(1);
  });

  it("times out a Graph that accepts the request and never answers", async () => {
    script = [silence];
    const { graph } = client({ timeoutMs: 300 });
    const error = failure(await before(seconds(5), "The client did not give up at its 0.3 s timeout", graph.getProfile()));
    expect(error).toMatchObject({ kind: "timeout", message: `Microsoft Graph at 127.0.0.1:${server.port} did not answer: no complete answer within 0.3 s.` });
  });

  it("times out a photo whose body stops half-way", async () => {
    script = [(_req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg", "content-length": 1000 });
      res.write(Buffer.alloc(10));
    }];
    const { graph } = client({ timeoutMs: 300 });
    expect(failure(await graph.getPhoto()).kind).toBe("timeout");
  });

  it("returns the photo's bytes and media type", async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    script = [photo(bytes, "image/jpeg")];
    const { graph } = client();
    const result = await graph.getPhoto();
    expect(result).toMatchObject({ status: "ok", value: { contentType: "image/jpeg" } });
    expect(result.status === "ok" && result.value?.bytes.equals(bytes)).toBe(true);
    expect(received[0]?.path).toBe("/v1.0/me/photo/$value");
  });

  it("answers null for a user without a photo (404 is normal)", async () => {
    script = [graphError(404, "ImageNotFound", "The photo wasn't found.")];
    const { graph } = client();
    expect(await graph.getPhoto()).toMatchObject({ status: "ok", value: null });
  });

  it("names Graph's error code, message and request id for other answers", async () => {
    script = [graphError(500, "generalException", "Something broke.")];
    const { graph } = client();
    expect(failure(await graph.getProfile())).toMatchObject({
      kind: "unexpected",
      message: `Microsoft Graph at 127.0.0.1:${server.port} answered 500 Internal Server Error to GET /me (generalException: Something broke; request-id 5b1e0c1a-request).`,
    });
  });

  it("says when /me is not a user profile (wrong graphUrl)", async () => {
    script = [(_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end("<h1>Welcome</h1>")];
    const { graph } = client();
    expect(failure(await graph.getProfile())).toMatchObject({ kind: "unexpected", message: expect.stringContaining("not a user profile") });
  });

  it("says TLS / certificate when the profile does not trust Graph's CA", async () => {
    const { graph } = client({ profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0` } });
    const error = failure(await graph.getProfile());
    expect(error).toMatchObject({ kind: "unreachable", message: expect.stringMatching(/^The TLS \/ certificate check for Microsoft Graph at 127\.0\.0\.1:\d+ failed/) });
    expect(error.action).toMatch(/caFile/);
  });

  it("reports a refused connection", async () => {
    const port = await closedPort();
    const { graph } = client({ profile: { graphUrl: `https://127.0.0.1:${port}/v1.0`, caFile } });
    expect(failure(await graph.getProfile())).toMatchObject({ kind: "unreachable", message: expect.stringContaining("connection was refused") });
  });

  it("passes the token provider's AuthError through and sends nothing", async () => {
    const signIn = new AuthError("interactionRequired", "localhost needs you to sign in again (invalid_grant).", "Sign in again.");
    const { graph } = client({}, new CountingTokens(signIn));
    expect(failure(await graph.getProfile())).toBe(signIn);
    expect(received).toHaveLength(0);
  });

  it("names only the type of a foreign token-provider failure, whose text could quote anything", async () => {
    const { graph } = client({}, new CountingTokens(new TypeError("token graph-test-token-9 broke")));
    const error = failure(await graph.getProfile());
    expect(error).toMatchObject({ kind: "unexpected", message: "Getting an access token for Microsoft Graph failed unexpectedly (TypeError)." });
  });

  it("says 'no Graph for this profile' without asking for a token", async () => {
    const tokens = new CountingTokens();
    const graph = new GraphClient({ profile: {}, getToken: tokens.get });
    expect(graph.available).toBe(false);
    expect(await graph.getProfile()).toEqual({ status: "noGraph", message: expect.stringContaining("names no Microsoft Graph") });
    expect(await graph.getPhoto()).toMatchObject({ status: "noGraph" });
    expect(tokens.asks).toHaveLength(0);
  });

  it("reports an unreadable caFile as a profile problem", async () => {
    const { graph } = client({ profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0`, caFile: join(caDir, "missing.pem") } });
    expect(failure(await graph.getProfile())).toMatchObject({ kind: "config", message: expect.stringContaining("missing.pem cannot be read (ENOENT)") });
  });
});

describe("GraphClient's kept profile", () => {
  it("answers from the kept copy until it is older than maxAgeMs, then asks Graph again", async () => {
    let now = Date.UTC(2026, 10, 21, 9, 0, 0);
    script = [me(), me({ ...ALICE, jobTitle: "Staff Engineer" })];
    const { graph } = client({ maxAgeMs: 300_000, now: () => now });
    const first = await graph.getProfile();
    expect(first).toMatchObject({ status: "ok", fetchedAt: new Date(now) });
    now += 299_000;
    expect(await graph.getProfile()).toBe(first);
    expect(received).toHaveLength(1);
    now += 1_000;
    expect(await graph.getProfile()).toMatchObject({ status: "ok", value: { jobTitle: "Staff Engineer" } });
    expect(received).toHaveLength(2);
  });

  it("shares one request among concurrent asks", async () => {
    script = [me()];
    const { graph } = client();
    const results = await Promise.all([graph.getProfile(), graph.getProfile(), graph.getProfile({ maxAgeMs: 0 })]);
    expect(new Set(results).size).toBe(1);
    expect(received).toHaveLength(1);
  });

  it("keeps no failure: the next ask tries again", async () => {
    script = [graphError(500, "generalException", "Boom."), me()];
    const { graph } = client();
    expect((await graph.getProfile()).status).toBe("failed");
    expect((await graph.getProfile()).status).toBe("ok");
    expect(received).toHaveLength(2);
  });

  it("refetches on maxAgeMs: 0, and after clear() neither keeps nor shares an answer still on its way", async () => {
    script = [me(), me(), me()];
    const { graph } = client();
    await graph.getProfile();
    const before = graph.getProfile({ maxAgeMs: 0 }); // e.g. the account switches while this one is on its way
    graph.clear();
    const after = await graph.getProfile();
    expect(await before).not.toBe(after);
    expect(received).toHaveLength(3);
    expect(await graph.getProfile()).toBe(after);
    expect(received).toHaveLength(3);
  });
});

// What the popover shows under "needs attention": each failure's sentence and what to do, word for word.
describe("GraphClient's failures, word for word", () => {
  const host = () => `127.0.0.1:${server.port}`;

  it("a timeout, a refused connection and an untrusted certificate each say what to do, and keep the network's error", async () => {
    script = [silence];
    expect(failure(await client({ timeoutMs: 300 }).graph.getProfile())).toMatchObject({
      action: "Try again; Microsoft Graph or the network is slow right now.", cause: expect.any(TransportError) });
    const port = await closedPort();
    expect(failure(await client({ profile: { graphUrl: `https://127.0.0.1:${port}/v1.0`, caFile } }).graph.getProfile())).toMatchObject({
      // The reason is the network layer's own wording.
      message: expect.stringMatching(new RegExp(`^Microsoft Graph at 127\\.0\\.0\\.1:${port} could not be reached: .*connection was refused.*\\.$`)),
      action: "Check your network connection and the profile's graphUrl, then try again.",
      cause: expect.any(TransportError),
    });
    expect(failure(await client({ profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0` } }).graph.getProfile())).toMatchObject({
      action: "If this Graph uses a private certificate authority (like the demo identity provider's), set the profile's caFile to that CA's PEM file; otherwise check the system clock and any TLS-inspecting proxy.",
      cause: expect.any(TransportError),
    });
  });

  it("a token Graph keeps refusing", async () => {
    script = [graphError(401, "InvalidAuthenticationToken", "Expired."), graphError(401, "InvalidAuthenticationToken", "Expired.")];
    expect(failure(await client().graph.getProfile()).action).toBe(
      "Sign in again; if it keeps happening, check that the profile's scopes include User.Read (Graph accepts only tokens issued for it).");
  });

  it("a Graph still busy after its retries (Retry-After: 0 takes no wait)", async () => {
    const busy = () => graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "0" });
    script = [busy(), busy(), busy()];
    expect(failure(await client().graph.getProfile())).toMatchObject({
      kind: "unreachable",
      message: `Microsoft Graph at ${host()} is still busy (429 Too Many Requests) after 2 retries.`,
      action: "Try again in a minute.",
    });
    expect(received).toHaveLength(3);
  });

  it("an unexpected answer to the photo, and a /me that is not a profile", async () => {
    script = [graphError(502, "badGateway", "Upstream failed.")];
    expect(failure(await client().graph.getPhoto())).toMatchObject({
      kind: "unexpected",
      message: `Microsoft Graph at ${host()} answered 502 Bad Gateway to GET /me/photo/$value (badGateway: Upstream failed; request-id 5b1e0c1a-request).`,
      action: "Try again later; if it keeps failing, check the profile's graphUrl or report it with the request id.",
    });
    script = [json(200, { displayName: "no id" })];
    expect(failure(await client().graph.getProfile())).toMatchObject({
      message: `Microsoft Graph at ${host()} answered GET /me with something that is not a user profile.`,
      action: "Check that the profile's graphUrl is a Microsoft Graph base URL, e.g. https://graph.microsoft.com/v1.0.",
    });
  });

  it("a failing token provider", async () => {
    const { graph } = client({}, new CountingTokens(new TypeError("broke")));
    expect(failure(await graph.getProfile()).action).toBe("Try again; if it keeps failing, sign in again.");
    const odd = new GraphClient({ profile: { graphUrl: `https://${host()}/v1.0`, caFile }, getToken: () => Promise.reject(new Error("x", { cause: 1 })) });
    expect(failure(await odd.getProfile()).message).toBe("Getting an access token for Microsoft Graph failed unexpectedly (Error).");
  });
});

describe("GraphClient's reading of Graph's error bodies", () => {
  /** The detail of a 403 (a state the popover shows as is) whose answer is `answer`. */
  async function detailOf(answer: Answer): Promise<string> {
    script = [answer];
    const result = await client().graph.getProfile();
    if (result.status !== "forbidden") throw new Error(`Expected forbidden, got ${result.status}.`);
    return result.detail;
  }
  const forbidden = (body: unknown, headers: Record<string, string> = {}) => json(403, body, headers);

  it.each<[string, unknown, Record<string, string>, string]>([
    ["code and message, the message's spaces and final period trimmed", { error: { code: "Denied", message: " No access. " } }, {}, "Denied: No access"],
    ["the same before a request id", { error: { code: "Denied", message: " No access. " } }, { "request-id": "hdr-1" }, "Denied: No access; request-id hdr-1"],
    ["a code alone", { error: { code: "Denied" } }, {}, "Denied"],
    ["a message alone", { error: { message: "No access" } }, {}, "No access"],
    ["codes and messages that are not text: the status", { error: { code: 7, message: ["x"] } }, {}, "403 Forbidden"],
    ["no error object: the status", { nothing: true }, {}, "403 Forbidden"],
    ["the request id from the header when the body has none", { error: { code: "Denied" } }, { "request-id": "hdr-1" }, "Denied; request-id hdr-1"],
    ["the body's request id before the header's", { error: { code: "Denied", innerError: { "request-id": "body-1" } } }, { "request-id": "hdr-1" }, "Denied; request-id body-1"],
    ["no request id that is not text", { error: { code: "Denied", innerError: { "request-id": 42 } } }, {}, "Denied"],
  ])("%s", async (_case, body, headers, detail) => {
    expect(await detailOf(forbidden(body, headers))).toBe(detail);
  });

  it("names the status when the body is not JSON (a proxy's page)", async () => {
    expect(await detailOf((_req, res) => void res.writeHead(403, { "content-type": "text/html" }).end("<h1>Forbidden</h1>"))).toBe("403 Forbidden");
  });

  it("names a status Node has no text for by its number", async () => {
    script = [json(599, {})];
    expect(failure(await client().graph.getProfile()).message).toBe(`Microsoft Graph at 127.0.0.1:${server.port} answered 599 to GET /me (599).`);
  });
});

describe("GraphClient's reading of answers", () => {
  it("takes only text fields of the profile, null for the rest", async () => {
    script = [me({ ...ALICE, jobTitle: 42, mail: { address: "x" } })];
    expect(await client().graph.getProfile()).toMatchObject({ status: "ok", value: { ...ALICE, jobTitle: null, mail: null } });
  });

  it("takes a photo's media type without parameters, octet-stream when Graph names none, and an empty photo as none", async () => {
    const bytes = Buffer.from([1, 2, 3]);
    script = [photo(bytes, "image/png ; charset=binary")];
    expect(await client().graph.getPhoto()).toMatchObject({ status: "ok", value: { contentType: "image/png" } });
    script = [(_req, res) => void res.writeHead(200, { "content-length": bytes.length }).end(bytes)];
    expect(await client().graph.getPhoto()).toMatchObject({ status: "ok", value: { contentType: "application/octet-stream" } });
    script = [photo(Buffer.alloc(0), "image/jpeg")];
    expect(await client().graph.getPhoto()).toEqual({ status: "ok", value: null, fetchedAt: expect.any(Date) });
  });

  it("asks for JSON for the profile and an image for the photo, at the graphUrl less its trailing slashes", async () => {
    const accepts: string[] = [];
    const answer = (inner: Answer): Answer => (req, res) => {
      accepts.push(req.headers.accept ?? "");
      inner(req, res);
    };
    script = [answer(me()), answer(photo(Buffer.from([1]), "image/jpeg"))];
    const { graph } = client({ profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0//`, caFile } });
    await graph.getProfile();
    await graph.getPhoto();
    expect(accepts).toEqual(["application/json", "image/*"]);
    expect(received.map((r) => r.path.split("?")[0])).toEqual(["/v1.0/me", "/v1.0/me/photo/$value"]);
  });

  it("picks up a caFile that was missing and is there now", async () => {
    const late = join(caDir, "late-ca.pem");
    const { graph } = client({ profile: { graphUrl: `https://127.0.0.1:${server.port}/v1.0`, caFile: late } });
    expect(failure(await graph.getProfile()).kind).toBe("config");
    writeFileSync(late, tls.caPem);
    script = [me()];
    expect((await graph.getProfile()).status).toBe("ok");
  });

  it("keeps the photo as it keeps the profile", async () => {
    script = [photo(Buffer.from([1]), "image/jpeg")];
    const { graph } = client();
    expect(await graph.getPhoto()).toBe(await graph.getPhoto());
    expect(received).toHaveLength(1);
  });

  it("waits a Retry-After of exactly the cap", async () => {
    script = [graphError(503, "ServiceUnavailable", "Try later.", { "retry-after": "1" }), me()];
    expect((await client({ maxRetryWaitMs: 1_000 }).graph.getProfile()).status).toBe("ok");
  });

  it("forgets the kept photo on clear() too", async () => {
    script = [photo(Buffer.from([1]), "image/jpeg"), photo(Buffer.from([2]), "image/jpeg")];
    const { graph } = client();
    await graph.getPhoto();
    graph.clear();
    const again = await graph.getPhoto();
    expect(again.status === "ok" && again.value?.bytes[0]).toBe(2);
    expect(received).toHaveLength(2);
  });
});

describe("GraphClient's options", () => {
  it.each(["maxAgeMs", "timeoutMs", "maxRetryWaitMs", "maxThrottleRetries"])("refuses a negative or non-finite %s", (name) => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => client({ [name]: value })).toThrow(new RangeError(`GraphClient option ${name} must be a number >= 0, got ${value}.`));
    }
    expect(() => client({ [name]: 0 })).not.toThrow();
  });
});
