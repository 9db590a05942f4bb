#!/usr/bin/env node
// `npm start` (after the build): the tray app in Electron. Electron's own installer fetches its binary on first use;
// where it cannot (no internet, a locked-down network) this says so in one sentence and runs the demo identity
// provider instead, so the CLI can be tried against it. ELECTRON_OVERRIDE_DIST_PATH points at an Electron of your own.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { electronPackageDir, installedElectron } from "./electron-binary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function run(command, args) {
  const child = spawn(command, args, { stdio: "inherit", cwd: root });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

let electron = installedElectron();
if (!electron) {
  console.error("entra-tray: fetching the Electron binary...");
  // Quietly: offline, its installer ends in a stack trace that says less than the sentence below.
  spawnSync(process.execPath, [path.join(electronPackageDir, "install.js")], { stdio: "ignore" });
  electron = installedElectron();
}
if (electron) {
  run(electron, [root]);
} else {
  console.error("entra-tray: the Electron binary cannot be downloaded here, so the tray app cannot start; running the demo identity provider instead (in another terminal: `node dist/cli/main.js token --profile demo`).");
  run(process.execPath, [path.join(root, "dist", "cli", "main.js"), "demo-idp"]);
}
