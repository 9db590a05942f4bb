import { watch } from "node:fs";
import path from "node:path";

const NONCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for the owner record a FileLock writes each time it tries to take `lockPath`: `<lock>.<nonce>.tmp`. */
export function isTryOf(lockPath: string, name: string | null): name is string {
  const prefix = `${path.basename(lockPath)}.`;
  return name !== null && name.startsWith(prefix) && name.endsWith(".tmp") && NONCE.test(name.slice(prefix.length, -".tmp".length));
}

/** Resolves once FileLocks have made `count` tries to take `lockPath`, counted from now. */
export function triedFor(lockPath: string, count = 1): Promise<void> {
  const tries = new Set<string>();
  const watcher = watch(path.dirname(lockPath));
  return new Promise((resolve) => {
    watcher.on("change", (_event, name) => {
      if (typeof name === "string" && isTryOf(lockPath, name)) tries.add(name);
      if (tries.size < count) return;
      watcher.close();
      resolve();
    });
  });
}
