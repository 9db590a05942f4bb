import { AppContext, type ProfileSession } from "../app/index.js";
import type { CliIo } from "./cli-io.js";
import { profileSelector, type ProfileOptions } from "./options.js";

// What a command that answers by itself needs: the app layer, with MSAL and the keyring. Loaded only on that path.

const contexts = new WeakMap<CliIo, AppContext>();

/** The run's one AppContext: it opens the token cache and probes the broker at most once, whatever the command does. */
export function appContext(io: CliIo): AppContext {
  let context = contexts.get(io);
  if (!context) {
    context = new AppContext({
      env: io.env,
      platform: io.platform,
      onNotice: (message) => io.stderr.write(`entra-tray: ${message}\n`),
      onWarning: (message) => io.stderr.write(`entra-tray: warning: ${message}\n`),
      // One command long: nothing to follow.
      watchIntervalMs: false,
    });
    contexts.set(io, context);
  }
  return context;
}

/** The session of the profile the flags choose; throws ConfigError (exit 2) with the field and the fix. */
export async function openSession(io: CliIo, options: ProfileOptions): Promise<ProfileSession> {
  const context = appContext(io);
  const { profile, adhoc } = profileSelector(options);
  return context.openSession(await context.profile(adhoc ? { adhoc } : { ...(profile !== undefined && { name: profile }) }));
}
