#!/usr/bin/env node
// Builds the popover page into dist/renderer: its TypeScript (DOM, no Node; src/renderer/tsconfig.json) to ES modules,
// and its HTML and CSS copied beside them.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "src", "renderer");
const target = path.join(root, "dist", "renderer");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(source, "tsconfig.json")], { stdio: "inherit" });
mkdirSync(target, { recursive: true });
for (const file of readdirSync(source).filter((name) => /\.(html|css)$/.test(name))) {
  copyFileSync(path.join(source, file), path.join(target, file));
}
