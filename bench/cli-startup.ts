import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startKeyringSession } from "../test/core/cache/support/keyring-session.js";
import { browserCommandEnv } from "../test/e2e/support/demo-env.js";
import type { DemoSession } from "./demo-session.js";
import { fmt, median, ratio } from "./report.js";
import { azureCli, measureConcurrency } from "./token-service.js";
import type { Table } from "./report.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const RUNS = 15;

interface Run { code: number | null; ms: number; stderr: string }

/** One whole process, from spawn to exit; stdout (which may hold a token) is read and dropped, never shown. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

const firstLine = (text: string): string => text.trim().split("\n")[0] ?? "";

/** `expectedCode` undefined: any exit is fine (a command timed for its start-up alone). */
interface Row { label: string; args: string[]; env: NodeJS.ProcessEnv; expectedCode?: number; command?: string; samples: number[] }

/**
 * Part 3 (and 4, on the same keyring): start-up of the CLI as a whole process against `node -e 0`, `token` with a
 * valid token cached by a `login` in another process (a $BROWSER program does the browser part), in a private,
 * unlocked GNOME Keyring like a desktop's; then `token` answered by a running `entra-tray agent`.
 */
export async function measureCliStartup(session: DemoSession): Promise<Table[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does).`);
  const keyring = await startKeyringSession("unlocked");
  const runtime = await mkdtemp(path.join(tmpdir(), "entra-tray-bench-run-"));
  const noAgent = await mkdtemp(path.join(tmpdir(), "entra-tray-bench-none-"));
  try {
    const env = { ...keyring.env, ENTRA_TRAY_HOME: session.cliHome, XDG_RUNTIME_DIR: runtime };
    await signIn(session, env);
    const agent = await startAgent(env);
    try {
      return [await measureStartups(session, env, { ...env, XDG_RUNTIME_DIR: noAgent }), await measureConcurrency(session, env)];
    } finally {
      await agent.stop();
    }
  } finally {
    await keyring.close();
    await Promise.all([runtime, noAgent].map((folder) => rm(folder, { recursive: true, force: true })));
  }
}

async function signIn({ env, user }: DemoSession, baseEnv: NodeJS.ProcessEnv): Promise<void> {
  delete baseEnv.BROWSER; // nothing may open a browser while timing
  const login = await run(process.execPath, [CLI, "login", "--profile", "demo", "--timeout", "60"],
    { ...baseEnv, ...browserCommandEnv(env.idp, { user: user.username }) });
  if (login.code !== 0) throw new Error(`\`entra-tray login --profile demo\` via $BROWSER failed with exit ${login.code}: ${firstLine(login.stderr)}`);
}

/** `entra-tray agent` in the background, ready when it says where it serves. */
async function startAgent(env: NodeJS.ProcessEnv): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI, "agent"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
      if (stderr.includes("serving tokens at")) resolve();
    });
    void exited.then(() => reject(new Error(`\`entra-tray agent\` ended before serving: ${firstLine(stderr)}`)));
  });
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function measureStartups({ env }: DemoSession, withAgent: NodeJS.ProcessEnv, withoutAgent: NodeJS.ProcessEnv): Promise<Table> {
  const token = [CLI, "token", "--profile", "demo", "--no-interactive"];
  const rows: Row[] = [
    { label: "node -e 0 (floor)", args: ["-e", "0"], env: withoutAgent, expectedCode: 0, samples: [] },
    { label: "entra-tray --help", args: [CLI, "--help"], env: withoutAgent, expectedCode: 0, samples: [] },
    { label: "entra-tray token --profile demo, no agent (valid token in the keyring)", args: token, env: withoutAgent, expectedCode: 0, samples: [] },
    { label: "entra-tray token --profile demo, answered by `entra-tray agent`", args: token, env: withAgent, expectedCode: 0, samples: [] },
  ];
  const az = azureCli();
  if (az) rows.push({ label: "az account get-access-token (Azure CLI, not signed in)", command: az, args: ["account", "get-access-token"], env: withoutAgent, samples: [] });
  const requestsBefore = env.idp.tokenRequests();

  for (let round = 0; round < RUNS; round++) {
    for (const row of rows) {
      const result = await run(row.command ?? process.execPath, row.args, row.env);
      if (row.expectedCode !== undefined && result.code !== row.expectedCode) {
        throw new Error(`${row.label} ended with exit ${result.code}, not ${row.expectedCode}: ${firstLine(result.stderr)}`);
      }
      row.samples.push(result.ms);
    }
  }
  const notes = [
    "`entra-tray login --profile demo` signed in first, in its own process, with headless Chromium as $BROWSER;",
    "each `token` is a new process: without an agent it reads the token from a private, unlocked GNOME Keyring,",
    "with one it asks the agent (which read the keyring once) over its Unix socket;",
    az ? "`az account get-access-token` ran not signed in (its exit code ignored), for its start-up alone." : "The Azure CLI (`az`) is not installed here: its row is skipped.",
    `token-endpoint requests during the ${RUNS} \`token\` runs: ${env.idp.tokenRequests() - requestsBefore}.`,
  ];
  const floor = median(rows[0]?.samples ?? []);
  return {
    title: `3. Start-up of the CLI, whole process (ms, ${RUNS} runs each, interleaved)`,
    columns: ["command", "median ms", "min ms", "max ms", "median vs floor"],
    rows: rows.map(({ label, samples }) => [label, fmt(median(samples)), fmt(Math.min(...samples)), fmt(Math.max(...samples)),
      ratio(median(samples), floor)]),
    notes,
  };
}
