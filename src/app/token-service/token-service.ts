import { randomBytes, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { FileLock } from "../../core/cache/file-lock.js";
import { writeFileAtomically } from "../../core/errors/atomic-write.js";
import { AuthError, isAuthError } from "../../core/errors/auth-error.js";
import { reasonOf } from "../../core/errors/sanitize.js";
import type { Profile } from "../../core/config/profile.js";
import type { AppContext } from "../app-context.js";
import type { ProfileSession } from "../profile-session.js";
import { greeting } from "./client.js";
import type { ServiceEndpoint } from "./endpoint.js";
import { LineReader } from "./line-reader.js";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type Greeting, type ProtocolFault, type Reply, type WireError } from "./protocol.js";
import { isRejected, readEnvelope } from "./parse-envelope.js";
import { ServiceRequests } from "./requests.js";

export interface TokenServiceOptions {
  context: AppContext;
  endpoint: ServiceEndpoint;
  /** One line per event worth a log (start, stop, refused requests); never a token. */
  log?: (line: string) => void;
  /**
   * A session the process already keeps open for the profile (the tray's), served instead of opening a second one:
   * one TokenKeeper, one refresher, in the tray process too. The service neither keeps nor closes it.
   */
  borrow?: (profile: Profile) => ProfileSession | undefined;
}

/** A connection idle this long is closed, so forgotten clients cannot pile up. */
const IDLE_MS = 60_000;

/**
 * The local token service: answers `token`, `whoami` and `status` for any profile and account over a Unix domain
 * socket (a named pipe on Windows) from one AppContext, so every process on the machine shares one refresher and
 * one in-memory token (see endpoint.ts for who may connect). Started by `entra-tray agent` and the tray app.
 */
export class TokenService {
  /** Settles when the service has stopped, by close() or by a client's `stop`. */
  readonly stopped: Promise<void>;
  private readonly connections = new Set<Socket>();
  private readonly requests: ServiceRequests;
  private readonly log: (line: string) => void;
  private closing: Promise<void> | undefined;
  private stopping = false;
  private readonly serverClosed: Promise<unknown>;
  private markStopped!: () => void;

  private constructor(
    private readonly server: Server,
    private readonly endpoint: ServiceEndpoint,
    private readonly key: Buffer,
    options: TokenServiceOptions,
  ) {
    this.requests = new ServiceRequests(options.context, options.borrow);
    this.log = options.log ?? (() => undefined);
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
    this.serverClosed = once(server, "close");
    server.on("connection", (socket) => this.serve(socket));
  }

  /**
   * Listens at `endpoint`, replacing a stale socket left by a crashed service; AuthError(config) when a live
   * service already answers there, or when the folder is not the user's alone.
   */
  static async start(options: TokenServiceOptions): Promise<TokenService> {
    const { endpoint } = options;
    await preparePrivateFolder(endpoint);
    // Two services starting at once must not both decide the socket is stale and unlink each other's.
    return new FileLock(`${endpoint.keyFile}.lock`).run(async () => {
      const running = await greeting(endpoint.socket);
      if (running) {
        throw new AuthError("config", `An entra-tray token service is already running (process ${running.pid}) at ${endpoint.socket}.`,
          "Use that one, or stop it first.", { remedy: { kind: "useRunningService", pid: running.pid } });
      }
      if (endpoint.uid !== undefined) await unlink(endpoint.socket).catch(ignoreMissing);
      const key = randomBytes(32);
      // Written whole (a client never reads half a key) and readable by this user only.
      await writeFileAtomically(endpoint.keyFile, key.toString("hex"), 0o600);
      // Read only when this service hangs, to name the process to end.
      await writeFileAtomically(endpoint.pidFile, `${process.pid}\n`, 0o600);
      const server = createServer();
      // Serving from the first connection: a client may connect as soon as the socket exists.
      const service = new TokenService(server, endpoint, key, options);
      server.listen(endpoint.socket);
      await Promise.race([once(server, "listening"), once(server, "error").then(([error]) => Promise.reject(error as Error))]);
      if (endpoint.uid !== undefined) await chmod(endpoint.socket, 0o600);
      service.log(`serving tokens at ${endpoint.socket} (process ${process.pid})`);
      return service;
    });
  }

  /** Stops listening, closes every connection and the sessions, and removes the socket and key files. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      if (this.server.listening) this.server.close();
      for (const socket of this.connections) socket.destroy();
      await this.serverClosed;
      this.requests.dispose();
      await Promise.all([this.endpoint.keyFile, this.endpoint.pidFile].map((file) => unlink(file).catch(ignoreMissing)));
      this.log("stopped");
      this.markStopped();
    })());
  }

  private serve(socket: Socket): void {
    this.connections.add(socket);
    socket.on("close", () => this.connections.delete(socket));
    socket.on("error", () => undefined); // a client that went away: nothing to tell anyone
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    const send = (reply: Reply) => {
      // The reply to `stop` goes out whole before the connections close.
      if (socket.writable) socket.write(`${JSON.stringify(reply)}\n`, () => void (this.stopping && this.close()));
    };
    const hello: Greeting = { v: PROTOCOL_VERSION, service: "entra-tray", pid: process.pid };
    socket.write(`${JSON.stringify(hello)}\n`);
    const reader = new LineReader(MAX_FRAME_BYTES,
      (line) => void this.handle(line).then(send),
      () => send(faultReply(null, "oversized", `A request longer than ${MAX_FRAME_BYTES} bytes was skipped.`)));
    socket.on("data", (data: Buffer) => reader.push(data));
  }

  private async handle(line: string): Promise<Reply> {
    const envelope = readEnvelope(line);
    if (isRejected(envelope)) return faultReply(envelope.id, envelope.fault, envelope.message);
    const { id } = envelope;
    if (!this.knows(envelope.key)) {
      this.log("refused a request without this service's key");
      return faultReply(id, "refused", "The request did not carry this service's key.");
    }
    if (envelope.op === "stop") {
      // No new connections from now on: the socket file is gone before the client hears back.
      this.stopping = true;
      this.server.close();
      return { v: PROTOCOL_VERSION, id, ok: true, result: { pid: process.pid } };
    }
    try {
      return { v: PROTOCOL_VERSION, id, ok: true, result: await this.requests.answer(envelope) };
    } catch (error) {
      return { v: PROTOCOL_VERSION, id, ok: false, error: wireError(error) };
    }
  }

  private knows(key: string): boolean {
    const given = Buffer.from(key, "hex");
    return given.length === this.key.length && timingSafeEqual(given, this.key);
  }
}

function faultReply(id: number | null, fault: ProtocolFault, message: string): Reply {
  return { v: PROTOCOL_VERSION, id, ok: false, error: { kind: "unexpected", message, action: "Update entra-tray so that the service and its clients match.", fault } };
}

/** What the CLI needs to show the failure exactly as if it had met it itself. */
function wireError(error: unknown): WireError {
  if (!isAuthError(error)) {
    return { kind: "unexpected", message: `Unexpected failure in the token service: ${reasonOf(error)}.`, action: "Try again; if it keeps failing, restart the token service." };
  }
  const { kind, message, action, remedy } = error;
  return { kind, message, action, ...(remedy && { remedy }) };
}

/** The endpoint's folder, made if missing; refused unless it is a real folder of this user's that nobody else may enter. */
async function preparePrivateFolder({ folder, uid }: ServiceEndpoint): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if (uid === undefined) return;
  const found = await lstat(folder);
  if (!found.isDirectory() || found.uid !== uid) {
    throw new AuthError("config", `${folder} is not a folder of this user's, so the token service will not listen there.`,
      "Remove it (or set XDG_RUNTIME_DIR to a private folder), then start the service again.");
  }
  if ((found.mode & 0o077) !== 0) await chmod(folder, 0o700);
}

const ignoreMissing = (error: NodeJS.ErrnoException): void => {
  if (error.code !== "ENOENT") throw error;
};
