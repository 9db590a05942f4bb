#!/usr/bin/env node
// Opens the token cache as entra-tray does at start-up (from the build in dist/) and prints its status as JSON,
// so a test can run it in an environment of its choosing (no bus, a locked keyring, ...).
// Usage: open-store.mjs <app home> [--allow-plaintext]
import { openTokenCacheStore } from "../../../../dist/core/cache/token-cache-store.js";

const [home, flag] = process.argv.slice(2);
const store = await openTokenCacheStore({ home, allowPlaintextCache: flag === "--allow-plaintext" });
const { problem, ...status } = store.status;
console.log(JSON.stringify({
  ...status,
  ...(problem && { problem: { kind: problem.kind, message: problem.message, action: problem.action } }),
  hasPlugin: store.pluginFor("demo") !== undefined,
}));
