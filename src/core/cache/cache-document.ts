/**
 * What the secure store holds: one document with every profile's MSAL cache, so one keyring entry (or one
 * encrypted file), one lock and one start-up check serve all profiles. Each profile's section is MSAL's own
 * serialized cache, kept as JSON (MSAL cannot share one cache between apps: accounts would mix across profiles).
 */
export interface CacheDocument {
  version: 1;
  profiles: Record<string, Record<string, unknown>>;
}

export const emptyDocument = (): CacheDocument => ({ version: 1, profiles: {} });

/** The document in `text`, an empty one for an empty store, or undefined when the text is not such a document. */
export function parseDocument(text: string | null): CacheDocument | undefined {
  if (text === null || text.trim() === "") return emptyDocument();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.version !== 1 || !isObject(value.profiles)) return undefined;
  const profiles = value.profiles;
  if (!Object.values(profiles).every(isMsalCache)) return undefined;
  return { version: 1, profiles: profiles as CacheDocument["profiles"] };
}

/**
 * `from` added to `into`: each profile's MSAL entries (accounts, tokens, ...) joined kind by kind, an entry both hold
 * taken from `from`, so moving a cache never drops an account the destination already holds.
 */
export function mergeDocuments(into: CacheDocument, from: CacheDocument): CacheDocument {
  const profiles = { ...into.profiles };
  for (const [name, section] of Object.entries(from.profiles)) {
    const merged: Record<string, unknown> = { ...profiles[name] };
    for (const [kind, entries] of Object.entries(section)) merged[kind] = { ...(merged[kind] as object | undefined), ...(entries as object) };
    profiles[name] = merged;
  }
  return { version: 1, profiles };
}

/** MSAL's serialized shape: kinds (Account, AccessToken, ...) of keyed entries, each an object. */
const isMsalCache = (value: unknown): boolean =>
  isObject(value) && Object.values(value).every((kind) => isObject(kind) && Object.values(kind).every(isObject));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
