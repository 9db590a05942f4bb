import { PROTOCOL_VERSION, type Envelope, type Op, type ProtocolFault } from "./protocol.js";

const OPS: readonly Op[] = ["token", "whoami", "status", "stop"];

/** The kind of value each optional member may hold; the config's own validation checks `adhoc` further. */
const OPTIONAL: Record<string, (value: unknown) => boolean> = {
  profile: (value) => typeof value === "string",
  account: (value) => typeof value === "string",
  adhoc: (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  scopes: (value) => Array.isArray(value) && value.every((scope) => typeof scope === "string"),
  minValiditySec: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
};

export interface Rejected {
  fault: ProtocolFault;
  message: string;
  id: number | null;
}

/** One request line as the service accepts it, or why not: the version first, so a newer client learns it is newer. */
export function readEnvelope(line: string): Envelope | Rejected {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { fault: "malformed", message: "The request is not JSON.", id: null };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { fault: "malformed", message: "A request must be a JSON object.", id: null };
  const fields = value as Record<string, unknown>;
  const id = Number.isSafeInteger(fields.id) ? (fields.id as number) : null;
  const reject = (fault: ProtocolFault, message: string): Rejected => ({ fault, message, id });
  if (fields.v !== PROTOCOL_VERSION) return reject("version", `This service speaks version ${PROTOCOL_VERSION} of the protocol.`);
  if (id === null) return reject("malformed", "The request has no id.");
  if (typeof fields.key !== "string") return reject("malformed", "The request has no key.");
  if (!OPS.includes(fields.op as Op)) return reject("malformed", `Unknown op; expected one of ${OPS.join(", ")}.`);
  const wrong = Object.keys(OPTIONAL).find((name) => fields[name] !== undefined && !OPTIONAL[name]?.(fields[name]));
  return wrong ? reject("malformed", `The request's ${wrong} has the wrong type.`) : (fields as Envelope);
}

export const isRejected = (read: Envelope | Rejected): read is Rejected => "fault" in read;
