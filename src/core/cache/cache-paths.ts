import { createHash } from "node:crypto";
import path from "node:path";

// Where the token cache lives, apart from the store that opens it (which loads MSAL): the CLI's cached-token path reads it too.

/** The keyring entry's service name; the account name tells app homes apart (tests, portable installs). */
export const KEYRING_SERVICE = "entra-tray";

export const tokenCachePaths = (home: string) => {
  const dir = path.join(home, "token-cache");
  return {
    dir,
    /** Windows: the DPAPI-encrypted document. Linux and macOS: a stamp file next to the keyring entry. */
    secureFile: path.join(dir, "tokens.cache"),
    plaintextFile: path.join(dir, "tokens.plaintext.json"),
    lockFile: path.join(dir, "tokens.lock"),
    /** One per profile (cache section); named by a hash, as section names may hold any character. */
    requestLockFile: (section: string) =>
      path.join(dir, `requests-${createHash("sha256").update(section).digest("hex").slice(0, 16)}.lock`),
    keyringAccount: `token cache in ${dir}`,
  };
};
