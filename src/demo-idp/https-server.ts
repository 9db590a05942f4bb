import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { ServerCredentials } from "./certificates.js";

export interface LoopbackServer {
  server: Server;
  port: number;
  /** Stops listening and destroys every connection, so no handle stays open and close never waits. */
  close: () => Promise<void>;
}

/** An HTTPS server on loopback only: the demo IdP is for this machine's user, never for the network. */
export async function listenOnLoopback(credentials: ServerCredentials, port: number): Promise<LoopbackServer> {
  const server = createServer({ cert: credentials.certPem, key: credentials.keyPem });
  // Tracked from the TCP accept on: server.closeAllConnections() misses sockets still in the TLS handshake.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `Port ${port} on 127.0.0.1 is already in use, probably by another demo identity provider. ` +
                "Stop that one, or choose another port.",
              { cause: error },
            )
          : error,
      );
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      })),
  };
}
