import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { TestTls } from "./test-tls.js";

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      (server as http.Server).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** An HTTPS server on 127.0.0.1 answering every request with `handler`. */
export function startHttps(tls: TestTls, handler: http.RequestListener): Promise<RunningServer> {
  return listen(https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler));
}

export function startHttp(handler: http.RequestListener): Promise<RunningServer> {
  return listen(http.createServer(handler));
}

/** Accepts TCP connections and never says a word. */
export function startSilent(): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return listen(server).then((running) => ({
    ...running,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return running.close();
    },
  }));
}

/** A port on 127.0.0.1 that nothing listens on (it was just released). */
export async function closedPort(): Promise<number> {
  const server = await listen(net.createServer());
  await server.close();
  return server.port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
