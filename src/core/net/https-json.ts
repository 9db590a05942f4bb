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

export interface JsonRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Extra CA certificates (PEM) trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  /** Gives up when the connection stays silent this long. */
  timeoutMs?: number;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
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
 * One HTTPS request whose answer is JSON. Unlike fetch, it can trust an extra CA per request and reports
 * *why* a connection failed (fetch only says "fetch failed"), which the error messages need.
 */
export function requestJson(url: string, request: JsonRequest): Promise<JsonResponse> {
  const target = new URL(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const req = https.request(
      target,
      {
        method: request.method,
        headers: { Accept: "application/json", ...request.headers },
        // Setting `ca` replaces Node's default roots, so keep them alongside the extra CA.
        ...(request.extraCaPem ? { ca: [...tls.rootCertificates, request.extraCaPem] } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => reject(classifyTransportFailure(error, target.host)));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: parseJson(Buffer.concat(chunks).toString("utf8")) });
        });
      },
    );
    req.on("timeout", () => {
      req.destroy(
        new TransportError("timeout", target.host, `no answer within ${Math.round(timeoutMs / 1000)} s`, "ETIMEDOUT"),
      );
    });
    req.on("error", (error) =>
      reject(error instanceof TransportError ? error : classifyTransportFailure(error, target.host)),
    );
    req.end(request.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
