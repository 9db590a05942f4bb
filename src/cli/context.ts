import { AppContext, type ProfileSession, type RawProfile } from "../app/index.js";
import { ConfigError } from "../app/index.js";
import type { CliIo } from "./cli-io.js";

/** The flags every command takes to choose a profile (README, "Profile selection"). */
export interface ProfileOptions {
  profile?: string;
  authority?: string;
  clientId?: string;
  tenantType?: "external";
  scopes?: string;
  graphUrl?: string;
  caFile?: string;
  /** `--account`: a signed-in account's username (or home account id) to use instead of the active one. */
  account?: string;
}

/** `--scopes "a b"` as a list; undefined when not given. */
export const scopeList = (scopes: string | undefined): string[] | undefined =>
  scopes === undefined ? undefined : scopes.split(/\s+/).filter(Boolean);

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

function adhocProfile(options: ProfileOptions): RawProfile | undefined {
  const { authority, clientId } = options;
  if (authority === undefined && clientId === undefined) return undefined;
  if (authority === undefined || clientId === undefined) {
    throw new ConfigError(`${authority === undefined ? "--client-id" : "--authority"} was given without ${authority === undefined ? "--authority" : "--client-id"}.`,
      "An ad-hoc profile needs both --authority and --client-id (or use --profile NAME).");
  }
  return {
    authority,
    clientId,
    ...(options.tenantType !== undefined && { tenantType: options.tenantType }),
    ...(options.scopes !== undefined && { scopes: scopeList(options.scopes) }),
    ...(options.graphUrl !== undefined && { graphUrl: options.graphUrl }),
    ...(options.caFile !== undefined && { caFile: options.caFile }),
  };
}

/** The session of the profile the flags choose; throws ConfigError (exit 2) with the field and the fix. */
export async function openSession(io: CliIo, options: ProfileOptions): Promise<ProfileSession> {
  const context = appContext(io);
  const adhoc = adhocProfile(options);
  return context.openSession(await context.profile(adhoc ? { adhoc } : { ...(options.profile !== undefined && { name: options.profile }) }));
}

/**
 * Says on stderr when tokens are not kept encrypted (memory only, or a plaintext file the user allowed), wherever a
 * command shows the account, so nobody mistakes either for the keyring.
 */
export async function warnAboutStorage(io: CliIo): Promise<void> {
  const { encrypted, warning, problem } = await appContext(io).storage();
  if (encrypted) return;
  io.stderr.write(`entra-tray: warning: ${[warning, problem?.message, problem?.action].filter(Boolean).join(" ")}\n`);
}

/** Whether an interactive sign-in can show a browser here: `$BROWSER`, a desktop platform, or a Linux display. */
export function browserAvailable(io: CliIo): boolean {
  if (io.env.BROWSER) return true;
  if (io.platform === "darwin" || io.platform === "win32") return true;
  return Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}
