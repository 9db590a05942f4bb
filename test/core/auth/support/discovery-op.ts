import { startHttps } from "./servers.js";
import type { RunningServer } from "./servers.js";
import type { TestTls } from "./test-tls.js";

export interface DiscoveryOp extends RunningServer {
  issuer: string;
  /** Paths requested so far. */
  requests: string[];
}

/**
 * An HTTPS server that publishes only an OpenID discovery document: enough for MSAL to build authorization
 * URLs and open its loopback listener, with no real sign-in behind it.
 */
export async function startDiscoveryOp(tls: TestTls): Promise<DiscoveryOp> {
  const requests: string[] = [];
  let issuer = "";
  const server = await startHttps(tls, (req, res) => {
    requests.push(req.url ?? "");
    if (req.url !== "/.well-known/openid-configuration") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
    }));
  });
  issuer = `https://127.0.0.1:${server.port}`;
  return { ...server, issuer, requests };
}
