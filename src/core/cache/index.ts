export { KEYRING_SERVICE, openTokenCacheStore, tokenCachePaths } from "./token-cache-store.js";
export type { TokenCacheStore, TokenCacheStoreOptions, TokenStorageKind, TokenStorageStatus } from "./token-cache-store.js";
export { FileLock, LockTimeoutError } from "./file-lock.js";
export type { FileLockOptions, LockOwner } from "./file-lock.js";
