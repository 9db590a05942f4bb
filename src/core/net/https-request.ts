import https from "node:https";
import tls from "node:tls";

/** Why a request never got an HTTP answer. */
export type TransportFailureKind = "tls" | "refused" | "dns" | "timeout" | "reset" | "other";

/** A request that failed below HTTP. Carries the host and a plain-words reason; never the URL's query. */
export class TransportError extends Error {
  override readonly name = "TransportError";

  constructor(
    readonly kind: TransportFailureKind,
    /** `host` or `host:port` as in the URL. */
    readonly host: string,
    /** Short reason in plain words, e.g. "the certificate is signed by an authority this machine does not trust". */
    readonly reason: string,
    /** Node's error code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`, when there is one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${reason}`, options);
  }
}

export interface HttpsRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Extra CA certificates (PEM) trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  /** The whole exchange, body included, must finish within this time. Default 30 s. */
  timeoutMs?: number;
}

export interface HttpsResponse<Body> {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Body;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Node's TLS verification codes that mean "this certificate cannot be trusted", in words a user can act on. */
const TLS_REASONS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: "the certificate is signed by an authority this machine does not trust",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed and not trusted here",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate is signed by an authority this machine does not trust",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate is signed by an authority this machine does not trust",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer is unknown",
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet (check the system clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate does not name this host",
  CERT_REVOKED: "the certificate has been revoked",
  EPROTO: "the TLS handshake failed (is it an https server?)",
};

/** Sorts a Node network error into a kind and a reason. Exported for the error-mapping tests. */
export function classifyTransportFailure(error: unknown, host: string): TransportError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const codeText = typeof code === "string" ? code : undefined;
  const make = (kind: TransportFailureKind, reason: string) =>
    new TransportError(kind, host, reason, codeText, { cause: error });
  if (codeText === undefined) return make("other", error instanceof Error ? error.message : String(error));
  const tlsReason = TLS_REASONS[codeText];
  if (tlsReason) return make("tls", tlsReason);
  if (/^ERR_(SSL|TLS)_|CERT|^UNABLE_TO_/.test(codeText)) return make("tls", `the TLS handshake failed (${codeText})`);
  switch (codeText) {
    case "ECONNREFUSED":
      return make("refused", "the connection was refused (nothing is listening there)");
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return make("dns", "the host name could not be resolved");
    case "ETIMEDOUT":
    case "ESOCKETTIMEDOUT":
      return make("timeout", "the connection timed out");
    case "ECONNRESET":
    case "EPIPE":
      return make("reset", "the connection was closed unexpectedly");
    default:
      return make("other", `the connection failed (${codeText})`);
  }
}

/**
 * One HTTPS request, its body kept as bytes. Unlike fetch, it can trust an extra CA per request and reports *why* a
 * connection failed (fetch only says "fetch failed"), which the error messages need. The deadline covers the whole
 * exchange, body included, so a server that trickles its answer cannot hold the caller past it.
 */
export function requestBytes(url: string, request: HttpsRequest): Promise<HttpsResponse<Buffer>> {
  const target = new URL(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(deadline.aborted
        ? new TransportError("timeout", target.host, `no complete answer within ${seconds(timeoutMs)}`, "ETIMEDOUT")
        : classifyTransportFailure(error, target.host));
    const req = https.request(
      target,
      {
        method: request.method,
        ...(request.headers ? { headers: request.headers } : {}),
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
    req.end(request.body);
  });
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

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
