import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObservedNetworkModule, UnexpectedAnswerError } from "../../../src/core/auth/msal-network.js";
import { startHttps } from "./support/servers.js";
import type { RunningServer } from "./support/servers.js";
import { createTestTls } from "./support/test-tls.js";

// What the network client tells MSAL and remembers for the error messages, against a real HTTPS server.
const tls = createTestTls();
let server: RunningServer;
let base = "";

beforeAll(async () => {
  server = await startHttps(tls, (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/.well-known/openid-configuration") {
      json(200, { issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`, scopes_supported: ["openid"] });
    } else if (req.url === "/token") {
      json(400, { error: "invalid_grant", error_description: "grant expired" });
    } else if (req.url === "/proxy") {
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    }
  });
  base = `https://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

const network = () => new ObservedNetworkModule({ extraCaPem: tls.caPem });

describe("ObservedNetworkModule", () => {
  it("remembers the endpoints of a discovery document it fetched", async () => {
    const client = network();
    await client.sendGetRequestAsync(`${base}/.well-known/openid-configuration`);
    expect(client.takeObservation().discovered).toEqual({
      issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`,
    });
  });

  it("hands an OAuth error answer to MSAL and remembers it", async () => {
    const client = network();
    const answer = await client.sendPostRequestAsync(`${base}/token`, { body: "grant_type=refresh_token" });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(client.takeObservation()).toEqual({
      oauthError: { host: `127.0.0.1:${server.port}`, status: 400, error: "invalid_grant", description: "grant expired" },
    });
  });

  it.each([["a missing endpoint", "/moved/token", 404], ["a proxy's error page", "/proxy", 502]])(
    "fails a post answered by %s instead of passing MSAL an empty token response", async (_name, path, status) => {
      const client = network();
      const thrown = await client.sendPostRequestAsync(`${base}${path}`, { body: "grant_type=refresh_token" }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(UnexpectedAnswerError);
      expect(thrown).toMatchObject({ status, host: `127.0.0.1:${server.port}` });
      expect(client.takeObservation().unexpectedAnswer).toEqual({ host: `127.0.0.1:${server.port}`, status });
    });
});
