import { performance } from "node:perf_hooks";
import { measureCliStartup } from "./cli-startup.js";
import { startDemoSession } from "./demo-session.js";
import { measureHotPath } from "./hot-path.js";
import { machineInfo, renderTable } from "./report.js";
import { measureShortcutPress } from "./shortcut-press.js";
import type { Table } from "./report.js";
import { simulateDay } from "./simulated-day.js";

// Progress goes to stderr, so stdout is exactly the report.
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

const started = performance.now();
const tables: Table[] = [];
progress("starting the demo IdP and signing in with Chromium...");
const session = await startDemoSession();
try {
  progress("1/4 hot path...");
  tables.push(await measureHotPath(session));
  progress("2/4 simulated day...");
  tables.push(await simulateDay());
  progress("3/4 CLI start-up and the token service (a login through $BROWSER first)...");
  tables.push(...(await measureCliStartup(session)));
  progress("4/4 shortcut press...");
  tables.push(await measureShortcutPress(session));
} finally {
  await session.close();
}
process.stdout.write(`entra-tray benchmark\n${machineInfo()}\n\n${tables.map(renderTable).join("\n\n")}\n\n`
  + `total time: ${Math.round((performance.now() - started) / 1000)} s\n`);
