import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

/**
 * Vitest global setup: the CLI tests run the built `dist/cli/main.js` as users do, and the popover tests load the
 * built page, so build both fresh first.
 */
export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
  execFileSync(process.execPath, ["scripts/build-ui.mjs"], { stdio: "inherit" });
}
