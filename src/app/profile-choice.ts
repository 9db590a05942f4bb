import { existsSync } from "node:fs";
import { loadProfile } from "../core/config/load-config.js";
import type { Profile } from "../core/config/profile.js";
import type { RawProfile } from "../core/config/profile-schema.js";
import { AuthError } from "../core/errors/auth-error.js";
import { demoProfileConfig } from "../demo-idp/demo-profile.js";

// Which profile a process works with, apart from AppContext (which loads MSAL): the CLI's cached-token path needs it too.

export const DEMO_PROFILE = "demo";

/** Which profile: a named one (else the default), or an ad-hoc one given as raw fields. */
export interface ProfileChoice {
  name?: string;
  adhoc?: RawProfile;
}

/** The built-in profiles: `demo` exists once the demo IdP has run here (it trusts the CA the IdP makes at first start). */
export function builtinProfiles(home: string): Record<string, RawProfile> {
  const demo = demoProfileConfig(home);
  return existsSync(demo.caFile) ? { [DEMO_PROFILE]: demo } : {};
}

/** The chosen profile of the app home, validated; throws ConfigError with the field and the fix. */
export function chooseProfile(home: string, choice: ProfileChoice = {}): Promise<Profile> {
  const builtins = builtinProfiles(home);
  if (!choice.adhoc && choice.name === DEMO_PROFILE && !builtins[DEMO_PROFILE]) {
    return Promise.reject(new AuthError("unreachable", "The demo identity provider has not been started on this machine yet.",
      "Start the demo identity provider, then try again.", { remedy: { kind: "startDemoIdp" } }));
  }
  return loadProfile({ home, builtins, ...(choice.adhoc ? { adhoc: choice.adhoc } : { name: choice.name }) });
}
