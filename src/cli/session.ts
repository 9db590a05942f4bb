import { existsSync } from "node:fs";
import { AuthError, AuthService, systemBrowserOpener } from "../core/auth/index.js";
import { appHome } from "../core/config/app-home.js";
import { ConfigError } from "../core/config/config-error.js";
import { loadProfile, loadProfiles, type ProfileEntry } from "../core/config/load-config.js";
import type { Profile } from "../core/config/profile.js";
import type { RawProfile } from "../core/config/profile-schema.js";
import { demoProfileConfig } from "../demo-idp/demo-profile.js";
import type { CliIo } from "./cli-io.js";

/** The flags every command takes to choose a profile (README, "Profile selection"). */
export interface ProfileOptions {
  profile?: string;
  authority?: string;
  clientId?: string;
  scopes?: string;
  graphUrl?: string;
  caFile?: string;
}

export const DEMO_PROFILE = "demo";

/** `--scopes "a b"` as a list; undefined when not given. */
export const scopeList = (scopes: string | undefined): string[] | undefined =>
  scopes === undefined ? undefined : scopes.split(/\s+/).filter(Boolean);

/** The demo profile exists once the demo IdP has run here: it trusts the CA that the IdP makes on its first start. */
function builtins(home: string): Record<string, RawProfile> {
  const demo = demoProfileConfig(home);
  return existsSync(demo.caFile) ? { [DEMO_PROFILE]: demo } : {};
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
    ...(options.scopes !== undefined && { scopes: scopeList(options.scopes) }),
    ...(options.graphUrl !== undefined && { graphUrl: options.graphUrl }),
    ...(options.caFile !== undefined && { caFile: options.caFile }),
  };
}

/** The profile the flags choose, validated; throws ConfigError (exit 2) with the field and the fix. */
export async function chooseProfile(io: CliIo, options: ProfileOptions): Promise<Profile> {
  const home = appHome(io.env, io.platform);
  const adhoc = adhocProfile(options);
  const known = builtins(home);
  if (!adhoc && options.profile === DEMO_PROFILE && !known[DEMO_PROFILE]) {
    throw new AuthError("unreachable", "The demo identity provider has not been started on this machine yet.",
      "Run `entra-tray demo-idp` in another terminal, then try again.");
  }
  return loadProfile({ home, builtins: known, ...(adhoc ? { adhoc } : { name: options.profile }) });
}

export const allProfiles = (io: CliIo): Promise<ProfileEntry[]> => {
  const home = appHome(io.env, io.platform);
  return loadProfiles({ home, builtins: builtins(home) });
};

/** An AuthService for the chosen profile that opens pages with `$BROWSER` or the system's opener. */
export function authServiceFor(io: CliIo, profile: Profile): AuthService {
  return new AuthService({ profile, openBrowser: systemBrowserOpener(io.env, io.platform) });
}

/** Whether an interactive sign-in can show a browser here: `$BROWSER`, a desktop platform, or a Linux display. */
export function browserAvailable(io: CliIo): boolean {
  if (io.env.BROWSER) return true;
  if (io.platform === "darwin" || io.platform === "win32") return true;
  return Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}
