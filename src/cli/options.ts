import { ConfigError } from "../app/errors.js";
import type { ProfileSelector, StorageState } from "../app/token-service/index.js";
import type { CliIo } from "./cli-io.js";

// Flags and what they mean, without loading the app: the token service's client path uses these too.

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

/** The profile (named, or ad hoc from --authority and --client-id) and account the flags choose. */
export function profileSelector(options: ProfileOptions): ProfileSelector {
  const { authority, clientId, account } = options;
  const chosen = account === undefined ? {} : { account };
  if (authority === undefined && clientId === undefined) return { ...chosen, ...(options.profile !== undefined && { profile: options.profile }) };
  if (authority === undefined || clientId === undefined) {
    throw new ConfigError(`${authority === undefined ? "--client-id" : "--authority"} was given without ${authority === undefined ? "--authority" : "--client-id"}.`,
      "An ad-hoc profile needs both --authority and --client-id (or use --profile NAME).");
  }
  return {
    ...chosen,
    adhoc: {
      authority,
      clientId,
      ...(options.tenantType !== undefined && { tenantType: options.tenantType }),
      ...(options.scopes !== undefined && { scopes: scopeList(options.scopes) }),
      ...(options.graphUrl !== undefined && { graphUrl: options.graphUrl }),
      ...(options.caFile !== undefined && { caFile: options.caFile }),
    },
  };
}

/** Whether an interactive sign-in can show a browser here: `$BROWSER`, a desktop platform, or a Linux display. */
export function browserAvailable(io: CliIo): boolean {
  if (io.env.BROWSER) return true;
  if (io.platform === "darwin" || io.platform === "win32") return true;
  return Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}

/**
 * Says on stderr when tokens are not kept encrypted (memory only, or a plaintext file the user allowed), wherever a
 * command shows the account, so nobody mistakes either for the keyring.
 */
export function warnAboutStorage(io: CliIo, { encrypted, warning, problem }: StorageState): void {
  if (encrypted) return;
  io.stderr.write(`entra-tray: warning: ${[warning, problem?.message, problem?.action].filter(Boolean).join(" ")}\n`);
}
