import { chmod, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { ICachePlugin } from "@azure/msal-node";
import type * as ExtensionsModule from "@azure/msal-node-extensions";
import type { IPersistence } from "@azure/msal-node-extensions";
import { AuthError, isAuthError } from "../errors/auth-error.js";
import { mergeDocuments, parseDocument } from "./cache-document.js";
import { makeFolder, writeFailure } from "../errors/atomic-write.js";
import { FileLock } from "./file-lock.js";
import type { FileLockOptions } from "./file-lock.js";
import { KEYRING_SERVICE, tokenCachePaths } from "./cache-paths.js";
import { acquireCacheLock, acquireRequestLock } from "./lock-waits.js";
import { openPlaintextFile, removeAsideCopies, timestamp } from "./plaintext-file.js";
import { SharedCachePlugin } from "./shared-cache-plugin.js";
import type { CacheBackend } from "./shared-cache-plugin.js";
import { innermostReason, keyringEntryVanished, secureStorageKindFor, secureStorageProblem } from "./storage-problem.js";
import type { PlaintextAdvice, SecureStorageKind } from "./storage-problem.js";

type Extensions = typeof ExtensionsModule;

export { KEYRING_SERVICE, tokenCachePaths };

export type TokenStorageKind = SecureStorageKind | "plaintext" | "memory";

/** Which storage holds the tokens and why: for `entra-tray status` and the app's account view. */
export interface TokenStorageStatus {
  kind: TokenStorageKind;
  /** Sign-ins outlive the process. */
  persistent: boolean;
  /** The OS encrypts the tokens at rest. */
  encrypted: boolean;
  /** One sentence naming the storage, e.g. "Tokens are encrypted in the Secret Service keyring (libsecret)." */
  description: string;
  /** The folder of the token cache (lock file, encrypted file or keyring stamp). */
  location: string;
  /** Why secure storage is not in use; set exactly when kind is plaintext or memory. */
  problem?: AuthError;
  /** Show wherever the account is shown: tokens unencrypted on disk, or gone when the process ends. */
  warning?: string;
}

export interface TokenCacheStoreOptions {
  /** The app home (appHome()); the cache lives in its `token-cache` folder. */
  home: string;
  /** When secure storage is unavailable, keep tokens in a 0600 file in a 0700 folder instead of in memory only. */
  allowPlaintextCache?: boolean;
  /** Told of events a user should know about, e.g. an unreadable cache set aside. Safe to show and log. */
  onWarning?: (message: string) => void;
  lockOptions?: FileLockOptions;
  /** How long a token request waits for another process's request for the same profile. Default REQUEST_WAIT_MS. */
  requestWaitMs?: number;
}

/**
 * A request holds its profile's lock across a refresh, which may wait on a slow IdP: up to 30 s (the network
 * timeout) for each of its requests, discovery and one or two token requests. Waiting longer than those 90 s
 * lets the holder finish or give up first, so a waiter fails only when a holder hangs.
 */
const REQUEST_WAIT_MS = 120_000;

export interface TokenCacheStore {
  readonly status: TokenStorageStatus;
  /** The cache plugin for one profile (pass it to AuthService); undefined when tokens stay in memory. */
  pluginFor(profileName: string): ICachePlugin | undefined;
  /**
   * Runs `work` alone among the processes making token requests for this profile (pass it to AuthService as
   * `exclusive`). MSAL locks the cache only while reading and while writing, so processes that find the same token
   * expiring would each refresh it, and an IdP that rotates refresh tokens may treat the second use as theft and
   * revoke the session. Other profiles' requests go on meanwhile.
   */
  exclusive<T>(profileName: string, work: () => Promise<T>): Promise<T>;
}

type Paths = ReturnType<typeof tokenCachePaths>;

const DESCRIPTIONS: Record<SecureStorageKind, string> = {
  libsecret: "Tokens are encrypted in the Secret Service keyring (libsecret)",
  keychain: "Tokens are encrypted in the macOS Keychain",
  dpapi: "Tokens are encrypted with Windows DPAPI",
};

/**
 * Opens the token cache once per process start: checks that the OS's secure storage works, else falls back to a
 * plaintext file when allowed, else to memory only. Storage problems do not throw: the status says what is in use
 * and why. Runs under the cache lock, because msal-node-extensions' check writes and deletes fixed test entries that
 * a parallel check would race; throws an AuthError only when a live process keeps that lock too long.
 */
export async function openTokenCacheStore(options: TokenCacheStoreOptions): Promise<TokenCacheStore> {
  const paths = tokenCachePaths(options.home);
  const lock = new FileLock(paths.lockFile, options.lockOptions);
  const unwritable = await prepareFolder(paths, lock).then(() => undefined, (error: unknown) => unwritableHome(options.home, error));
  const opened: Opened = unwritable ? { kind: "memory", problem: unwritable, homeUnwritable: true } : await openBackend(paths, options).finally(() => lock.release());
  const status = statusOf(opened, paths, options.allowPlaintextCache === true);
  const backend = "backend" in opened ? opened.backend : undefined;
  return {
    status,
    pluginFor(profileName) {
      if (!backend) return undefined;
      return new SharedCachePlugin({
        backend,
        lockPath: paths.lockFile,
        profile: profileName,
        ...(options.lockOptions ? { lockOptions: options.lockOptions } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
    },
    async exclusive(profileName, work) {
      if (!backend) return work();
      const timeoutMs = options.requestWaitMs ?? REQUEST_WAIT_MS;
      const lock = new FileLock(paths.requestLockFile(profileName), { ...options.lockOptions, timeoutMs });
      await acquireRequestLock(lock, profileName);
      try {
        return await work();
      } finally {
        await lock.release();
      }
    },
  };
}

/** Makes the cache's private folder and takes its lock. */
async function prepareFolder(paths: Paths, lock: FileLock): Promise<void> {
  await makeFolder(paths.dir, 0o700);
  await chmod(paths.dir, 0o700);
  await acquireCacheLock(lock);
}

/** The app home cannot be written (read-only, not ours, full): tokens stay in memory, and status says why. */
function unwritableHome(home: string, error: unknown): AuthError {
  const failure = writeFailure(isAuthError(error) ? error.cause : error);
  if (!failure) throw error;
  return new AuthError("secureStorageUnavailable", `The entra-tray home ${home} cannot be written: ${failure.cause}.`, failure.action, { cause: error });
}

type Opened =
  | { kind: SecureStorageKind; backend: CacheBackend }
  | { kind: "plaintext"; backend: CacheBackend; problem: AuthError }
  | { kind: "memory"; problem: AuthError; homeUnwritable?: true };

async function openBackend(paths: Paths, options: TokenCacheStoreOptions): Promise<Opened> {
  const platform = process.platform;
  const kind = secureStorageKindFor(platform);
  const allowPlaintext = options.allowPlaintextCache === true;
  let extensions: Extensions;
  try {
    // Loaded here, not at the top: it loads keytar's native module, which may be missing or broken.
    extensions = await import("@azure/msal-node-extensions");
  } catch (error) {
    return { kind: "memory", problem: secureStorageProblem(error, platform, allowPlaintext ? "none" : "offerPlaintext") };
  }
  let secureError: unknown;
  try {
    if (!kind) throw new Error(`no secure storage on ${platform}`);
    const { persistence, entryLoaded } = await openSecurePersistence(extensions, kind, paths);
    const backend = secureBackend(extensions, persistence, kind, paths, { entryLoaded, advice: allowPlaintext ? "none" : "offerPlaintext" });
    await retirePlaintextCopy(backend, paths, options.onWarning).catch((error: unknown) =>
      options.onWarning?.(`The plaintext token file left from before could not be retired (${innermostReason(error)}): delete ${paths.plaintextFile}.`));
    return { kind, backend };
  } catch (error) {
    secureError = error;
  }
  if (!allowPlaintext) return { kind: "memory", problem: secureStorageProblem(secureError, platform) };
  try {
    const backend = await openPlaintextFile(paths.plaintextFile);
    return { kind: "plaintext", backend, problem: secureStorageProblem(secureError, platform, "plaintextInUse") };
  } catch (error) {
    const secure = secureStorageProblem(secureError, platform, "none");
    const fallback = plaintextProblem(error);
    return { kind: "memory", problem: new AuthError(secure.kind, `${secure.message} ${fallback.message}`, `${secure.action} ${fallback.action}`, { cause: secureError }) };
  }
}

const plaintextProblem = (error: unknown) => new AuthError("secureStorageUnavailable",
  `The plaintext token file could not be used either (${writeFailure(error)?.cause ?? innermostReason(error)}).`,
  writeFailure(error)?.action ?? "Check that you own the token-cache folder in the entra-tray home and that its disk has room.", { cause: error });

/**
 * The OS's secure store for the cache, known to work: reading our own entry proves it, so msal-node-extensions'
 * check (which writes, reads and deletes a test entry: 3 more keyring calls) runs only when there is no entry yet
 * or it cannot be read.
 */
async function openSecurePersistence(extensions: Extensions, kind: SecureStorageKind, paths: Paths): Promise<{ persistence: IPersistence; entryLoaded: boolean }> {
  const persistence = kind === "dpapi"
    ? await extensions.FilePersistenceWithDataProtection.create(paths.secureFile, extensions.DataProtectionScope.CurrentUser)
    : await (kind === "libsecret" ? extensions.LibSecretPersistence : extensions.KeychainPersistence)
      .create(paths.secureFile, KEYRING_SERVICE, paths.keyringAccount);
  const entryLoaded = await persistence.load().then((text) => Boolean(text), () => false);
  if (!entryLoaded) await persistence.verifyPersistence();
  return { persistence, entryLoaded };
}

function secureBackend(extensions: Extensions, persistence: IPersistence, kind: SecureStorageKind, paths: Paths,
  { entryLoaded, advice }: { entryLoaded: boolean; advice: PlaintextAdvice }): CacheBackend {
  const describeFailure = (error: unknown) => secureStorageProblem(error, process.platform, advice);
  if (kind === "dpapi") return { ...fileBackend(persistence, describeFailure), unreadableWhenLoadFails: true };
  const Entry = kind === "libsecret" ? extensions.LibSecretPersistence : extensions.KeychainPersistence;
  let entrySeen = entryLoaded;
  return {
    async load() {
      const text = await persistence.load();
      if (text !== null) entrySeen = true;
      else if (entrySeen) throw keyringEntryVanished(advice);
      return text;
    },
    async save(text) {
      await persistence.save(text);
      entrySeen = true;
    },
    unreadableWhenLoadFails: false,
    describeFailure,
    async keepAside(text) {
      const stamp = timestamp();
      const account = `${paths.keyringAccount} (unreadable, ${stamp})`;
      const aside = await Entry.create(path.join(paths.dir, `tokens.unreadable-${stamp}.cache`), KEYRING_SERVICE, account);
      await aside.save(text ?? "");
      return `in the keyring as "${KEYRING_SERVICE}" / "${account}"`;
    },
  };
}

/** A document in a file encrypted by DPAPI: the unreadable file itself is renamed aside. */
function fileBackend(persistence: IPersistence, describeFailure: (error: unknown) => AuthError): CacheBackend {
  const file = persistence.getFilePath();
  return {
    load: () => persistence.load(),
    save: (text) => persistence.save(text),
    unreadableWhenLoadFails: false,
    describeFailure,
    async keepAside() {
      const aside = `${file}.unreadable-${timestamp()}`;
      await rename(file, aside);
      return `at ${aside}`;
    },
  };
}

/**
 * Secure storage works (again): the sign-ins of a plaintext cache left from a time it did not are merged into it
 * (an entry in both is taken from the file: it was written later, while secure storage was out of reach), and the
 * file and any copies of it set aside are deleted either way, so no token stays unencrypted on disk.
 */
async function retirePlaintextCopy(secure: CacheBackend, paths: Paths, onWarning?: (message: string) => void): Promise<void> {
  await removeAsideCopies(paths.plaintextFile);
  if (!(await stat(paths.plaintextFile).then(() => true, () => false))) return;
  const plain = parseDocument(await readFile(paths.plaintextFile, "utf8"));
  const current = parseDocument(await secure.load());
  const moved = plain !== undefined && current !== undefined && Object.keys(plain.profiles).length > 0;
  if (moved) await secure.save(JSON.stringify(mergeDocuments(current, plain)));
  await unlink(paths.plaintextFile);
  onWarning?.(moved
    ? "Secure storage works again: the sign-ins kept in the plaintext file were added to it and the file was deleted."
    : "Secure storage works again: the plaintext token file left from before was deleted.");
}

function statusOf(opened: Opened, paths: Paths, allowPlaintext: boolean): TokenStorageStatus {
  const location = paths.dir;
  switch (opened.kind) {
    case "plaintext":
      return {
        kind: "plaintext", persistent: true, encrypted: false, location, problem: opened.problem,
        description: `Tokens are stored UNENCRYPTED in ${paths.plaintextFile} (readable only by you), because allowPlaintextCache is on and secure storage is unavailable: ${opened.problem.message}`,
        warning: `Tokens are stored unencrypted on disk (${paths.plaintextFile}).`,
      };
    case "memory":
      return opened.homeUnwritable ? {
        kind: "memory", persistent: false, encrypted: false, location, problem: opened.problem,
        description: `Tokens are kept in memory only and forgotten when entra-tray exits, because its folder cannot be made or locked: ${opened.problem.message}`,
        warning: "The entra-tray home cannot be written: sign-ins last only until entra-tray exits.",
      } : {
        kind: "memory", persistent: false, encrypted: false, location, problem: opened.problem,
        description: `Tokens are kept in memory only and forgotten when entra-tray exits, because secure storage is unavailable: ${opened.problem.message}${allowPlaintext ? "" : " (allowPlaintextCache is off)"}`,
        warning: "Secure storage is unavailable: sign-ins last only until entra-tray exits.",
      };
    default:
      return {
        kind: opened.kind, persistent: true, encrypted: true, location,
        description: `${DESCRIPTIONS[opened.kind]}${opened.kind === "dpapi" ? ` in ${paths.secureFile}` : ""}.`,
      };
  }
}

