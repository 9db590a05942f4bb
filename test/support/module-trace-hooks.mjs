// Module loader hooks for module-trace.mjs (they run on Node's loader thread).
import { appendFileSync } from "node:fs";

let logFile;

export function initialize(file) {
  logFile = file;
}

export async function load(url, context, nextLoad) {
  if (logFile) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
