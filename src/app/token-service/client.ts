import { readFileSync } from "node:fs";
import { connect } from "node:net";
import type { ServiceEndpoint } from "./endpoint.js";
import { ownedPrivately } from "./endpoint.js";
import { LineReader } from "./line-reader.js";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type Greeting, type Op, type Reply, type Request, type Results } from "./protocol.js";

// The thin client the CLI runs before it knows whether a service answers: Node's net and fs only, nothing heavy.

/**
 * How long a service has to greet before the client answers by itself. A live service greets within a millisecond
 * or two, even with 1,000 connections at once (bench); a stopped one refuses at once; a hung one never greets.
 */
export const GREET_WITHIN_MS = 500;
/** How long an answer may take once greeted (a refresh at a slow IdP); after that the client answers by itself. */
const ANSWER_WITHIN_MS = 120_000;
/** `stop` needs no work: a service that does not answer it by then is hung. */
export const STOP_WITHIN_MS = 5_000;

export interface AskOptions {
  /** Default GREET_WITHIN_MS; the bench, whose one process opens 1,000 connections at once, allows its own queue more. */
  greetWithinMs?: number;
}

export interface Answer<T> {
  reply: Reply<T>;
  greeting: Greeting;
}

/**
 * Asks the service at `endpoint`; undefined when none answers (no socket, a stale one, another user's, a service
 * that does not greet in time, speaks another version or refuses us): the caller then does the work itself.
 */
export async function askService<O extends Op>(endpoint: ServiceEndpoint, request: Extract<Request, { op: O }>, options: AskOptions = {}): Promise<Answer<Results[O]> | undefined> {
  const key = readKey(endpoint);
  if (key === undefined || !ownedPrivately(endpoint.socket, endpoint.uid, "socket")) return undefined;
  const answer = await talk(endpoint.socket, requestLine(request, key), options.greetWithinMs ?? GREET_WITHIN_MS, ANSWER_WITHIN_MS);
  if (!answer || "silent" in answer || !answer.reply) return undefined;
  return accepted(answer.reply as Reply<Results[O]>, answer.greeting);
}

/** What `stop` met: a service that stopped, none (no socket, a stale one, not ours), or one that took the connection and stayed silent. */
export type StopOutcome = { kind: "stopped"; pid: number } | { kind: "none" } | { kind: "hung"; pid: number | undefined };

/**
 * Asks the service at `endpoint` to stop, waiting at most GREET_WITHIN_MS for its greeting and STOP_WITHIN_MS for the
 * answer. A hung service (its event loop stuck, or the process stopped) still has connections accepted by the
 * kernel but never writes: its pid then comes from the greeting, or else from the file it wrote at its start.
 */
export async function stopService(endpoint: ServiceEndpoint): Promise<StopOutcome> {
  const key = readKey(endpoint);
  if (key === undefined || !ownedPrivately(endpoint.socket, endpoint.uid, "socket")) return { kind: "none" };
  const answer = await talk(endpoint.socket, requestLine({ op: "stop" }, key), GREET_WITHIN_MS, STOP_WITHIN_MS);
  if (answer && "silent" in answer) return { kind: "hung", pid: answer.greeting?.pid ?? readPid(endpoint) };
  const stopped = answer?.reply ? accepted(answer.reply, answer.greeting) : undefined;
  return stopped?.reply.ok ? { kind: "stopped", pid: stopped.greeting.pid } : { kind: "none" };
}

/** The greeting of the service listening at `socket`, if a live one does (whoever's it is). */
export async function greeting(socket: string): Promise<Greeting | undefined> {
  const answer = await talk(socket, undefined, GREET_WITHIN_MS, 0);
  return answer && "greeting" in answer ? answer.greeting : undefined;
}

const requestLine = (request: Request, key: string): string => `${JSON.stringify({ ...request, v: PROTOCOL_VERSION, id: 1, key })}\n`;

/** The reply to our request (id 1), unless the service refused to look at it. */
const accepted = <T>(reply: Reply<T>, greeted: Greeting): Answer<T> | undefined =>
  reply.id !== 1 || (!reply.ok && reply.error.fault) ? undefined : { reply, greeting: greeted };

/**
 * How a conversation ended: the greeting (and the reply, if a line was sent); `silent` when the peer took the
 * connection but did not greet, or did not answer, in time; undefined when no service was there to talk to.
 */
type Talk = { greeting: Greeting; reply?: Reply } | { silent: true; greeting?: Greeting } | undefined;

/** Connects, sends `line` if any, and waits for the greeting and then, if a line was sent, for the first reply. */
function talk(socketPath: string, line: string | undefined, greetWithinMs: number, answerWithinMs: number): Promise<Talk> {
  return new Promise((resolve) => {
    let greeted: Greeting | undefined;
    let connected = false;
    const socket = connect(socketPath, () => (connected = true));
    const done = (result: Talk) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const silent = () => done(connected ? { silent: true, ...(greeted && { greeting: greeted }) } : undefined);
    let timer = setTimeout(silent, greetWithinMs);
    const reader = new LineReader(MAX_FRAME_BYTES, (text) => {
      const message = parse(text);
      if (greeted) return done({ greeting: greeted, reply: message as Reply });
      const hello = message as Partial<Greeting> | undefined;
      if (hello?.service !== "entra-tray" || hello.v !== PROTOCOL_VERSION) return done(undefined);
      greeted = hello as Greeting;
      if (line === undefined) return done({ greeting: greeted });
      clearTimeout(timer);
      timer = setTimeout(silent, answerWithinMs);
    }, () => done(undefined));
    socket.on("data", (data: Buffer) => reader.push(data));
    socket.on("error", () => done(undefined));
    socket.on("close", () => done(undefined));
    if (line !== undefined) socket.write(line);
  });
}

/** The key the running service wrote, if the folder it is in is ours alone. */
function readKey(endpoint: ServiceEndpoint): string | undefined {
  if (!ownedPrivately(endpoint.folder, endpoint.uid, "folder")) return undefined;
  try {
    return readFileSync(endpoint.keyFile, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The pid the service wrote at its start, if that process still exists. */
function readPid(endpoint: ServiceEndpoint): number | undefined {
  try {
    const pid = Number(readFileSync(endpoint.pidFile, "utf8").trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    // No file, or the process is gone (ESRCH) or is not ours to signal (EPERM): not a pid to name.
    return undefined;
  }
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
