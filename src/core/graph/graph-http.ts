import https from "node:https";
import tls from "node:tls";
import { classifyTransportFailure, TransportError } from "../net/https-json.js";

export interface GraphHttpRequest {
  headers: Record<string, string>;
  /** Extra CA certificate (PEM) trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  /** The whole exchange, body included, must finish within this time. */
  timeoutMs: number;
}

export interface GraphHttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One HTTPS GET whose body is kept as bytes (a photo is not JSON, so net/https-json's requestJson cannot carry it),
 * with a deadline for the whole answer rather than an idle timeout. Failures below HTTP are TransportErrors,
 * classified exactly as net/https-json does.
 */
export function httpsGet(url: string, request: GraphHttpRequest): Promise<GraphHttpAnswer> {
  const target = new URL(url);
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const timedOut = () =>
    new TransportError("timeout", target.host, `no complete answer within ${seconds(request.timeoutMs)}`, "ETIMEDOUT");
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(deadline.aborted ? timedOut() : classifyTransportFailure(error, target.host));
    const req = https.request(
      target,
      {
        method: "GET",
        headers: request.headers,
        // Setting `ca` replaces Node's default roots, so keep them alongside the extra CA.
        ...(request.extraCaPem ? { ca: [...tls.rootCertificates, request.extraCaPem] } : {}),
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
    req.end();
  });
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
