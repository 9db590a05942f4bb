/** Why a request never got an HTTP answer. */
export type TransportFailureKind = "tls" | "refused" | "dns" | "timeout" | "reset" | "other";

/** The proxy that failed or refused, when the failure is the proxy's rather than the host's behind it. */
export interface ProxyAtFault {
  /** The environment variable that named the proxy, e.g. `HTTPS_PROXY`. */
  variable: string;
  /** `host:port` of the proxy (never its credentials); absent when the variable holds no usable URL. */
  address?: string;
}

/** A request that failed below HTTP. Carries the host and a plain-words reason; never the URL's query. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  /** Set when the proxy (not the host) failed: then the reason names the proxy and what to check. */
  readonly proxy: ProxyAtFault | undefined;

  constructor(
    readonly kind: TransportFailureKind,
    /** `host` or `host:port` as in the URL. */
    readonly host: string,
    /** Short reason in plain words, e.g. "the certificate is signed by an authority this machine does not trust". */
    readonly reason: string,
    /** Node's error code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`, when there is one. */
    readonly code: string | undefined,
    options?: { cause?: unknown; proxy?: ProxyAtFault },
  ) {
    super(`${host}: ${reason}`, options);
    this.proxy = options?.proxy;
  }
}

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
