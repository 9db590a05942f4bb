import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { watch } from "node:fs";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppContext, serviceEndpoint, TokenService } from "../../../src/app/index.js";
import { askService, greeting, stopService } from "../../../src/app/token-service/client.js";
import type { ServiceEndpoint } from "../../../src/app/token-service/endpoint.js";
import { MAX_FRAME_BYTES } from "../../../src/app/token-service/protocol.js";
import { makeTempHome, type TempHome } from "../../e2e/support/demo-env.js";
import { RawClient, runAs, staleSocket } from "./support.js";

// The token service on real Unix domain sockets, in this process: transport, framing, permissions, stale sockets.
// What it answers against a real IdP, and the CLI using it, are in test/e2e/agent.test.ts.
let home: TempHome;
let runtime: string;
let env: NodeJS.ProcessEnv;
let endpoint: ServiceEndpoint;
let context: AppContext;
let service: TokenService;

beforeAll(async () => {
  home = await makeTempHome();
  runtime = await mkdtemp(path.join(tmpdir(), "entra-tray-run-"));
  env = { ENTRA_TRAY_HOME: home.path, XDG_RUNTIME_DIR: runtime };
  endpoint = serviceEndpoint(env, "linux");
  context = new AppContext({ env, watchIntervalMs: false });
  service = await TokenService.start({ context, endpoint });
});

afterAll(async () => {
  await service?.close();
  context?.dispose();
  await home?.remove();
  await rm(runtime, { recursive: true, force: true });
});

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe("the token service's transport", () => {
  it("listens in $XDG_RUNTIME_DIR/entra-tray: folder 0700, socket and key 0600, all the user's", async () => {
    expect(endpoint.socket).toBe(path.join(runtime, "entra-tray", path.basename(endpoint.socket)));
    expect(await mode(endpoint.folder)).toBe(0o700);
    expect(await mode(endpoint.socket)).toBe(0o600);
    expect(await mode(endpoint.keyFile)).toBe(0o600);
    expect(await mode(endpoint.pidFile)).toBe(0o600);
    for (const file of [endpoint.folder, endpoint.socket, endpoint.keyFile, endpoint.pidFile]) expect((await stat(file)).uid).toBe(process.getuid?.());
  });

  it("without $XDG_RUNTIME_DIR, a folder with the uid in its name under the temporary folder; each app home its own socket", () => {
    const fallback = serviceEndpoint({ ENTRA_TRAY_HOME: home.path, TMPDIR: "/var/tmp" }, "linux");
    expect(fallback.folder).toBe(`/var/tmp/entra-tray-${process.getuid?.()}`);
    expect(serviceEndpoint({ ...env, ENTRA_TRAY_HOME: "/elsewhere" }, "linux").socket).not.toBe(endpoint.socket);
    expect(serviceEndpoint(env, "win32").socket).toMatch(/^\\\\\.\\pipe\\entra-tray-[0-9a-f]{16}$/);
  });

  it("answers a client that sends the key, and greets with its version and process", async () => {
    const answer = await askService(endpoint, { op: "status" });
    expect(answer?.greeting).toEqual({ v: 1, service: "entra-tray", pid: process.pid });
    expect(answer?.reply).toMatchObject({ ok: true, result: { storage: { kind: expect.any(String) }, profiles: [] } });
  });

  it("refuses a request without the key, of another version, malformed or oversized, with an error reply each, and keeps serving", async () => {
    const client = await RawClient.connect(endpoint.socket);
    client.send(`${JSON.stringify({ v: 1, id: 7, op: "status", key: "00".repeat(32) })}\n`);
    client.send(`${JSON.stringify({ v: 2, id: 8, op: "status", key: "" })}\n`);
    client.send("{not json\n");
    client.send(`${"x".repeat(MAX_FRAME_BYTES + 1)}\n`);
    await client.received(5);
    expect(client.lines.slice(1)).toEqual([
      expect.objectContaining({ id: 7, ok: false, error: expect.objectContaining({ fault: "refused" }) }),
      expect.objectContaining({ id: 8, ok: false, error: expect.objectContaining({ fault: "version" }) }),
      expect.objectContaining({ id: null, ok: false, error: expect.objectContaining({ fault: "malformed" }) }),
      expect.objectContaining({ id: null, ok: false, error: expect.objectContaining({ fault: "oversized" }) }),
    ]);
    client.close();
    expect((await askService(endpoint, { op: "status" }))?.reply.ok).toBe(true);
  });

  it("10,000 random and oversized frames leave it serving", async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => RawClient.connect(endpoint.socket)));
    let expected = 0;
    for (let frame = 0; frame < 10_000; frame++) {
      const client = clients[frame % clients.length] as RawClient;
      const oversized = frame % 100 === 0;
      // Random bytes without newlines, so each frame is one line and gets exactly one reply.
      const body = randomBytes(oversized ? MAX_FRAME_BYTES + 1 + (frame % 7) : 1 + (frame % 300)).map((byte) => (byte === 10 ? 32 : byte));
      client.send(Buffer.concat([body, Buffer.from("\n")]));
      expected += 1;
    }
    await Promise.all(clients.map((client) => client.received(1 + expected / clients.length)));
    const replies = clients.flatMap((client) => client.lines.slice(1)) as { ok: boolean; error: { fault: string } }[];
    expect(replies).toHaveLength(10_000);
    expect(replies.every((reply) => !reply.ok && ["malformed", "oversized"].includes(reply.error.fault))).toBe(true);
    expect(replies.filter((reply) => reply.error.fault === "oversized")).toHaveLength(100);
    for (const client of clients) client.close();
    expect((await askService(endpoint, { op: "status" }))?.reply.ok).toBe(true);
  });

  it("a second service at the same place is refused while the first runs", async () => {
    const second = new AppContext({ env, watchIntervalMs: false });
    await expect(TokenService.start({ context: second, endpoint })).rejects.toMatchObject({
      kind: "config", message: expect.stringContaining(`already running (process ${process.pid})`),
    });
    second.dispose();
  });

  it("greets a client that connects the moment its socket appears, before it has finished starting", async () => {
    const earlyHome = await makeTempHome();
    const earlyEnv = { ...env, ENTRA_TRAY_HOME: earlyHome.path };
    const place = serviceEndpoint(earlyEnv, "linux");
    const earlyContext = new AppContext({ env: earlyEnv, watchIntervalMs: false });
    const watcher = watch(place.folder);
    try {
      const greeted = new Promise<Awaited<ReturnType<typeof greeting>>>((resolve) => {
        watcher.on("change", (_event, name) => {
          if (name !== path.basename(place.socket)) return;
          watcher.close();
          resolve(greeting(place.socket));
        });
      });
      const early = await TokenService.start({ context: earlyContext, endpoint: place });
      expect((await greeted)?.pid).toBe(process.pid);
      await early.close();
    } finally {
      watcher.close();
      earlyContext.dispose();
      await earlyHome.remove();
    }
  });

  it("a stale socket from a killed service is no answer to a client, and the next service replaces it", async () => {
    const staleHome = await makeTempHome();
    const staleEnv = { ...env, ENTRA_TRAY_HOME: staleHome.path };
    const place = serviceEndpoint(staleEnv, "linux");
    const staleContext = new AppContext({ env: staleEnv, watchIntervalMs: false });
    try {
      await staleSocket(place.socket);
      expect((await stat(place.socket)).isSocket()).toBe(true);
      expect(await askService(place, { op: "status" })).toBeUndefined();
      expect(await stopService(place)).toEqual({ kind: "none" });
      const replacing = await TokenService.start({ context: staleContext, endpoint: place });
      expect((await askService(place, { op: "status" }))?.reply.ok).toBe(true);
      await replacing.close();
    } finally {
      staleContext.dispose();
      await staleHome.remove();
    }
  });
  it("a hung service (accepts, never greets) is no answer: the client gives up after its bound and answers by itself", async () => {
    const hungHome = await makeTempHome();
    const place = serviceEndpoint({ ...env, ENTRA_TRAY_HOME: hungHome.path }, "linux");
    const hung = createServer();
    try {
      hung.listen(place.socket);
      await once(hung, "listening");
      await writeFile(place.keyFile, "00".repeat(32), { mode: 0o600 });
      const accepted = once(hung, "connection");
      expect(await askService(place, { op: "status" })).toBeUndefined();
      await accepted;
      // `agent --stop` tells it apart from no service at all, naming the pid the service wrote when it has one.
      expect(await stopService(place)).toEqual({ kind: "hung", pid: undefined });
      await writeFile(place.pidFile, `${process.pid}\n`);
      expect(await stopService(place)).toEqual({ kind: "hung", pid: process.pid });
      // One that greets but never answers `stop`: the greeting names its pid.
      hung.on("connection", (socket) => socket.write(`${JSON.stringify({ v: 1, service: "entra-tray", pid: 4242 })}\n`));
      expect(await stopService(place)).toEqual({ kind: "hung", pid: 4242 });
    } finally {
      hung.close();
      await hungHome.remove();
    }
  });
});

describe("a client under another uid (this test runs as root and drops to nobody)", () => {
  const NOBODY = 65534;
  // Only root can start a process as another user: said in the report when the suite runs as anyone else.
  beforeEach((context) => {
    if (process.getuid?.() !== 0) context.skip(`needs root to run a client as nobody; this run is uid ${process.getuid?.()}`);
  });
  const client = (code: string) => runAs(NOBODY, NOBODY, `
    import { connect } from "node:net";
    import { readFileSync } from "node:fs";
    let key = "";
    try { key = readFileSync(${JSON.stringify(endpoint.keyFile)}, "utf8"); } catch (error) { key = ""; }
    const socket = connect(${JSON.stringify(endpoint.socket)});
    let text = "";
    socket.on("error", (error) => { console.log(JSON.stringify({ error: error.code })); });
    socket.on("data", (data) => {
      text += data;
      const lines = text.split("\\n").filter(Boolean);
      if (lines.length < 2) return;
      console.log(JSON.stringify({ reply: JSON.parse(lines[1]), keyRead: key !== "" }));
      socket.destroy();
    });
    ${code}
  `, env);

  it("cannot even reach the socket: the folder is 0700", async () => {
    expect(JSON.parse(await client(`socket.write(JSON.stringify({ v: 1, id: 1, op: "token", key }) + "\\n");`))).toEqual({ error: "EACCES" });
  });

  it("with the folder and socket opened up by mistake, still cannot read the key and is refused", async () => {
    await Promise.all([chmod(runtime, 0o711), chmod(endpoint.folder, 0o711), chmod(endpoint.socket, 0o666)]);
    try {
      const seen = JSON.parse(await client(`socket.write(JSON.stringify({ v: 1, id: 1, op: "token", key }) + "\\n");`)) as Record<string, unknown>;
      expect(seen).toMatchObject({ keyRead: false, reply: { id: 1, ok: false, error: { fault: "refused" } } });
    } finally {
      await Promise.all([chmod(runtime, 0o700), chmod(endpoint.folder, 0o700), chmod(endpoint.socket, 0o600)]);
    }
  });
});
