import { once } from "node:events";
import { AppContext, serviceEndpoint, TokenService } from "../../app/index.js";
import type { CliIo } from "../cli-io.js";
import { warnAboutStorage } from "../options.js";

/**
 * Serves tokens until Ctrl-C, SIGTERM (systemd, launchd) or `entra-tray agent --stop`, then removes its socket.
 * It follows other processes' sign-ins and sign-outs, so it never needs a browser: a command that must sign in
 * does so itself.
 */
export async function runAgent(io: CliIo): Promise<void> {
  const log = (line: string) => io.stderr.write(`entra-tray agent: ${line}\n`);
  const context = new AppContext({ env: io.env, platform: io.platform, onNotice: log, onWarning: (message) => log(`warning: ${message}`) });
  try {
    const service = await TokenService.start({ context, endpoint: serviceEndpoint(io.env, io.platform), log });
    // A service manager stops it with SIGTERM: a clean stop, not a kill.
    const terminated = new AbortController();
    const terminate = () => terminated.abort();
    process.once("SIGTERM", terminate);
    log("stop it with `entra-tray agent --stop`, Ctrl-C or SIGTERM");
    // Without a keyring it sees no other process's sign-in: say so now.
    warnAboutStorage(io, await context.storage());
    await Promise.race([service.stopped, ...[io.signal, terminated.signal].map((signal) => (signal.aborted ? Promise.resolve() : once(signal, "abort")))]);
    process.off("SIGTERM", terminate);
    await service.close();
  } finally {
    context.dispose();
  }
}
