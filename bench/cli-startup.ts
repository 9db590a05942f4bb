import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startKeyringSession } from "../test/core/cache/support/keyring-session.js";
import { browserCommandEnv } from "../test/e2e/support/demo-env.js";
import type { DemoSession } from "./demo-session.js";
import { fmt, median, ratio } from "./report.js";
import type { Table } from "./report.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const RUNS = 15;

interface Run { code: number | null; ms: number; stderr: string }

/** One whole process, from spawn to exit; stdout (which may hold a token) is read and dropped, never shown. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

const firstLine = (text: string): string => text.trim().split("\n")[0] ?? "";

interface Row { label: string; args: string[]; expectedCode: number; samples: number[] }

/**
 * Part 3: start-up of the CLI as a whole process against `node -e 0`, `token` with a valid token cached by a `login`
 * in another process (a $BROWSER program does the browser part), in a private, unlocked GNOME Keyring like a desktop's.
 */
export async function measureCliStartup(session: DemoSession): Promise<Table> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does).`);
  const keyring = await startKeyringSession("unlocked");
  try {
    return await measureWithKeyring(session, { ...keyring.env, ENTRA_TRAY_HOME: session.cliHome });
  } finally {
    await keyring.close();
  }
}

async function measureWithKeyring({ env, user }: DemoSession, baseEnv: NodeJS.ProcessEnv): Promise<Table> {
  delete baseEnv.BROWSER; // nothing may open a browser while timing
  const login = await run([CLI, "login", "--profile", "demo", "--timeout", "60"],
    { ...baseEnv, ...browserCommandEnv(env.idp, { user: user.username }) });
  if (login.code !== 0) throw new Error(`\`entra-tray login --profile demo\` via $BROWSER failed with exit ${login.code}: ${firstLine(login.stderr)}`);
  const rows: Row[] = [
    { label: "node -e 0 (floor)", args: ["-e", "0"], expectedCode: 0, samples: [] },
    { label: "entra-tray --help", args: [CLI, "--help"], expectedCode: 0, samples: [] },
    { label: "entra-tray token --profile demo (valid token in the keyring)", args: [CLI, "token", "--profile", "demo", "--no-interactive"], expectedCode: 0, samples: [] },
  ];
  const requestsBefore = env.idp.tokenRequests();

  for (let round = 0; round < RUNS; round++) {
    for (const row of rows) {
      const result = await run(row.args, baseEnv);
      if (result.code !== row.expectedCode) {
        throw new Error(`${row.label} ended with exit ${result.code}, not ${row.expectedCode}: ${firstLine(result.stderr)}`);
      }
      row.samples.push(result.ms);
    }
  }
  const notes = [
    "`entra-tray login --profile demo` signed in first, in its own process, with headless Chromium as $BROWSER;",
    "each `token` is a new process reading the token from a private, unlocked GNOME Keyring;",
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
