// `npm run bench` starts here. The benchmark is TypeScript that imports src/ and the tests' demo helpers; Vite's
// module runner (installed with vitest) strips the types on the fly, as the tests' runner does, so nothing but
// src/ is ever compiled to dist/.
import { runnerImport } from "vite";

try {
  await runnerImport(new URL("./main.ts", import.meta.url).pathname, { configFile: false, logLevel: "error" });
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
