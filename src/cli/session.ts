import { existsSync } from "node:fs";
import { ActiveAccounts } from "../core/cache/active-accounts.js";
import { AuthError, AuthService, fileAuthorityMetadataStore, systemBrowserOpener, type AccountSummary } from "../core/auth/index.js";
import { chooseSignInMethod, probeBroker } from "../core/broker/index.js";
import type { BrokerChoice, BrokerProbe } from "../core/broker/index.js";
import { openTokenCacheStore } from "../core/cache/index.js";
import type { TokenCacheStore } from "../core/cache/index.js";
import { appHome } from "../core/config/app-home.js";
import { ConfigError } from "../core/errors/config-error.js";
import { ADHOC_PROFILE_NAME, loadAppSettings, loadProfile, loadProfiles, type ProfileEntry } from "../core/config/load-config.js";
import type { Profile } from "../core/config/profile.js";
import type { RawProfile } from "../core/config/profile-schema.js";
import { demoProfileConfig } from "../demo-idp/demo-profile.js";
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
    ...(options.tenantType !== undefined && { tenantType: options.tenantType }),
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

/** What one CLI run opens at most once, whatever the number of profiles it touches. */
interface RunResources {
  /** Opening it checks the keyring, which must not run in parallel with itself. */
  cache: Promise<TokenCacheStore>;
  broker: () => Promise<BrokerProbe>;
}
const resources = new WeakMap<CliIo, RunResources>();

function runResources(io: CliIo): RunResources {
  let found = resources.get(io);
  if (!found) {
    const home = appHome(io.env, io.platform);
    let probe: Promise<BrokerProbe> | undefined;
    found = {
      cache: loadAppSettings(home).then(({ allowPlaintextCache }) => openTokenCacheStore({
        home,
        allowPlaintextCache,
        onWarning: (message) => io.stderr.write(`entra-tray: warning: ${message}\n`),
      })),
      broker: () => (probe ??= probeBroker()),
    };
    resources.set(io, found);
  }
  return found;
}

export const tokenCacheStore = (io: CliIo): Promise<TokenCacheStore> => runResources(io).cache;

/**
 * Says on stderr when tokens are not kept encrypted (memory only, or a plaintext file the user allowed), wherever a
 * command shows the account, so nobody mistakes either for the keyring.
 */
export async function warnAboutStorage(io: CliIo): Promise<void> {
  const { encrypted, warning, problem } = (await tokenCacheStore(io)).status;
  if (encrypted) return;
  io.stderr.write(`entra-tray: warning: ${[warning, problem?.message, problem?.action].filter(Boolean).join(" ")}\n`);
}

/** Ad-hoc profiles share a name, so their cache section is named by what they sign in to. */
const cacheSection = (profile: Profile): string =>
  profile.name === ADHOC_PROFILE_NAME ? `${ADHOC_PROFILE_NAME} ${profile.authority.url} ${profile.clientId}` : profile.name;

/** How the chosen profile signs in (broker or browser, and why) and its AuthService over the shared token cache. */
export async function sessionFor(io: CliIo, profile: Profile): Promise<{ auth: AuthService; signIn: BrokerChoice }> {
  const { cache, broker } = runResources(io);
  const [store, signIn] = await Promise.all([cache, chooseSignInMethod(profile, { probe: broker })]);
  const cachePlugin = store.pluginFor(cacheSection(profile));
  const auth = new AuthService({
    profile,
    openBrowser: systemBrowserOpener(io.env, io.platform),
    // The IdP's endpoints, kept so that a cached token is served without asking the IdP anything.
    metadataCache: fileAuthorityMetadataStore(appHome(io.env, io.platform)),
    ...(cachePlugin && { cachePlugin, exclusive: (work) => store.exclusive(cacheSection(profile), work) }),
    ...(signIn.plugin && { broker: signIn.plugin }),
    onNotice: (message) => io.stderr.write(`entra-tray: ${message}\n`),
  });
  return { auth, signIn };
}

/** An AuthService for the chosen profile that opens pages with `$BROWSER` or the system's opener. */
export const authServiceFor = async (io: CliIo, profile: Profile): Promise<AuthService> => (await sessionFor(io, profile)).auth;

const activeAccounts = (io: CliIo): ActiveAccounts => ActiveAccounts.in(appHome(io.env, io.platform));

/**
 * Makes the account the user means active in `auth`: `--account`, else the one made active last (by `login`, here or
 * in the tray app), else the first signed in. Returns it, or undefined when nobody is signed in. An `--account`
 * that is not signed in is an AuthError (interactionRequired) that says how to sign it in.
 */
export async function activateAccount(io: CliIo, auth: AuthService, wanted?: string): Promise<AccountSummary | undefined> {
  await auth.loadAccounts();
  const accounts = await auth.accounts();
  const find = (needle: string) => accounts.find((account) =>
    account.homeAccountId === needle || account.username.toLowerCase() === needle.toLowerCase());
  if (wanted !== undefined) {
    const found = find(wanted);
    if (!found) {
      const signedIn = accounts.length ? ` (signed in: ${accounts.map((account) => account.username).join(", ")})` : "";
      throw new AuthError("interactionRequired", `${wanted} is not signed in to ${auth.profile.displayName}${signedIn}.`,
        `Run \`entra-tray login --login-hint ${wanted}\` with the same profile.`);
    }
    return auth.switchAccount(found.homeAccountId);
  }
  const remembered = await activeAccounts(io).get(cacheSection(auth.profile));
  const found = remembered === undefined ? undefined : find(remembered);
  return found && found.homeAccountId !== auth.activeAccount?.homeAccountId ? auth.switchAccount(found.homeAccountId) : auth.activeAccount;
}

/** Makes `account` the profile's active account for later commands and the tray app (after a sign-in). */
export const rememberActive = (io: CliIo, auth: AuthService, account: AccountSummary): Promise<void> =>
  activeAccounts(io).set(cacheSection(auth.profile), account.homeAccountId);

/** Forgets `account` as the profile's active one (after it signed out). */
export const forgetActive = (io: CliIo, auth: AuthService, account: AccountSummary): Promise<void> =>
  activeAccounts(io).clear(cacheSection(auth.profile), account.homeAccountId);

/** Whether an interactive sign-in can show a browser here: `$BROWSER`, a desktop platform, or a Linux display. */
export function browserAvailable(io: CliIo): boolean {
  if (io.env.BROWSER) return true;
  if (io.platform === "darwin" || io.platform === "win32") return true;
  return Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}
