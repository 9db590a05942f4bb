import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface ConnectProxyOptions {
  /** Answer every CONNECT with this status instead of opening the tunnel (e.g. 403, 502). */
  refuseWith?: number;
  /** Open tunnels only for this exact Proxy-Authorization header; otherwise 407. */
  requireAuthorization?: string;
  /** Accept CONNECT requests and never answer them. */
  silent?: boolean;
  /** Serve the proxy over TLS (an https:// proxy) with this certificate and key. */
  tls?: { certPem: string; keyPem: string };
}

export interface RunningProxy {
  port: number;
  /** Tunnels opened to the host behind, in order: the CONNECT target (`host:port`). */
  tunnels: string[];
  /** Every CONNECT request seen, with its Proxy-Authorization header. */
  requests: { target: string; authorization: string | undefined }[];
  /** Client connections to the proxy still open. */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * A tiny HTTP CONNECT proxy on 127.0.0.1. Like a real proxy it resolves names itself, but every name resolves to
 * 127.0.0.1 here: a request for `idp.proxied.test` can only succeed if it went through this proxy.
 */
export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<RunningProxy> {
  const server = options.tls ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }) : http.createServer();
  const tunnels: string[] = [];
  const requests: RunningProxy["requests"] = [];
  const connections = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? "";
    const authorization = req.headers["proxy-authorization"];
    requests.push({ target, authorization });
    client.on("error", () => client.destroy());
    if (options.silent) {
      // http.Server keeps connections half-open: hang up when the client does, as a real proxy would.
      client.on("end", () => client.end());
      return void client.resume();
    }
    const answer = (status: number, headers = "") =>
      client.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${headers}Content-Length: 0\r\n\r\n`);
    if (options.refuseWith) return answer(options.refuseWith);
    if (options.requireAuthorization !== undefined && authorization !== options.requireAuthorization) {
      return answer(407, 'Proxy-Authenticate: Basic realm="test proxy"\r\n');
    }
    const port = Number(new URL(`http://${target}`).port);
    const upstream = net.connect(port, "127.0.0.1", () => {
      tunnels.push(target);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => answer(502));
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tunnels,
    requests,
    openConnections: () => connections.size,
    close: () => new Promise<void>((resolve) => {
      for (const socket of connections) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
