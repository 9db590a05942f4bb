import { stat } from "node:fs/promises";
import { parseDocument, type CacheDocument } from "./cache-document.js";
import { KEYRING_SERVICE, tokenCachePaths } from "./cache-paths.js";

/**
 * The cache document as the keyring holds it (libsecret, macOS Keychain), read with keytar alone: the same call
 * msal-node-extensions makes, without loading the extensions (their index loads the broker runtime and parts of
 * MSAL). Undefined whenever opening the store properly could do more than read: no keyring here (Windows' DPAPI
 * file), keytar not loadable, no entry or an unreadable one (the store checks or sets it aside), or a plaintext
 * file left from a time without a keyring (the store merges and retires it).
 */
export async function readKeyringDocument(home: string, platform: NodeJS.Platform): Promise<CacheDocument | undefined> {
  if (platform !== "linux" && platform !== "darwin") return undefined;
  const paths = tokenCachePaths(home);
  if (await stat(paths.plaintextFile).then(() => true, () => false)) return undefined;
  try {
    const { default: keytar } = await import("keytar");
    const text = await keytar.getPassword(KEYRING_SERVICE, paths.keyringAccount);
    return text === null ? undefined : parseDocument(text);
  } catch {
    return undefined;
  }
}
