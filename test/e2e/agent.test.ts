import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEndpoint } from "../../src/app/index.js";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { commandPath, loadedModules, moduleTraceEnv } from "../support/module-trace.js";
import { baseEnv, runCli, startCli, waitForOutput, type CliRun } from "../support/run-cli.js";
import { browserCommandEnv, makeTempHome, useDemoEnv, type TempHome } from "./support/demo-env.js";

// `entra-tray agent` serving real `entra-tray` processes: real sockets, the demo IdP, a private GNOME Keyring that
// the agent and the commands share. Which path answered is proven by the modules each command loaded: the
// client path loads no MSAL and no keyring binding; a command answering by itself reads a cached token without
// MSAL ("cache", see cli-cached-token.test.ts) or loads MSAL ("msal").
const keyring = useProcessKeyring();
const env = useDemoEnv();
let home: TempHome;
let runtime: string;
let elsewhere: string;
let traces: string;
const outputs: string[] = [];
const tokens: string[] = [];

beforeAll(async () => {
  home = await makeTempHome();
  const folder = (prefix: string) => mkdtemp(path.join(tmpdir(), `entra-tray-${prefix}`));
  runtime = await folder("run-");
  elsewhere = await folder("run-none-");
  traces = await folder("trace-");
});
afterAll(async () => {
  await home?.remove();
  await Promise.all([runtime, elsewhere, traces].filter(Boolean).map((folder) => rm(folder, { recursive: true, force: true })));
});

const flags = () => ["--authority", env().idp.authority, "--client-id", env().idp.clientId, "--ca-file", env().idp.caFile];
/** The agent's environment, and the commands' that should find it; `direct` commands look in a folder with no agent. */
const cliEnv = (extra: NodeJS.ProcessEnv = {}, direct = false) =>
  ({ ...baseEnv(home.path), DBUS_SESSION_BUS_ADDRESS: keyring().address, XDG_RUNTIME_DIR: direct ? elsewhere : runtime, ...extra });
const endpoint = () => serviceEndpoint(cliEnv(), "linux");
const alice = () => env().user(0).username;

let traced = 0;

/** Runs a command, recording its output for the log scan; `path` says which path it took, by the modules it loaded. */
async function cli(args: string[], { direct = false, extra = {} }: { direct?: boolean; extra?: NodeJS.ProcessEnv } = {}) {
  const trace = path.join(traces, `${++traced}.log`);
  const run = await runCli([...args, ...flags()], cliEnv({ ...extra, ...moduleTraceEnv(trace) }, direct));
  outputs.push(run.stderr);
  return { ...run, path: commandPath(await loadedModules(trace)) };
}

function startAgent() {
  const agent = startCli(["agent"], cliEnv());
  return { agent, ready: waitForOutput(agent, /serving tokens at/) };
}

const same = (run: CliRun) => ({ code: run.code, stdout: run.stdout, stderr: run.stderr });

describe("`entra-tray agent` answering `entra-tray` commands", () => {
  let agent: ReturnType<typeof startCli>;

  beforeAll(async () => {
    const started = startAgent();
    agent = started.agent;
    await started.ready;
  });
  afterAll(async () => {
    if (agent.child.exitCode === null) {
      agent.child.kill("SIGTERM");
      await agent.done;
    }
  });

  it("before any sign-in, `token --no-interactive` answered by the agent exits 4 exactly as without it", async () => {
    const [viaAgent, direct] = [await cli(["token", "--no-interactive"]), await cli(["token", "--no-interactive"], { direct: true })];
    expect([viaAgent.path, direct.path]).toEqual(["agent", "msal"]);
    expect(viaAgent.code).toBe(4);
    expect(same(viaAgent)).toEqual(same(direct));
  });

  it("follows a `login` in another process: `token` then comes from the agent, with no IdP request and no MSAL loaded", async () => {
    const login = await cli(["login"], { extra: browserCommandEnv(env().idp, { user: alice() }) });
    expect(login.code).toBe(0);
    const requests = env().idp.tokenRequests();
    const viaAgent = await cli(["token", "--json", "--no-interactive"]);
    expect(viaAgent.path).toBe("agent");
    expect(viaAgent.code).toBe(0);
    const direct = await cli(["token", "--json", "--no-interactive"], { direct: true });
    expect(direct.path).toBe("cache");
    expect(same(viaAgent)).toEqual(same(direct));
    expect(env().idp.tokenRequests()).toBe(requests);
    tokens.push((JSON.parse(viaAgent.stdout) as { accessToken: string }).accessToken);
    for (const format of [["--header"], []]) {
      const [plain, plainDirect] = [await cli(["token", ...format]), await cli(["token", ...format], { direct: true })];
      expect(plain.path).toBe("agent");
      expect(same(plain)).toEqual(same(plainDirect));
    }
  });

  it("`whoami` and `status` print the same whichever path answered; `status` says whether the agent runs", async () => {
    const [whoami, whoamiDirect] = [await cli(["whoami", "--json"]), await cli(["whoami", "--json"], { direct: true })];
    expect(whoami.path).toBe("agent");
    expect(same(whoami)).toEqual(same(whoamiDirect));
    expect(JSON.parse(whoami.stdout)).toMatchObject({ account: { username: alice() } });
    const [text, textDirect] = [await cli(["whoami"]), await cli(["whoami"], { direct: true })];
    expect(text.stdout.split("\n")[0]).toBe(textDirect.stdout.split("\n")[0]);
    expect(text.stdout.split("\n").length).toBe(textDirect.stdout.split("\n").length);

    const [status, statusDirect] = [await cli(["status", "--json"]), await cli(["status", "--json"], { direct: true })];
    expect(status.path).toBe("agent");
    const { agent: running, ...rest } = JSON.parse(status.stdout) as { agent: unknown };
    const { agent: none, ...restDirect } = JSON.parse(statusDirect.stdout) as { agent: unknown };
    expect(running).toEqual({ running: true, pid: agent.child.pid, socket: endpoint().socket });
    expect(none).toEqual({ running: false });
    expect(rest).toEqual(restDirect);
    expect((await cli(["status"])).stdout).toMatch(new RegExp(`^agent\\trunning\\tprocess ${agent.child.pid} at `, "m"));
  });

  it("`--account` of an account not signed in exits 4 with the same words either way", async () => {
    const args = ["token", "--no-interactive", "--account", "carol@demo.entra-tray.test"];
    const [viaAgent, direct] = [await cli(args), await cli(args, { direct: true })];
    expect(viaAgent.path).toBe("agent");
    expect(viaAgent.code).toBe(4);
    expect(same(viaAgent)).toEqual(same(direct));
  });

  it("follows a `logout` in another process: the next `token` from the agent exits 4", async () => {
    const logout = await cli(["logout", "--no-browser"]);
    expect(logout.code).toBe(0);
    const after = await cli(["token", "--no-interactive"]);
    expect(after.path).toBe("agent");
    expect(after.code).toBe(4);
    expect(after.stdout).toBe("");
  });

  it("a sign-in needed by `token`: the command signs in itself, and the agent serves that account next", async () => {
    const bob = env().user(1).username;
    const signingIn = await cli(["token", "--json"], { extra: browserCommandEnv(env().idp, { user: bob }) });
    expect(signingIn.code).toBe(0);
    expect(signingIn.path).toBe("msal");
    expect(signingIn.stderr).toMatch(/Opening the browser/);
    const next = await cli(["token", "--json", "--no-interactive"]);
    expect(next.path).toBe("agent");
    expect(JSON.parse(next.stdout)).toMatchObject({ account: { username: bob } });
    tokens.push((JSON.parse(next.stdout) as { accessToken: string }).accessToken);
  });

  it("`agent --stop` stops it cleanly; commands then answer by themselves and `status` says no agent runs", async () => {
    const stop = await cli(["agent", "--stop"]);
    expect(stop.stderr).toBe(`Stopped the entra-tray agent (process ${agent.child.pid}).\n`);
    const stopped = await agent.done;
    outputs.push(stopped.stdout, stopped.stderr);
    expect(stopped.code).toBe(0);
    await expect(stat(endpoint().socket)).rejects.toMatchObject({ code: "ENOENT" });
    const token = await cli(["token", "--no-interactive"]);
    expect([token.path, token.code]).toEqual(["cache", 0]);
    expect((await cli(["status"])).stdout).toMatch(/^agent\tnot running$/m);
    expect((await cli(["agent", "--stop"])).stderr).toBe("No entra-tray agent is running.\n");
  });

  it("killed, it leaves a stale socket: commands answer by themselves, and the next agent replaces it; SIGTERM stops that one cleanly", async () => {
    const killed = startAgent();
    await killed.ready;
    killed.agent.child.kill("SIGKILL");
    await killed.agent.done;
    expect((await stat(endpoint().socket)).isSocket()).toBe(true);
    const token = await cli(["token", "--no-interactive"]);
    expect([token.path, token.code]).toEqual(["cache", 0]);

    const next = startAgent();
    await next.ready;
    expect((await cli(["token", "--no-interactive"])).path).toBe("agent");
    next.agent.child.kill("SIGTERM");
    const ended = await next.agent.done;
    outputs.push(ended.stdout, ended.stderr, killed.agent.run.stderr);
    expect(ended.code).toBe(0);
    await expect(stat(endpoint().socket)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("no token appears in anything the agent or the commands printed on stderr", () => {
    outputs.push(agent.run.stdout, agent.run.stderr);
    expect(tokens.length).toBeGreaterThan(0);
    for (const text of outputs) {
      expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
      for (const token of tokens) expect(text).not.toContain(token);
    }
  });
});

describe("`entra-tray agent --stop` against a hung agent", () => {
  it("gives up after its bound, names the process to end and exits 3; once the agent runs again, --stop stops it", async () => {
    // A real agent, stopped with SIGSTOP: the kernel still takes connections on its socket, but nothing answers.
    const hungEnv = cliEnv({ XDG_RUNTIME_DIR: elsewhere });
    const agent = startCli(["agent"], hungEnv);
    await waitForOutput(agent, /serving tokens at/);
    const pid = agent.child.pid;
    agent.child.kill("SIGSTOP");
    try {
      const stop = await runCli(["agent", "--stop"], hungEnv);
      expect(stop.code).toBe(3);
      expect(stop.stderr).toBe(`entra-tray: The entra-tray agent (process ${pid}) at ${serviceEndpoint(hungEnv, "linux").socket} took the connection `
        + `but did not answer within 5 s: it is hung. End it with \`kill ${pid}\` (\`kill -9 ${pid}\` if it stays); the next \`entra-tray agent\` replaces its socket.\n`);
      // Meanwhile a command does not wait for it: it answers by itself.
      expect((await cli(["token", "--no-interactive"], { extra: { XDG_RUNTIME_DIR: elsewhere } })).path).not.toBe("agent");
    } finally {
      agent.child.kill("SIGCONT");
    }
    const stop = await runCli(["agent", "--stop"], hungEnv);
    expect(stop.stderr).toBe(`Stopped the entra-tray agent (process ${pid}).\n`);
    expect((await agent.done).code).toBe(0);
  });
});
