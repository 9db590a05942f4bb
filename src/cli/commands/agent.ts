import { AuthError } from "../../app/errors.js";
import { serviceEndpoint, stopService, STOP_WITHIN_MS } from "../../app/token-service/index.js";
import type { CliIo } from "../cli-io.js";

export interface AgentOptions {
  stop?: boolean;
}

/** `entra-tray agent`: the token service in the foreground; `--stop` asks the running one to stop. */
export async function agentCommand(io: CliIo, options: AgentOptions): Promise<void> {
  if (!options.stop) return (await import("./agent-run.js")).runAgent(io);
  const endpoint = serviceEndpoint(io.env, io.platform);
  const outcome = await stopService(endpoint);
  if (outcome.kind === "stopped") return void io.stderr.write(`Stopped the entra-tray agent (process ${outcome.pid}).\n`);
  if (outcome.kind === "none") return void io.stderr.write("No entra-tray agent is running.\n");
  // Commands meanwhile answer by themselves after their short wait; only ending the process frees its socket.
  const { pid } = outcome;
  const end = pid === undefined ? undefined : io.platform === "win32" ? `taskkill /F /PID ${pid}` : `kill ${pid}`;
  throw new AuthError("timeout",
    `The entra-tray agent${pid === undefined ? "" : ` (process ${pid})`} at ${endpoint.socket} took the connection but did not answer within ${STOP_WITHIN_MS / 1000} s: it is hung.`,
    end ? `End it with \`${end}\`${io.platform === "win32" ? "" : ` (\`kill -9 ${pid}\` if it stays)`}; the next \`entra-tray agent\` replaces its socket.`
      : `End the process that holds ${endpoint.socket} (\`lsof ${endpoint.socket}\` names it); the next \`entra-tray agent\` replaces its socket.`);
}
