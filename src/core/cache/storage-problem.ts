import { AuthError } from "../errors/auth-error.js";

/** Where the OS keeps encrypted secrets on each platform, as msal-node-extensions uses it. */
export type SecureStorageKind = "libsecret" | "keychain" | "dpapi";

export const secureStorageKindFor = (platform: NodeJS.Platform): SecureStorageKind | undefined =>
  platform === "linux" ? "libsecret" : platform === "darwin" ? "keychain" : platform === "win32" ? "dpapi" : undefined;

/**
 * What the user can do meanwhile, which depends on allowPlaintextCache and on what the store fell back to:
 * - offerPlaintext: it is off; say how to keep sign-ins across restarts anyway.
 * - plaintextInUse: it is on and the plaintext file holds the sign-ins; say how encryption comes back.
 * - none: nothing to add (it is on, but the plaintext file is not in use or failed too).
 */
export type PlaintextAdvice = "offerPlaintext" | "plaintextInUse" | "none";

const ADVICE: Record<PlaintextAdvice, string> = {
  offerPlaintext: 'Until then sign-ins last only while entra-tray runs; to keep them in a file only you can read, unencrypted, set "allowPlaintextCache": true in config.json.',
  plaintextInUse: "Until then your sign-ins are kept unencrypted in the plaintext token file; at the first start after secure storage works again, entra-tray moves them into it and deletes the file.",
  none: "",
};

interface Cause {
  test: RegExp;
  message: (detail: string) => string;
  action: string;
}

// libsecret's own wording for each way the Secret Service can be out of reach (measured with keytar 7.9).
const LINUX_CAUSES: Cause[] = [
  {
    test: /autolaunch D-Bus|Could not connect|connection is closed|unsupported transport|DBUS_SESSION_BUS_ADDRESS/i,
    message: (detail) => `There is no D-Bus session bus to reach a keyring through (${detail}).`,
    action: "Run entra-tray inside your desktop session. On a machine without one, start a session with " +
      "`dbus-run-session -- $SHELL` and unlock a keyring in it with `gnome-keyring-daemon --unlock --components=secrets` " +
      "(it reads the keyring password on stdin).",
  },
  {
    test: /locked|prompt|dismissed|cancel/i,
    message: (detail) => `The keyring is locked (${detail}).`,
    action: "Unlock your login keyring (for example in Passwords and Keys), then try again.",
  },
  {
    test: /org\.freedesktop\.secrets|ServiceUnknown|Object does not exist|No such interface|collection/i,
    message: (detail) => `No keyring (Secret Service) is set up on this D-Bus session (${detail}).`,
    action: "Install and start a Secret Service keyring, such as GNOME Keyring (`sudo apt install gnome-keyring`) or " +
      "KeePassXC with Secret Service integration on, and create its default keyring.",
  },
  {
    test: /keytar|libsecret|cannot open shared object|Cannot find (module|package)/i,
    message: (detail) => `The keyring library could not be loaded (${detail}).`,
    action: "Install libsecret (`sudo apt install libsecret-1-0`), then reinstall entra-tray so that keytar is rebuilt.",
  },
];

const OTHER_CAUSES: Partial<Record<NodeJS.Platform, Cause>> = {
  darwin: {
    test: /./,
    message: (detail) => `The macOS Keychain did not store the token cache (${detail}).`,
    action: "Unlock your login keychain in Keychain Access and allow entra-tray to use it when macOS asks.",
  },
  win32: {
    test: /./,
    message: (detail) => `Windows could not encrypt the token cache with DPAPI (${detail}).`,
    action: "Run entra-tray as yourself in a normal Windows session (DPAPI needs your loaded user profile).",
  },
};

/**
 * Why the OS's secure storage cannot hold the token cache, as an AuthError of kind `secureStorageUnavailable`
 * whose message names the cause and whose action names the fix, then `advice` about the plaintext file.
 */
export function secureStorageProblem(error: unknown, platform: NodeJS.Platform = process.platform,
  advice: PlaintextAdvice = "offerPlaintext"): AuthError {
  const detail = innermostReason(error);
  const causes = platform === "linux" ? LINUX_CAUSES : [OTHER_CAUSES[platform]].filter((c) => c !== undefined);
  const cause = causes.find((c) => c.test.test(detail));
  const message = cause?.message(detail) ??
    (secureStorageKindFor(platform)
      ? `Secure token storage could not be used${detail ? ` (${detail})` : ""}.`
      : `entra-tray has no secure token storage on ${platform}.`);
  const action = cause?.action ?? "Check that your OS keystore works, then try again.";
  return new AuthError("secureStorageUnavailable", message, withAdvice(action, advice), { cause: error });
}

const withAdvice = (action: string, advice: PlaintextAdvice) => (ADVICE[advice] ? `${action} ${ADVICE[advice]}` : action);

/**
 * libsecret answers a lookup in a locked keyring with "nothing", as it does when nothing is stored, and no
 * read-only call tells the two apart (measured with keytar 7.9: findCredentials even crashes). So once this
 * process has seen the entry, "nothing" means the keyring was locked since (or the entry was removed by hand).
 */
export function keyringEntryVanished(advice: PlaintextAdvice): AuthError {
  return new AuthError("secureStorageUnavailable",
    "The keyring stopped returning the saved sign-ins: it was probably locked (or entra-tray's entry in it was removed).",
    withAdvice("Unlock your login keyring (for example in Passwords and Keys), then try again; if you removed the entry on purpose, restart entra-tray.", advice));
}

/**
 * msal-node-extensions wraps the keystore's own words in layers ("CachePersistenceError: Verifing persistence
 * failed with the error: Error: ..."): keep the last layer, on one line.
 */
export function innermostReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const last = text.split(/\b\w*Error: /).filter((part) => part.trim()).at(-1) ?? text;
  return last.replace(/\s+/g, " ").trim().replace(/[.:]$/, "");
}
