#!/usr/bin/env node
import { runCli } from "./run-cli.js";

// `entra-tray whoami | head -3` closes the pipe early: the reader's choice, not a failure worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.exitCode = 1;
  });
}

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
