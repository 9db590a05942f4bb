import https from "node:https";
import { isIP } from "node:net";
import tls from "node:tls";
import { proxyFor, withoutBrackets } from "./proxy-settings.js";
import type { ProxyEnvironment } from "./proxy-settings.js";
import { openTunnel } from "./proxy-tunnel.js";
import { secondsText } from "../errors/time-units.js";
import { classifyTransportFailure, TransportError } from "./transport-error.js";

// Callers catch TransportError from here, as before it had a module of its own.
export { TransportError } from "./transport-error.js";
export type { ProxyAtFault, TransportFailureKind } from "./transport-error.js";

export interface HttpsRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Extra CA certificates (PEM) trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  /** The whole exchange, body included, must finish within this time. Default 30 s. */
  timeoutMs?: number;
  /** Where HTTPS_PROXY / NO_PROXY are read from; default process.env. */
  env?: ProxyEnvironment;
}

export interface HttpsResponse<Body> {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Body;
}

/** How long one request may take unless the caller says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One HTTPS request, its body kept as bytes. Unlike fetch, it can trust an extra CA per request and reports *why* a
 * connection failed (fetch only says "fetch failed"), which the error messages need. The deadline covers the whole
 * exchange, body included, so a server that trickles its answer cannot hold the caller past it. It goes through the
 * proxy that HTTPS_PROXY (and NO_PROXY) choose: see proxy-settings.ts.
 */
export async function requestBytes(url: string, request: HttpsRequest): Promise<HttpsResponse<Buffer>> {
  const target = new URL(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  // Setting `ca` replaces Node's default roots, so keep them alongside the extra CA.
  const ca = request.extraCaPem ? [...tls.rootCertificates, request.extraCaPem] : undefined;
  const proxy = proxyFor(target, request.env);
  const tunnel = proxy ? await openTunnel(proxy, target, { signal: deadline, timeoutMs, ...(ca ? { ca } : {}) }) : undefined;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(deadline.aborted
        ? new TransportError("timeout", target.host, `no complete answer within ${secondsText(timeoutMs)}`, "ETIMEDOUT")
        : classifyTransportFailure(error, target.host));
    const req = https.request(
      target,
      {
        method: request.method,
        ...(request.headers ? { headers: request.headers } : {}),
        ...(ca ? { ca } : {}),
        // Through a proxy, the TLS handshake with the host runs inside the tunnel, with the same trust.
        ...(tunnel ? { createConnection: () => tls.connect({ socket: tunnel, ...tlsIdentity(target), ...(ca ? { ca } : {}) }) } : {}),
        signal: deadline,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on("error", fail);
    req.end(request.body);
  });
}

/** The name the host's certificate must carry; SNI only for names, as IP addresses are not sent there. */
function tlsIdentity(target: URL): { host: string; servername?: string } {
  const host = withoutBrackets(target.hostname);
  return isIP(host) === 0 ? { host, servername: host } : { host };
}

/** requestBytes for an answer that should be JSON: the body parsed, or undefined when it is not JSON. */
export async function requestJson(url: string, request: HttpsRequest): Promise<HttpsResponse<unknown>> {
  const response = await requestBytes(url, { ...request, headers: { Accept: "application/json", ...request.headers } });
  return { ...response, body: parseJsonBody(response.body) };
}

/** A body parsed as JSON, or undefined when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

