import type { StatusResult } from "../../app/token-service/index.js";
import type { CliIo } from "../cli-io.js";
import { askAgent } from "../agent-client.js";
import { profileSelector, type ProfileOptions } from "../options.js";

export interface StatusOptions extends ProfileOptions {
  json?: boolean;
}

/** Whether a token service answered, and where; `status` says so whichever path answered. */
type AgentState = { running: true; pid: number; socket: string } | { running: false };

/** One profile when the flags name one, else every profile: the config file's and the built-in demo. */
export async function statusCommand(io: CliIo, options: StatusOptions): Promise<void> {
  const named = options.profile !== undefined || options.authority !== undefined || options.clientId !== undefined;
  const answer = await askAgent(io, { op: "status", ...(named && profileSelector(options)) });
  if (answer && !answer.ok) throw answer.error;
  const agent: AgentState = answer ? { running: true, pid: answer.pid, socket: answer.socket } : { running: false };
  const status = answer?.result ?? await (await import("./status-direct.js")).directStatus(io, options, named);
  print(io, status, agent, options.json);
}

function print(io: CliIo, { storage: { problem, ...storage }, profiles: states }: StatusResult, agent: AgentState, json: boolean | undefined): void {
  if (json) {
    // The contract's names for the session state's fields: `state` is its status, `error` its problem.
    const profiles = states.map(({ authorityKind: _kind, status, problem: error, account, accounts, signIn, ...profile }) => ({
      ...profile,
      state: status,
      ...(account && { account }),
      accounts,
      ...(signIn && { signIn }),
      ...(error && { error }),
    }));
    io.stdout.write(`${JSON.stringify({ storage: { ...storage, ...(problem && { problem }) }, agent, profiles }, null, 2)}\n`);
    return;
  }
  io.stdout.write(`storage\t${storage.kind}\t${storage.description}${problem ? ` ${problem.action}` : ""}\n`);
  io.stdout.write(agent.running ? `agent\trunning\tprocess ${agent.pid} at ${agent.socket}\n` : "agent\tnot running\n");
  for (const { name, authorityKind, tenantId, status, problem: error, account, accounts, signIn } of states) {
    const others = accounts.filter((each) => !each.active).map((each) => each.username);
    const detail = error ? `${error.message} ${error.action}`
      : [account?.username, others.length ? `(also signed in: ${others.join(", ")})` : ""].filter(Boolean).join(" ");
    const tenant = authorityKind !== "entraExternalId" ? "" : `\ttenant: ${tenantId ?? "learnt at the first sign-in"}`;
    io.stdout.write(`${name}\t${status}\t${detail}\t${signIn ? `sign-in: ${signIn.method}` : ""}${tenant}\n`);
  }
}
