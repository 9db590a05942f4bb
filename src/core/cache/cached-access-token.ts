/**
 * Finding a fresh access token in one profile's section of the cache document (MSAL's serialized cache) without
 * MSAL, for a command that only prints a cached token. It answers only where MSAL's acquireTokenSilent (msal-common
 * 16's SilentFlowClient and CacheManager.getAccessToken) would certainly answer with this same entry from the cache;
 * anything else (no single match, a token due for refresh, PoP or claims-bound entries, odd data) is undefined,
 * and the caller asks MSAL, which may refresh. Never a different token than MSAL would give.
 */

/** What the lookup needs: the account, the app, where the account signed in, and what the token must cover. */
export interface CachedTokenQuery {
  homeAccountId: string;
  clientId: string;
  /** MSAL's `environment`: the authority's `host[:port]` (knownAuthority). */
  environment: string;
  /** What the caller asked for (MSAL adds openid, profile and offline_access itself). */
  scopes: readonly string[];
  /** The token must stay valid this long. */
  minValiditySec: number;
  /** Now, in whole seconds as MSAL counts them (rounded). */
  nowSec: number;
}

export interface CachedAccessToken {
  accessToken: string;
  tokenType: string;
  expiresOn: Date;
  scopes: string[];
  account: { homeAccountId: string; username: string; name?: string; tenantId?: string };
}

/** MSAL's default tokenRenewalOffsetSeconds: a token closer to its expiry than this is refreshed. */
const RENEWAL_OFFSET_SEC = 300;
const OIDC_SCOPES = ["openid", "profile", "offline_access"];

type Entry = Record<string, unknown>;

/** The accounts of a section, as `[homeAccountId, username]`, for choosing one by either. */
export function cachedAccounts(section: Record<string, unknown>): { homeAccountId: string; username: string }[] {
  return entries(section, "Account").flatMap((account) => {
    const { home_account_id: homeAccountId, username } = account;
    return typeof homeAccountId === "string" && typeof username === "string" ? [{ homeAccountId, username }] : [];
  });
}

export function findCachedAccessToken(section: Record<string, unknown>, query: CachedTokenQuery): CachedAccessToken | undefined {
  const mine = (entry: Entry) => entry.home_account_id === query.homeAccountId && entry.environment === query.environment;
  const accounts = entries(section, "Account").filter(mine);
  const [account] = accounts;
  if (accounts.length !== 1 || !account || typeof account.username !== "string" || typeof account.realm !== "string") return undefined;
  const wanted = searchScopes(query.scopes);
  const candidates = entries(section, "AccessToken").filter((entry) => mine(entry) && entry.client_id === query.clientId
    && entry.realm === account.realm && entry.credential_type === "AccessToken" && typeof entry.target === "string"
    && covers(entry.target, wanted));
  // MSAL drops several matching tokens and refreshes; only one can be its answer.
  const [token] = candidates;
  if (candidates.length !== 1 || !token || typeof token.secret !== "string" || !token.secret || typeof token.target !== "string") return undefined;
  const { secret, target } = token;
  // Entries bound to a key, to requested claims or to a resource are requests of their own kind: MSAL decides.
  if (["key_id", "requested_claims_hash", "resource", "attribute_tokens"].some((name) => token[name] !== undefined)) return undefined;
  const tokenType = token.token_type === undefined ? "Bearer" : token.token_type;
  if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") return undefined;
  const expiresOn = seconds(token.expires_on);
  const cachedAt = seconds(token.cached_at);
  const refreshOn = seconds(token.refresh_on);
  // MSAL refreshes a token cached "in the future" (the clock went back), one due for its proactive refresh, and one
  // within its renewal offset of expiry; a strict margin keeps the boundary second to MSAL.
  if (expiresOn === undefined || cachedAt === undefined || cachedAt > query.nowSec) return undefined;
  if (token.refresh_on !== undefined && (refreshOn === undefined || refreshOn <= query.nowSec)) return undefined;
  if (expiresOn - query.nowSec <= Math.max(RENEWAL_OFFSET_SEC, query.minValiditySec) + 1) return undefined;
  return {
    accessToken: secret,
    tokenType,
    expiresOn: new Date(expiresOn * 1000),
    scopes: [...new Set(target.split(" ").map((scope) => scope.trim()).filter(Boolean))],
    account: {
      homeAccountId: query.homeAccountId,
      username: account.username,
      ...(typeof account.name === "string" && account.name && { name: account.name }),
      ...(account.realm && { tenantId: account.realm }),
    },
  };
}

/** The entries of one kind (Account, AccessToken, ...), whatever their keys. */
const entries = (section: Record<string, unknown>, kind: string): Entry[] => {
  const all = section[kind];
  return typeof all === "object" && all !== null ? (Object.values(all) as Entry[]) : [];
};

/** MSAL's ScopeSet.createSearchScopes: the request's scopes without the OIDC ones, or only openid and profile. */
function searchScopes(scopes: readonly string[]): string[] {
  const all = new Set([...scopes, ...OIDC_SCOPES].map((scope) => scope.trim().toLowerCase()).filter(Boolean));
  const own = [...all].filter((scope) => !OIDC_SCOPES.includes(scope));
  return own.length ? own : [...all].filter((scope) => scope !== "offline_access");
}

/** Whether a cached token's space-separated target holds every wanted scope (case-insensitively, as MSAL compares). */
const covers = (target: string, wanted: string[]): boolean => {
  const held = new Set(target.toLowerCase().split(" "));
  return wanted.every((scope) => held.has(scope));
};

/** MSAL keeps times as strings of whole seconds. */
function seconds(value: unknown): number | undefined {
  const text = typeof value === "string" || typeof value === "number" ? String(value) : "";
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
