// Runs a TypeScript entry of dev/ or bench/ (`node dev/run.mjs dev/popover-dev.ts`): Vite's module runner (installed
// with vitest) strips the types on the fly, as the tests' runner does, so nothing but src/ is compiled to dist/.
import path from "node:path";
import { runnerImport } from "vite";

try {
  await runnerImport(path.resolve(process.argv[2] ?? ""), { configFile: false, logLevel: "error" });
} catch (error) {
  console.error(`${path.basename(process.argv[2] ?? "run")}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
