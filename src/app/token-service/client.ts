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
  const answer = await talk(endpoint.socket, `${JSON.stringify({ ...request, v: PROTOCOL_VERSION, id: 1, key })}\n`, options.greetWithinMs ?? GREET_WITHIN_MS);
  if (!answer?.reply) return undefined;
  const reply = answer.reply as Reply<Results[O]>;
  return reply.id !== 1 || (!reply.ok && reply.error.fault) ? undefined : { reply, greeting: answer.greeting };
}

/** The greeting of the service listening at `socket`, if a live one does (whoever's it is). */
export async function greeting(socket: string): Promise<Greeting | undefined> {
  return (await talk(socket, undefined, GREET_WITHIN_MS))?.greeting;
}

/** Connects, sends `line` if any, and waits for the greeting and then, if a line was sent, for the first reply. */
function talk(socketPath: string, line: string | undefined, greetWithinMs: number): Promise<{ greeting: Greeting; reply?: Reply } | undefined> {
  return new Promise((resolve) => {
    let greeted: Greeting | undefined;
    const socket = connect(socketPath);
    const done = (result: { greeting: Greeting; reply?: Reply } | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    let timer = setTimeout(() => done(undefined), greetWithinMs);
    const reader = new LineReader(MAX_FRAME_BYTES, (text) => {
      const message = parse(text);
      if (greeted) return done({ greeting: greeted, reply: message as Reply });
      const hello = message as Partial<Greeting> | undefined;
      if (hello?.service !== "entra-tray" || hello.v !== PROTOCOL_VERSION) return done(undefined);
      greeted = hello as Greeting;
      if (line === undefined) return done({ greeting: greeted });
      clearTimeout(timer);
      timer = setTimeout(() => done(undefined), ANSWER_WITHIN_MS);
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

function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
