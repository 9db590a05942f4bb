#!/usr/bin/env node
// Builds the popover's two browser-side parts into dist/:
// - dist/renderer: the page's TypeScript (DOM, no Node; src/renderer/tsconfig.json) as ES modules, with its HTML and CSS;
// - dist/preload/popover-preload.cjs: the preload bundled into one CommonJS file that requires only `electron`, as a
//   sandboxed preload must be.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const renderer = path.join(root, "src", "renderer");
const target = path.join(root, "dist", "renderer");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(renderer, "tsconfig.json")], { stdio: "inherit" });
mkdirSync(target, { recursive: true });
for (const file of readdirSync(renderer).filter((name) => /\.(html|css)$/.test(name))) {
  copyFileSync(path.join(renderer, file), path.join(target, file));
}

await build({
  input: path.join(root, "src", "preload", "popover-preload.ts"),
  external: ["electron"],
  platform: "browser",
  logLevel: "warn",
  output: { file: path.join(root, "dist", "preload", "popover-preload.cjs"), format: "cjs" },
});
