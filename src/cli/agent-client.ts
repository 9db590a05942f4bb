import { AuthError } from "../app/errors.js";
import { askService, serviceEndpoint, type Request, type Results } from "../app/token-service/index.js";
import type { CliIo } from "./cli-io.js";

export type AgentAnswer<T> = ({ ok: true; result: T } | { ok: false; error: AuthError }) & { pid: number; socket: string };

/**
 * Asks the running token service (`entra-tray agent`, or the tray app); undefined when none answers, and the
 * command then does the work itself. A failure comes back as the AuthError the command would have met itself.
 */
export async function askAgent<O extends Request["op"]>(io: CliIo, request: Extract<Request, { op: O }>): Promise<AgentAnswer<Results[O]> | undefined> {
  const endpoint = serviceEndpoint(io.env, io.platform);
  const answer = await askService(endpoint, request);
  if (!answer) return undefined;
  const { reply, greeting } = answer;
  const from = { pid: greeting.pid, socket: endpoint.socket };
  if (reply.ok) return { ok: true, result: reply.result, ...from };
  const { kind, message, action, remedy } = reply.error;
  return { ok: false, error: new AuthError(kind, message, action, { ...(remedy && { remedy }) }), ...from };
}
