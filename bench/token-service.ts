import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { askService, greeting, GREET_WITHIN_MS } from "../src/app/token-service/client.js";
import { serviceEndpoint } from "../src/app/token-service/endpoint.js";
import type { DemoSession } from "./demo-session.js";
import { fmt, quantile } from "./report.js";
import type { Table } from "./report.js";

const CONCURRENT = 1_000;
const LONE_GREETINGS = 200;

interface Timed { ok: boolean; ms: number; expiresOn?: string }

/**
 * Part 4: 1,000 `token` requests at once to one running `entra-tray agent`, each on its own connection, as 1,000
 * commands started together would send them: once with a fresh token held (the minimum is no IdP request), once
 * asking for more validity than the held token has left (the minimum is one refresh, shared by all).
 */
export async function measureConcurrency({ env: demo }: DemoSession, env: NodeJS.ProcessEnv): Promise<Table> {
  const endpoint = serviceEndpoint(env, process.platform);
  const ask = async (minValiditySec?: number): Promise<Timed> => {
    const started = performance.now();
    // This one process opens all 1,000 connections: its own queue, not the agent, would make a command's bound expire.
    const answer = await askService(endpoint, { op: "token", profile: "demo", ...(minValiditySec !== undefined && { minValiditySec }) }, { greetWithinMs: 60_000 });
    const ms = performance.now() - started;
    return answer?.reply.ok ? { ok: true, ms, expiresOn: answer.reply.result.expiresOn } : { ok: false, ms };
  };
  const held = await ask();
  if (!held.expiresOn) throw new Error("The agent did not answer a first `token` request.");
  const leftSec = Math.ceil((new Date(held.expiresOn).getTime() - Date.now()) / 1000);
  const bursts = [
    { label: "fresh token held (minimum: 0 IdP requests)", minValiditySec: undefined },
    { label: "more validity asked than held (minimum: 1)", minValiditySec: leftSec + 5 },
  ];
  const rows: string[][] = [];
  for (const { label, minValiditySec } of bursts) {
    const before = demo.idp.tokenRequests();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => ask(minValiditySec)));
    const times = results.map((result) => result.ms);
    rows.push([label, `${results.filter((result) => result.ok).length}/${CONCURRENT}`, fmt(quantile(times, 0.5)), fmt(quantile(times, 0.99)),
      fmt(Math.max(...times)), String(demo.idp.tokenRequests() - before)]);
  }
  const greetings: number[] = [];
  for (let i = 0; i < LONE_GREETINGS; i++) {
    const started = performance.now();
    if (!(await greeting(endpoint.socket))) throw new Error("The agent did not greet.");
    greetings.push(performance.now() - started);
  }
  return {
    title: `3b. ${CONCURRENT} concurrent \`token\` requests to one \`entra-tray agent\` (ms from connect to answer, each its own connection)`,
    columns: ["burst", "answered", "p50 ms", "p99 ms", "max ms", "IdP requests"],
    rows,
    notes: [
      `A command waits ${GREET_WITHIN_MS} ms for the agent's greeting before it answers by itself; a lone connection is greeted in`,
      `${fmt(quantile(greetings, 0.5))} ms p50, ${fmt(quantile(greetings, 0.99))} ms p99 (${LONE_GREETINGS} in a row, from connect to greeting).`,
      "The client here is the CLI's own (src/app/token-service/client.ts), all 1,000 in the bench's one process.",
    ],
  };
}

/** The Azure CLI's fastest path (`az account get-access-token`, not signed in), when it is installed. */
export function azureCli(): string | undefined {
  return (process.env.PATH ?? "").split(path.delimiter).map((folder) => path.join(folder, "az")).find((file) => existsSync(file));
}
