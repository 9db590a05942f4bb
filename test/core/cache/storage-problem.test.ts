import { describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import {
  innermostReason,
  keyringEntryVanished,
  secureStorageKindFor,
  secureStorageProblem,
} from "../../../src/core/cache/storage-problem.js";

// Pinned in full: these sentences are what a user reads when sign-ins cannot be kept.
const OFFER = 'Until then sign-ins last only while entra-tray runs; to keep them in a file only you can read, unencrypted, set "allowPlaintextCache": true in config.json.';
const IN_USE = "Until then your sign-ins are kept unencrypted in the plaintext token file; at the first start after secure storage works again, entra-tray moves them into it and deletes the file.";

const NO_BUS_ACTION = "Run entra-tray inside your desktop session. On a machine without one, start a session with " +
  "`dbus-run-session -- $SHELL` and unlock a keyring in it with `gnome-keyring-daemon --unlock --components=secrets` " +
  "(it reads the keyring password on stdin).";
const LOCKED_ACTION = "Unlock your login keyring (for example in Passwords and Keys), then try again.";
const NO_SERVICE_ACTION = "Install and start a Secret Service keyring, such as GNOME Keyring (`sudo apt install gnome-keyring`) or " +
  "KeePassXC with Secret Service integration on, and create its default keyring.";
const LIBRARY_ACTION = "Install libsecret (`sudo apt install libsecret-1-0`), then reinstall entra-tray so that keytar is rebuilt.";
const GENERIC_ACTION = "Check that your OS keystore works, then try again.";

const noBus = (detail: string) => `There is no D-Bus session bus to reach a keyring through (${detail}).`;
const locked = (detail: string) => `The keyring is locked (${detail}).`;
const noService = (detail: string) => `No keyring (Secret Service) is set up on this D-Bus session (${detail}).`;
const library = (detail: string) => `The keyring library could not be loaded (${detail}).`;

// One detail per alternative of each Linux pattern, worded so that it matches no earlier pattern.
const LINUX: [string, (detail: string) => string, string][] = [
  ["Cannot autolaunch D-Bus without X11 $DISPLAY", noBus, NO_BUS_ACTION],
  ["Could not connect: No such file or directory", noBus, NO_BUS_ACTION],
  ["The connection is closed", noBus, NO_BUS_ACTION],
  ["Unsupported transport in the bus address", noBus, NO_BUS_ACTION],
  ["DBUS_SESSION_BUS_ADDRESS is not set", noBus, NO_BUS_ACTION],
  ["The keyring is locked", locked, LOCKED_ACTION],
  ["The user declined the prompt", locked, LOCKED_ACTION],
  ["The unlock dialog was dismissed", locked, LOCKED_ACTION],
  ["Request cancelled by the user", locked, LOCKED_ACTION],
  ["The name org.freedesktop.secrets was not provided by any .service files", noService, NO_SERVICE_ACTION],
  ["ServiceUnknown: the name is not activatable", noService, NO_SERVICE_ACTION],
  ["Object does not exist at path /", noService, NO_SERVICE_ACTION],
  ["No such interface on object at path /", noService, NO_SERVICE_ACTION],
  ["The default collection is unavailable", noService, NO_SERVICE_ACTION],
  ["keytar.node is missing", library, LIBRARY_ACTION],
  ["libsecret-1.so.0 is missing", library, LIBRARY_ACTION],
  ["cannot open shared object file: No such file or directory", library, LIBRARY_ACTION],
  ["Cannot find module './build/Release/binding.node'", library, LIBRARY_ACTION],
  ["Cannot find package 'x' imported from /app", library, LIBRARY_ACTION],
];

describe("secureStorageKindFor", () => {
  it("names each platform's secure storage, and none elsewhere", () => {
    expect(secureStorageKindFor("linux")).toBe("libsecret");
    expect(secureStorageKindFor("darwin")).toBe("keychain");
    expect(secureStorageKindFor("win32")).toBe("dpapi");
    expect(secureStorageKindFor("aix")).toBeUndefined();
    expect(secureStorageKindFor("freebsd")).toBeUndefined();
  });
});

describe("secureStorageProblem on Linux", () => {
  it.each(LINUX)("names the cause of %j", (detail, message, action) => {
    const error = new Error(detail);
    const problem = secureStorageProblem(error, "linux", "none");
    expect(problem).toBeInstanceOf(AuthError);
    expect(problem.kind).toBe("secureStorageUnavailable");
    expect(problem.message).toBe(message(detail));
    expect(problem.action).toBe(action);
    expect(problem.cause).toBe(error);
  });

  it.each(LINUX)("matches %j whatever its case", (detail, message, action) => {
    const shouted = detail.toUpperCase();
    const lowered = detail.toLowerCase();
    expect(secureStorageProblem(new Error(shouted), "linux", "none").message).toBe(message(shouted));
    expect(secureStorageProblem(new Error(lowered), "linux", "none").message).toBe(message(lowered));
    expect(secureStorageProblem(new Error(lowered), "linux", "none").action).toBe(action);
  });

  it("reads the cause under msal-node-extensions' wrapping", () => {
    const error = new Error("CachePersistenceError: Verifing persistence failed with the error: Error: Cannot autolaunch D-Bus without X11 $DISPLAY.");
    const problem = secureStorageProblem(error, "linux", "none");
    expect(problem.message).toBe("There is no D-Bus session bus to reach a keyring through (Cannot autolaunch D-Bus without X11 $DISPLAY).");
    expect(problem.cause).toBe(error);
  });

  it("falls back to a generic message and action when no cause matches", () => {
    const problem = secureStorageProblem(new Error("Something odd happened."), "linux", "none");
    expect(problem.kind).toBe("secureStorageUnavailable");
    expect(problem.message).toBe("Secure token storage could not be used (Something odd happened).");
    expect(problem.action).toBe(GENERIC_ACTION);
  });
});

describe("secureStorageProblem on macOS and Windows", () => {
  it("blames the Keychain for any detail on darwin, Linux patterns included", () => {
    for (const detail of ["User interaction is not allowed", "The keyring is locked", "-"]) {
      const problem = secureStorageProblem(new Error(detail), "darwin", "none");
      expect(problem.message).toBe(`The macOS Keychain did not store the token cache (${detail}).`);
      expect(problem.action).toBe("Unlock your login keychain in Keychain Access and allow entra-tray to use it when macOS asks.");
    }
  });

  it("blames DPAPI for any detail on win32, Linux patterns included", () => {
    for (const detail of ["The data is invalid", "Could not connect", "?"]) {
      const problem = secureStorageProblem(new Error(detail), "win32", "none");
      expect(problem.message).toBe(`Windows could not encrypt the token cache with DPAPI (${detail}).`);
      expect(problem.action).toBe("Run entra-tray as yourself in a normal Windows session (DPAPI needs your loaded user profile).");
    }
  });

  it("gives the generic message when there is no detail at all", () => {
    // Their patterns need one character: an empty reason says nothing about the Keychain or DPAPI.
    expect(secureStorageProblem(new Error(""), "darwin", "none").message).toBe("Secure token storage could not be used.");
    expect(secureStorageProblem(new Error(""), "win32", "none").action).toBe(GENERIC_ACTION);
  });
});

describe("secureStorageProblem elsewhere", () => {
  it("says there is no secure storage on a platform without one, whatever the detail", () => {
    for (const detail of ["The keyring is locked", "anything"]) {
      const error = new Error(detail);
      const problem = secureStorageProblem(error, "aix", "none");
      expect(problem.kind).toBe("secureStorageUnavailable");
      expect(problem.message).toBe("entra-tray has no secure token storage on aix.");
      expect(problem.action).toBe(GENERIC_ACTION);
      expect(problem.cause).toBe(error);
    }
  });
});

describe("secureStorageProblem's advice", () => {
  const error = new Error("The keyring is locked");

  it("offers the plaintext file, after one space", () => {
    expect(secureStorageProblem(error, "linux", "offerPlaintext").action).toBe(`${LOCKED_ACTION} ${OFFER}`);
  });

  it("says the plaintext file is in use, after one space", () => {
    expect(secureStorageProblem(error, "linux", "plaintextInUse").action).toBe(`${LOCKED_ACTION} ${IN_USE}`);
  });

  it("adds nothing for none", () => {
    expect(secureStorageProblem(error, "linux", "none").action).toBe(LOCKED_ACTION);
  });

  it("applies to the generic action too", () => {
    expect(secureStorageProblem(new Error("odd"), "aix", "plaintextInUse").action).toBe(`${GENERIC_ACTION} ${IN_USE}`);
  });

  it("defaults to offering the plaintext file on this platform", () => {
    const byDefault = secureStorageProblem(error);
    const explicit = secureStorageProblem(error, process.platform, "offerPlaintext");
    expect(byDefault.message).toBe(explicit.message);
    expect(byDefault.action).toBe(explicit.action);
    expect(byDefault.action.endsWith(` ${OFFER}`)).toBe(true);
  });

  it("defaults the advice alone when a platform is given", () => {
    expect(secureStorageProblem(error, "linux").action).toBe(`${LOCKED_ACTION} ${OFFER}`);
  });
});

describe("keyringEntryVanished", () => {
  const message = "The keyring stopped returning the saved sign-ins: it was probably locked (or entra-tray's entry in it was removed).";
  const action = "Unlock your login keyring (for example in Passwords and Keys), then try again; if you removed the entry on purpose, restart entra-tray.";

  it.each([
    ["offerPlaintext", `${action} ${OFFER}`],
    ["plaintextInUse", `${action} ${IN_USE}`],
    ["none", action],
  ] as const)("says the entry vanished, with %s advice", (advice, expected) => {
    const problem = keyringEntryVanished(advice);
    expect(problem).toBeInstanceOf(AuthError);
    expect(problem.kind).toBe("secureStorageUnavailable");
    expect(problem.message).toBe(message);
    expect(problem.action).toBe(expected);
    expect(problem.cause).toBeUndefined();
  });
});

describe("innermostReason", () => {
  it("keeps the last layer of msal-node-extensions' wrapping", () => {
    expect(innermostReason(new Error("CachePersistenceError: Verifing persistence failed with the error: Error: real reason."))).toBe("real reason");
  });

  it("splits on any named error layer, and only on capitalized ones", () => {
    expect(innermostReason(new Error("TypeError: bad value"))).toBe("bad value");
    expect(innermostReason(new Error("Error: outer SyntaxError: inner"))).toBe("inner");
    // "the error: " is prose, not a layer.
    expect(innermostReason(new Error("failed with the error: thing"))).toBe("failed with the error: thing");
    // "XError:" without a space after it is not a layer either.
    expect(innermostReason(new Error("GDBus.Error:org.Thing"))).toBe("GDBus.Error:org.Thing");
  });

  it("collapses whitespace and newlines to single spaces, and trims", () => {
    expect(innermostReason(new Error("  first   line\n\n  second\tline  "))).toBe("first line second line");
    expect(innermostReason(new Error("Error: one\r\n  two"))).toBe("one two");
  });

  it("drops one trailing period or colon, only at the end", () => {
    expect(innermostReason(new Error("v1.2 failed."))).toBe("v1.2 failed");
    expect(innermostReason(new Error("it failed:"))).toBe("it failed");
    expect(innermostReason(new Error("wait.."))).toBe("wait.");
    expect(innermostReason(new Error("a: b"))).toBe("a: b");
    expect(innermostReason(new Error("ends. "))).toBe("ends");
  });

  it("reads non-Error values through String()", () => {
    expect(innermostReason(42)).toBe("42");
    expect(innermostReason(undefined)).toBe("undefined");
    expect(innermostReason("Error: from a string.")).toBe("from a string");
    expect(innermostReason({ toString: () => "custom:" })).toBe("custom");
  });

  it("returns text with no layer whole, trimmed", () => {
    expect(innermostReason(new Error("  plain reason  "))).toBe("plain reason");
  });

  it("keeps a message that is only a layer prefix, less its colon", () => {
    expect(innermostReason(new Error("Error: "))).toBe("Error");
    expect(innermostReason(new Error("CachePersistenceError: Error:  "))).toBe("CachePersistenceError: Error");
  });
});
