#!/usr/bin/env node
import { runCli } from "./run-cli.js";

const interrupt = new AbortController();
// The first Ctrl-C cancels cleanly (closing MSAL's loopback port); a second one kills as usual.
process.once("SIGINT", () => interrupt.abort());

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  platform: process.platform,
  signal: interrupt.signal,
});
