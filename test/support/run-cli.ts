import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli/main.js");

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a CLI test starts from: none of the developer's $BROWSER, display or D-Bus session, so nothing
 * opens by surprise and nothing is written to their real keyring (tests that want a keyring bring a private one).
 */
export function baseEnv(home: string): NodeJS.ProcessEnv {
  const { BROWSER: _browser, DISPLAY: _display, WAYLAND_DISPLAY: _wayland, DBUS_SESSION_BUS_ADDRESS: _bus, ...rest } = process.env;
  return { ...rest, ENTRA_TRAY_HOME: home };
}

export interface CliLimits {
  /** The process's file-size limit (`ulimit -f`, in KiB): a write past it fails with EFBIG. */
  fileSizeKiB?: number;
}

/** Starts `entra-tray ARGS` as a real process; `done` settles when it exits. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, limits: CliLimits = {}) {
  const command = [process.execPath, CLI, ...args];
  const child = limits.fileSizeKiB === undefined
    ? spawn(process.execPath, command.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn("bash", ["-c", 'ulimit -f "$0" && exec "$@"', String(limits.fileSizeKiB), ...command], { env, stdio: ["ignore", "pipe", "pipe"] });
  const run: CliRun = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (text: string) => (run.stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (run.stderr += text));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(Object.assign(run, { code, signal })));
  });
  return { child, run, done };
}

export const runCli = (args: string[], env: NodeJS.ProcessEnv, limits?: CliLimits): Promise<CliRun> => startCli(args, env, limits).done;

/** Resolves when the process's stderr (or stdout) has printed text matching `pattern`. */
export async function waitForOutput(
  started: ReturnType<typeof startCli>,
  pattern: RegExp,
  stream: "stdout" | "stderr" = "stderr",
): Promise<RegExpMatchArray> {
  const output = started.child[stream];
  for (;;) {
    const match = started.run[stream].match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null) {
      throw new Error(`entra-tray exited (${started.child.exitCode}) before printing ${pattern}: ${started.run.stderr}`);
    }
    // Look again at the next output, or when the process exits (a listener each, removed either way).
    await new Promise<void>((resolve) => {
      const next = () => {
        output.off("data", next);
        started.child.off("exit", next);
        resolve();
      };
      output.on("data", next);
      started.child.on("exit", next);
    });
  }
}
