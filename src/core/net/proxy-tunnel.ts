import http from "node:http";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { HttpsProxy } from "./proxy-settings.js";
import { secondsText } from "../errors/time-units.js";
import { classifyTransportFailure, TransportError } from "./transport-error.js";
import type { TransportFailureKind } from "./transport-error.js";

export interface TunnelOptions {
  /** The request's deadline: aborting it abandons the CONNECT and closes the connection to the proxy. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Trusted CA certificates for an https:// proxy's own certificate. */
  ca?: string[];
}

/**
 * A tunnel through the proxy to `target`'s host and port (HTTP CONNECT), ready for the TLS handshake with that host.
 * Its own code rather than https-proxy-agent: that agent leaves the proxy connection open past an abort, and hands a
 * proxy's 403 or 5xx answer back as if the host behind it had answered.
 * Failures are TransportErrors whose reason names the proxy, never its credentials.
 */
export function openTunnel(proxy: HttpsProxy, target: URL, options: TunnelOptions): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || 443}`;
  return new Promise((resolve, reject) => {
    const connect = (proxy.protocol === "https:" ? https : http).request({
      host: proxy.hostname,
      port: proxy.port,
      method: "CONNECT",
      path: authority,
      headers: { Host: authority, ...(proxy.authorization ? { "Proxy-Authorization": proxy.authorization } : {}) },
      agent: false,
      signal: options.signal,
      ...(options.ca ? { ca: options.ca } : {}),
    });
    connect.on("connect", (answer: IncomingMessage, socket: Socket, head: Buffer) => {
      const status = answer.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(refusal(proxy, target.host, status, answer.headers["proxy-authenticate"]));
    });
    connect.on("error", (error) => {
      if (options.signal.aborted) {
        reject(proxyFailure("timeout", proxy, target.host, `did not answer within ${secondsText(options.timeoutMs)}`,
          "ETIMEDOUT", error));
        return;
      }
      const failure = classifyTransportFailure(error, proxy.address);
      reject(proxyFailure(failure.kind, proxy, target.host, `cannot be reached: ${failure.reason}`, failure.code, error));
    });
    connect.end();
  });
}

/** The proxy answered CONNECT with something other than 2xx: what that status means and what to do. */
function refusal(proxy: HttpsProxy, targetHost: string, status: number, challenge: string | undefined): TransportError {
  const answer = `${status} ${http.STATUS_CODES[status] ?? ""}`.trim();
  const [kind, advice]: [TransportFailureKind, string] =
    status === 407 ? ["other", credentialsAdvice(proxy, challenge)]
    : status === 403 ? ["other", "its rules do not allow this host; ask whoever runs the proxy, or list the host in NO_PROXY if it can be reached directly"]
    : status === 504 ? ["timeout", "it could not reach the host in time"]
    : status >= 500 ? ["other", "it could not reach the host"]
    : ["other", "check the proxy URL"];
  return proxyFailure(kind, proxy, targetHost, `refused the tunnel to ${targetHost} with ${answer}: ${advice}`, undefined);
}

function credentialsAdvice(proxy: HttpsProxy, challenge: string | undefined): string {
  const scheme = challenge?.trim().split(/\s/, 1)[0];
  if (scheme && !/\bbasic\b/i.test(challenge ?? "")) {
    return `it asks for ${scheme} sign-in, which entra-tray cannot do; use a proxy that accepts a user name and password, or list the host in NO_PROXY`;
  }
  return proxy.authorization
    ? `it did not accept the user name and password in ${proxy.variable}`
    : `it needs a user name and password; put them in ${proxy.variable} as http://user:password@host:port (percent-encoded)`;
}

function proxyFailure(
  kind: TransportFailureKind,
  proxy: HttpsProxy,
  targetHost: string,
  what: string,
  code: string | undefined,
  cause?: unknown,
): TransportError {
  return new TransportError(kind, targetHost, `the proxy ${proxy.address} (${proxy.variable}) ${what}`, code, {
    ...(cause === undefined ? {} : { cause }),
    proxy: { variable: proxy.variable, address: proxy.address },
  });
}
