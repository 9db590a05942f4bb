import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { LineReader } from "../../../src/app/token-service/line-reader.js";
import { MAX_FRAME_BYTES } from "../../../src/app/token-service/protocol.js";

/** A raw connection to a token service that collects every line it receives, for frames no real client sends. */
export class RawClient {
  readonly lines: unknown[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly socket: Socket) {
    const reader = new LineReader(MAX_FRAME_BYTES * 4, (line) => {
      this.lines.push(JSON.parse(line) as unknown);
      this.waiters = this.waiters.filter((waiter) => (this.lines.length >= waiter.count ? (waiter.resolve(), false) : true));
    }, () => undefined);
    socket.on("data", (data: Buffer) => reader.push(data));
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = connect(path);
    await once(socket, "connect");
    return new RawClient(socket);
  }

  /** Resolves once `count` lines (the greeting included) have arrived. */
  received(count: number): Promise<void> {
    if (this.lines.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs `code` in a Node process under another uid and gid; resolves with what it printed. */
export async function runAs(uid: number, gid: number, code: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { uid, gid, env, stdio: ["ignore", "pipe", "inherit"], cwd: "/" });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  const [status] = await once(child, "close");
  if (status !== 0) throw new Error(`The process under uid ${uid} exited with ${String(status)}.`);
  return out.trim();
}

/** A socket file with nothing behind it: a service that was killed before it could remove it. */
export async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`],
    { stdio: ["ignore", "pipe", "inherit"] });
  await once(child.stdout, "data");
  child.kill("SIGKILL");
  await once(child, "exit");
}
