import { performance } from "node:perf_hooks";
import { TokenKeeper } from "../src/core/tokens/token-keeper.js";
import type { DemoSession } from "./demo-session.js";
import { fmt, quantile, ratio } from "./report.js";
import type { Table } from "./report.js";

interface Candidate {
  name: string;
  /** Calls per round; the slow candidate gets fewer so the run stays short. */
  perRound: number;
  call: () => unknown;
  samples: number[];
}

const ROUNDS = 25;
const WARM_UP_CALLS = 300;

/**
 * Part 1: what one "give me a token" costs when a fresh token is at hand. Each call is timed on its own
 * (performance.now() around one awaited call); the candidates take turns round by round so that load from other
 * processes on this shared machine falls on all of them alike.
 */
export async function measureHotPath({ auth, profile, env }: DemoSession): Promise<Table> {
  const scopes = profile.scopes;
  const keeper = new TokenKeeper(auth);
  try {
    const held = await keeper.currentToken(scopes);
    const key = scopes.join(" ");
    const map = new Map([[key, held]]);
    const candidates: Candidate[] = [
      { name: "Map.get (floor, synchronous)", perRound: 2_000, call: () => map.get(key), samples: [] },
      { name: "TokenKeeper.currentToken()", perRound: 2_000, call: () => keeper.currentToken(scopes), samples: [] },
      {
        name: "AuthService.getToken() = MSAL acquireTokenSilent per request",
        perRound: 80,
        call: () => auth.getToken({ scopes }),
        samples: [],
      },
    ];
    for (const candidate of candidates) {
      for (let i = 0; i < WARM_UP_CALLS; i++) await candidate.call();
    }
    const idpRequestsBefore = env.idp.tokenRequests();
    for (let round = 0; round < ROUNDS; round++) {
      for (const candidate of candidates) {
        for (let i = 0; i < candidate.perRound; i++) {
          const started = performance.now();
          await candidate.call();
          candidate.samples.push((performance.now() - started) * 1000);
        }
      }
    }
    const idpRequests = env.idp.tokenRequests() - idpRequestsBefore;

    const [floor, kept, silent] = candidates.map((c) => ({ p50: quantile(c.samples, 0.5), p99: quantile(c.samples, 0.99) }));
    if (!floor || !kept || !silent) throw new Error("A hot-path candidate has no samples.");
    return {
      title: "1. A token when a fresh one is at hand (µs per call; real MSAL signed in to the demo IdP)",
      columns: ["call", "calls", "p50 µs", "p99 µs", "p50 vs floor", "p50 vs keeper"],
      rows: candidates.map((candidate, i) => {
        const stats = [floor, kept, silent][i] ?? floor;
        return [candidate.name, candidate.samples.length.toString(), fmt(stats.p50), fmt(stats.p99),
          ratio(stats.p50, floor.p50), ratio(stats.p50, kept.p50)];
      }),
      notes: [
        `acquireTokenSilent costs ${ratio(silent.p50, kept.p50)} the keeper at p50 and ${ratio(silent.p99, kept.p99)} at p99; token-endpoint requests during the measurement: ${idpRequests}.`,
        "The floor is the timer around a synchronous Map.get; the other two are awaited, as callers use them.",
      ],
    };
  } finally {
    keeper.dispose();
  }
}
