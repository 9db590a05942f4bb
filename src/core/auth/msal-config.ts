import { LogLevel, ProtocolMode } from "@azure/msal-node";
import type { Configuration, ICachePlugin } from "@azure/msal-node";
import type { Profile } from "../config/profile.js";
import { readCaFile } from "../net/ca-file.js";
import { ObservedNetworkModule } from "./msal-network.js";

export type AuthLogLevel = "error" | "warning" | "info";
/** Receives log lines that are safe to keep: MSAL's, without PII, and the service's own; never a token or URL query. */
export type AuthLog = (level: AuthLogLevel, message: string) => void;

const LEVEL_NAMES: Partial<Record<LogLevel, AuthLogLevel>> = {
  [LogLevel.Error]: "error",
  [LogLevel.Warning]: "warning",
  [LogLevel.Info]: "info",
};

export interface MsalConfigOptions {
  log?: AuthLog;
  cachePlugin?: ICachePlugin;
  /** Called when MSAL posts to the identity provider (see ObservedNetworkModule). */
  onPost?: () => void;
}

export interface MsalSetup {
  configuration: Configuration;
  /** The network client inside `configuration`, kept so callers can read what it observed. */
  network: ObservedNetworkModule;
}

/**
 * Profile -> MSAL Configuration.
 * - Generic OpenID Providers need `ProtocolMode.OIDC` (no Entra-specific parameters or endpoint shapes) and their
 *   host:port in `knownAuthorities`, or MSAL asks Microsoft's instance discovery about them.
 * - Entra External ID stays in the default AAD mode (MSAL documents OIDC mode as "non-Microsoft authorities only").
 *   MSAL recognises `*.ciamlogin.com` on its own (AuthorityType.Ciam); listing the host as known is harmless and
 *   also covers a tenant's custom URL domain.
 * - Entra ID workforce gets no `knownAuthorities`: MSAL's built-in cloud metadata for login.microsoftonline.com and
 *   the national clouds carries the host aliases its cache matching uses, which a known-authority entry would replace.
 * - Every kind gets our own network client (node:https): it can trust the profile's `caFile`, which fetch cannot,
 *   and it keeps the cause of a failure, which MSAL's client drops.
 * Throws AuthError(config) when `caFile` cannot be read (readCaFile).
 */
export function buildMsalConfiguration(profile: Profile, options: MsalConfigOptions = {}): MsalSetup {
  const { kind, url, knownAuthority } = profile.authority;
  const extraCaPem = profile.caFile ? readCaFile(profile.caFile) : undefined;
  const network = new ObservedNetworkModule({
    ...(extraCaPem ? { extraCaPem } : {}),
    ...(options.onPost ? { onPost: options.onPost } : {}),
  });
  const configuration: Configuration = {
    auth: {
      clientId: profile.clientId,
      authority: url,
      ...(kind === "entraId" ? {} : { knownAuthorities: [knownAuthority] }),
    },
    ...(options.cachePlugin ? { cache: { cachePlugin: options.cachePlugin } } : {}),
    system: {
      ...(kind === "oidc" ? { protocolMode: ProtocolMode.OIDC } : {}),
      networkClient: network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          const name = LEVEL_NAMES[level];
          if (!containsPii && name) options.log?.(name, message);
        },
      },
    },
  };
  return { configuration, network };
}
