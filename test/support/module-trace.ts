import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "module-trace.mjs")).href;

/** Environment for a process whose loaded modules are listed in `logFile` (see module-trace.mjs). */
export const moduleTraceEnv = (logFile: string): Record<string, string> => ({
  NODE_OPTIONS: `--import=${PRELOAD}`,
  ENTRA_TRAY_TEST_MODULE_LOG: logFile,
});

/** The modules a traced process loaded. */
export const loadedModules = async (logFile: string): Promise<string[]> => (await readFile(logFile, "utf8")).split("\n").filter(Boolean);

const MSAL = /@azure\/msal-node|msal-node-extensions/;
const CACHE_PATH = /\/app\/cached-token\.js$/;

/**
 * Which path a command took, by the modules it loaded: "msal" (MSAL and msal-node-extensions), "cache" (a cached token
 * read with the keyring binding alone, without MSAL), or "agent" (neither, nor the keyring: the token service answered).
 */
export const commandPath = (modules: string[]): "msal" | "cache" | "agent" =>
  modules.some((url) => MSAL.test(url)) ? "msal" : modules.some((url) => CACHE_PATH.test(url)) ? "cache" : "agent";
