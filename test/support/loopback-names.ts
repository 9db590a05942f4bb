import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "loopback-names.mjs")).href;

/**
 * Environment for an `entra-tray` process (and the `$BROWSER` program it starts) in which `hosts` resolve to
 * 127.0.0.1, every other outside name fails, and each name looked up is appended to `logFile`.
 */
export function loopbackNamesEnv(hosts: string[], logFile: string): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${PRELOAD}`,
    ENTRA_TRAY_TEST_HOSTS: hosts.join(",") || ",",
    ENTRA_TRAY_TEST_DNS_LOG: logFile,
  };
}
