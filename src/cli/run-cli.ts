import { CommanderError } from "commander";
import { isAuthError } from "../app/errors.js";
import type { CliIo } from "./cli-io.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import { cliAction } from "./how-to.js";
import { buildProgram } from "./program.js";

/** Runs one command line and returns its exit code; failures become one sentence on stderr, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  try {
    await buildProgram(io).parseAsync(argv, { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    // Commander has already printed its usage message; --help and --version end here with code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (isAuthError(error)) {
      io.stderr.write(`entra-tray: ${error.message} ${cliAction(error)}\n`);
      return io.signal.aborted ? ExitCode.interrupted : exitCodeFor(error.kind);
    }
    io.stderr.write(`entra-tray: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.unexpected;
  }
}
