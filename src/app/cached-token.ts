import { fileAuthorityMetadataStore } from "../core/auth/authority-metadata.js";
import { KeptEndpoints } from "../core/auth/kept-endpoints.js";
import { ActiveAccounts } from "../core/cache/active-accounts.js";
import { cachedAccounts, findCachedAccessToken, type CachedAccessToken } from "../core/cache/cached-access-token.js";
import { readKeyringDocument } from "../core/cache/keyring-document.js";
import { appHome } from "../core/config/app-home.js";
import { chooseProfile } from "./profile-choice.js";
import type { ProfileSelector } from "./token-service/protocol.js";

export interface CachedTokenRequest {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  selector: ProfileSelector;
  /** Default the profile's scopes. */
  scopes?: string[];
  minValiditySec: number;
}

/**
 * The token a command would get from MSAL's cache, read without MSAL or msal-node-extensions (most of a command's
 * start-up): the keyring entry, the remembered active account and the kept endpoints, as AppContext and MSAL would
 * use them. Undefined whenever MSAL might do anything but hand out that cached token (refresh, ask the IdP, use the
 * broker, set an unreadable cache aside, pick among several accounts): the command then takes the full path. A
 * broken profile throws the same ConfigError the full path would throw first.
 */
export async function cachedToken(request: CachedTokenRequest): Promise<CachedAccessToken | undefined> {
  const home = appHome(request.env, request.platform);
  const { profile: name, adhoc, account: wanted } = request.selector;
  const profile = await chooseProfile(home, adhoc ? { adhoc } : { ...(name !== undefined && { name }) });
  // Entra ID may go through the OS broker, whose tokens are not in this cache.
  if (profile.authority.kind === "entraId") return undefined;
  // Without kept endpoints MSAL asks the IdP for them first, which can fail: that outcome is MSAL's to report.
  if (new KeptEndpoints(profile, fileAuthorityMetadataStore(home), () => undefined).load() === undefined) return undefined;
  const section = (await readKeyringDocument(home, request.platform))?.profiles[profile.cacheSection];
  if (!section) return undefined;
  const accounts = cachedAccounts(section);
  const remembered = wanted === undefined ? await ActiveAccounts.in(home).get(profile.cacheSection) : undefined;
  // Only an account no ordering can change: MSAL's own order decides among several.
  const matching = wanted !== undefined
    ? accounts.filter((each) => each.homeAccountId === wanted || each.username.toLowerCase() === wanted.toLowerCase())
    : accounts.filter((each) => each.homeAccountId === remembered);
  const [account] = matching.length || wanted !== undefined ? matching : accounts;
  if (!account || (matching.length || accounts.length) !== 1) return undefined;
  return findCachedAccessToken(section, {
    homeAccountId: account.homeAccountId,
    clientId: profile.clientId,
    environment: profile.authority.knownAuthority,
    scopes: request.scopes ?? profile.scopes,
    minValiditySec: request.minValiditySec,
    // MSAL's own clock (TimeUtils.nowSeconds rounds): it stamps cached_at with it, and a floor would see a token
    // cached in the last half second as cached "in the future" and step aside.
    nowSec: Math.round(Date.now() / 1000),
  });
}
