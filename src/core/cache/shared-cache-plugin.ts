import { TokenCache } from "@azure/msal-node";
import type { ICachePlugin, ISerializableTokenCache, TokenCacheContext } from "@azure/msal-node";
import { AuthError } from "../errors/auth-error.js";
import { emptyDocument, parseDocument } from "./cache-document.js";
import type { CacheDocument } from "./cache-document.js";
import { FileLock } from "./file-lock.js";
import type { FileLockOptions } from "./file-lock.js";
import { acquireCacheLock } from "./lock-waits.js";
import { innermostReason } from "./storage-problem.js";

/** Where the cache document lives (keyring entry, encrypted file or plain file), as the plugin needs it. */
export interface CacheBackend {
  /** The stored document; null when nothing is stored. May throw an AuthError that says what to do. */
  load(): Promise<string | null>;
  save(text: string): Promise<void>;
  /**
   * Keeps an unreadable copy for diagnosis, as safely stored as the original; `text` is undefined when the copy
   * could not even be decrypted. Returns where it went, as a phrase ("in the keyring as ...", "at /path").
   */
  keepAside(text: string | undefined): Promise<string>;
  /** True when a failing load means the stored copy cannot be decrypted (DPAPI), not that storage is out of reach. */
  unreadableWhenLoadFails: boolean;
  /** A failed load or save as an error the user can act on. */
  describeFailure(error: unknown): AuthError;
}

export interface SharedCachePluginOptions {
  backend: CacheBackend;
  lockPath: string;
  lockOptions?: FileLockOptions;
  /** The profile whose MSAL cache this plugin keeps, as a section of the shared document. */
  profile: string;
  /** Told when an unreadable cache was set aside; safe to show and to log. */
  onWarning?: (message: string) => void;
}

/**
 * An MSAL cache plugin for one profile's section of the shared, cross-process cache document.
 *
 * It replaces msal-node-extensions' PersistenceCachePlugin, which decides whether to reload by comparing the file's
 * time with its last read BEFORE taking the lock: a process that writes between that check and the lock has its
 * update overwritten, and coarse file times can hide a write outright. It also hands the stored cache to MSAL's
 * `deserialize`, which merges instead of replacing, so an account removed by another process comes back.
 * Here every access takes the lock first, then reads the store and replaces MSAL's in-memory cache with it (MSAL's
 * own `overwriteCache`, run before each silent lookup, relies on the plugin doing exactly that). Writes (MSAL's
 * `cacheHasChanged` accesses) keep the lock from the read until the write, so no update is lost.
 */
export class SharedCachePlugin implements ICachePlugin {
  /** Writes in progress: the lock taken in beforeCacheAccess, and the document read under it. */
  private readonly writes = new WeakMap<TokenCacheContext, { lock: FileLock; document: CacheDocument; section: string }>();

  constructor(private readonly options: SharedCachePluginOptions) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const lock = new FileLock(this.options.lockPath, this.options.lockOptions);
    await acquireCacheLock(lock);
    try {
      const loaded = await this.load(context);
      if (context.cacheHasChanged) {
        this.writes.set(context, { lock, ...loaded });
        return;
      }
    } catch (error) {
      await lock.release();
      throw error;
    }
    await lock.release();
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    const write = this.writes.get(context);
    if (!write) return; // a read, or a write whose beforeCacheAccess failed
    this.writes.delete(context);
    try {
      const section = context.tokenCache.serialize();
      if (section === write.section) return;
      const { document } = write;
      await this.save({ ...document, profiles: { ...document.profiles, [this.options.profile]: JSON.parse(section) as Record<string, unknown> } });
    } finally {
      await write.lock.release();
    }
  }

  /** Replaces MSAL's in-memory cache with the stored one. Runs under the lock. */
  private async load(context: TokenCacheContext): Promise<{ document: CacheDocument; section: string }> {
    const { backend, profile } = this.options;
    let text: string | null;
    try {
      text = await backend.load();
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (!backend.unreadableWhenLoadFails) throw backend.describeFailure(error);
      return this.setAside(context, undefined, `it could not be decrypted: ${innermostReason(error)}`);
    }
    // Nothing stored: nothing is written either. A read that wrote would, in a keyring locked since start-up (which
    // also answers "nothing"), pop an unlock prompt whose acceptance would erase every profile's sign-ins; the
    // backend reports such a keyring instead (keyringEntryVanished).
    if (text === null) return this.hand(context, emptyDocument());
    const document = parseDocument(text);
    if (!document) return this.setAside(context, text, "it is not a token cache that entra-tray wrote");
    try {
      return this.hand(context, document);
    } catch (error) {
      return this.setAside(context, text, `MSAL cannot read the entries of profile ${profile}: ${innermostReason(error)}`);
    }
  }

  /** Gives MSAL this profile's section of the document. */
  private hand(context: TokenCacheContext, document: CacheDocument): { document: CacheDocument; section: string } {
    const section = JSON.stringify(document.profiles[this.options.profile] ?? {});
    replaceInMemoryCache(context.tokenCache, section);
    return { document, section };
  }

  /**
   * The stored cache is unreadable: keep it aside, start every profile signed out, and say so. The only write a
   * read makes: the copy is safe aside, and replacing it keeps every later read from setting it aside again.
   */
  private async setAside(context: TokenCacheContext, text: string | undefined, why: string): Promise<{ document: CacheDocument; section: string }> {
    const { backend, onWarning } = this.options;
    const kept = await backend.keepAside(text).then(
      (where) => `The unreadable copy was kept ${where}.`,
      (error: unknown) => `Keeping the unreadable copy failed too (${backend.describeFailure(error).message}).`,
    );
    const document = emptyDocument();
    await this.save(document);
    onWarning?.(`The saved sign-ins could not be read (${why}), so every profile starts signed out. ${kept} Sign in again.`);
    return this.hand(context, document);
  }

  private async save(document: CacheDocument): Promise<void> {
    try {
      await this.options.backend.save(JSON.stringify(document));
    } catch (error) {
      throw this.options.backend.describeFailure(error);
    }
  }
}

/**
 * MSAL's `deserialize` merges into the in-memory cache instead of replacing it, so an account another process
 * removed (a sign-out) would live on here and be written back with this process's next change. Its own
 * `overwriteCache` clears first but goes through the plugin again; do the same clearing here, keeping the
 * authority metadata MSAL cached (as `overwriteCache` does) so discovery is not repeated.
 */
function replaceInMemoryCache(cache: ISerializableTokenCache, section: string): void {
  if (cache instanceof TokenCache) {
    const entries = cache.getKVStore();
    for (const key of Object.keys(entries)) if (!key.startsWith(AUTHORITY_METADATA_PREFIX)) delete entries[key];
  }
  cache.deserialize(section);
}

/** msal-common's AUTHORITY_METADATA_CACHE_KEY, which msal-node does not export. */
const AUTHORITY_METADATA_PREFIX = "authority-metadata-";
