import type { CliIo } from "../cli-io.js";
import { askAgent } from "../agent-client.js";

export interface AgentOptions {
  stop?: boolean;
}

/** `entra-tray agent`: the token service in the foreground; `--stop` asks the running one to stop. */
export async function agentCommand(io: CliIo, options: AgentOptions): Promise<void> {
  if (!options.stop) return (await import("./agent-run.js")).runAgent(io);
  const answer = await askAgent(io, { op: "stop" });
  io.stderr.write(answer ? `Stopped the entra-tray agent (process ${answer.pid}).\n` : "No entra-tray agent is running.\n");
}
