#!/usr/bin/env node
// One `entra-tray token`-like process, built from dist/: opens the shared token cache, loads the signed-in
// accounts and prints a token for one of them, never signing in interactively. Prints one JSON line:
//   {"ok":true,"fingerprint":"<sha256 of the token, first 16 hex>","expiresOn":"...","storage":"libsecret"}
//   {"ok":false,"kind":"interactionRequired","message":"..."}
// Usage: token-worker.mjs <app home> <profile JSON> <homeAccountId> [min validity seconds]
//        token-worker.mjs --crash-holding-lock <app home>   (takes the cache lock, then dies by SIGKILL)
//        token-worker.mjs --hold-lock <lock file>           (takes the lock, prints "held", keeps it until stdin ends)
import { createHash } from "node:crypto";
import { AuthService } from "../../../../dist/core/auth/auth-service.js";
import { FileLock } from "../../../../dist/core/cache/file-lock.js";
import { openTokenCacheStore, tokenCachePaths } from "../../../../dist/core/cache/token-cache-store.js";

async function crashHoldingLock(home) {
  await new FileLock(tokenCachePaths(home).lockFile).acquire();
  process.kill(process.pid, "SIGKILL");
}

async function holdLock(file) {
  const lock = new FileLock(file);
  await lock.acquire();
  console.log("held");
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on("end", resolve));
  await lock.release();
}

async function printToken(home, profileJson, homeAccountId, minValiditySec) {
  const profile = JSON.parse(profileJson);
  const store = await openTokenCacheStore({ home });
  const auth = new AuthService({
    profile,
    cachePlugin: store.pluginFor(profile.name),
    exclusive: (work) => store.exclusive(profile.name, work),
    openBrowser: async () => { throw new Error("a token worker never signs in interactively"); },
  });
  await auth.loadAccounts();
  const token = await auth.getToken({ account: { homeAccountId }, minValiditySec: Number(minValiditySec ?? 300) });
  return {
    ok: true,
    fingerprint: createHash("sha256").update(token.accessToken).digest("hex").slice(0, 16),
    expiresOn: token.expiresOn.toISOString(),
    storage: store.status.kind,
  };
}

const [first, ...rest] = process.argv.slice(2);
try {
  if (first === "--crash-holding-lock") await crashHoldingLock(rest[0]);
  else if (first === "--hold-lock") await holdLock(rest[0]);
  else console.log(JSON.stringify(await printToken(first, ...rest)));
} catch (error) {
  console.log(JSON.stringify({ ok: false, kind: error.kind ?? error.name, message: error.message }));
  process.exitCode = 1;
}
