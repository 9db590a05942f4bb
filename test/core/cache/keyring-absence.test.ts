import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeyringSession, withoutSessionBus } from "./support/keyring-session.js";
import type { KeyringSession, KeyringState } from "./support/keyring-session.js";

// Each case opens the token cache in a real process whose environment really lacks a working keyring: no session
// bus at all (as over SSH), a bus where nothing provides the Secret Service, a keyring daemon that was never set
// up, and a locked keyring. libsecret keeps its first bus connection for the life of a process, hence a process each.
const OPEN_STORE = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "open-store.mjs");
const run = promisify(execFile);

interface Status {
  kind: string;
  persistent: boolean;
  encrypted: boolean;
  description: string;
  location: string;
  warning?: string;
  problem?: { kind: string; message: string; action: string };
  hasPlugin: boolean;
}

async function openStoreIn(env: NodeJS.ProcessEnv, home: string, allowPlaintext: boolean): Promise<Status> {
  const args = [OPEN_STORE, home, ...(allowPlaintext ? ["--allow-plaintext"] : [])];
  const { stdout } = await run(process.execPath, args, { env });
  return JSON.parse(stdout) as Status;
}

const PLAINTEXT_HINT = 'Until then sign-ins last only while entra-tray runs; to keep them in a file only you can read, unencrypted, set "allowPlaintextCache": true in config.json.';

const cases: [string, KeyringState | "noBus", RegExp, RegExp][] = [
  ["no D-Bus session bus", "noBus",
    /^There is no D-Bus session bus to reach a keyring through \(Cannot autolaunch D-Bus without X11 \$DISPLAY\)\.$/,
    /^Run entra-tray inside your desktop session\. .*`dbus-run-session -- \$SHELL`.*`gnome-keyring-daemon --unlock --components=secrets`/],
  ["a bus where nothing provides the Secret Service", "noSecretService",
    /^No keyring \(Secret Service\) is set up on this D-Bus session \(The name org\.freedesktop\.secrets was not provided by any \.service files\)\.$/,
    /^Install and start a Secret Service keyring, such as GNOME Keyring \(`sudo apt install gnome-keyring`\)/],
  ["a keyring daemon with no keyring set up", "noKeyring",
    /^No keyring \(Secret Service\) is set up on this D-Bus session \(Object does not exist at path .\/org\/freedesktop\/secrets\/collection\/login.\)\.$/,
    /^Install and start a Secret Service keyring/],
  ["a locked keyring", "locked",
    /^The keyring is locked \(Cannot create an item in a locked collection\)\.$/,
    /^Unlock your login keyring/],
];

describe.each(cases)("with %s", (_, state, message, action) => {
  let session: KeyringSession | undefined;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "entra-tray-absent-"));
    if (state === "noBus") {
      env = withoutSessionBus();
    } else {
      session = await startKeyringSession(state);
      env = session.env;
    }
  });
  afterAll(async () => {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps tokens in memory only, and says what is wrong and how to fix it", async () => {
    const home = path.join(dir, "memory");
    const status = await openStoreIn(env, home, false);
    expect(status).toMatchObject({
      kind: "memory", persistent: false, encrypted: false, hasPlugin: false,
      warning: "Secure storage is unavailable: sign-ins last only until entra-tray exits.",
      problem: { kind: "secureStorageUnavailable", message: expect.stringMatching(message), action: expect.stringMatching(action) },
    });
    expect(status.problem?.action.endsWith(PLAINTEXT_HINT)).toBe(true);
    expect(status.description).toBe(`Tokens are kept in memory only and forgotten when entra-tray exits, because secure storage is unavailable: ${status.problem?.message} (allowPlaintextCache is off)`);
  });

  it("with allowPlaintextCache, keeps tokens in a file only the user can read, and warns about it", async () => {
    const home = path.join(dir, "plaintext");
    const status = await openStoreIn(env, home, true);
    const file = path.join(home, "token-cache", "tokens.plaintext.json");
    expect(status).toMatchObject({
      kind: "plaintext", persistent: true, encrypted: false, hasPlugin: true,
      warning: `Tokens are stored unencrypted on disk (${file}).`,
      problem: { kind: "secureStorageUnavailable", message: expect.stringMatching(message), action: expect.stringMatching(action) },
    });
    expect(status.problem?.action.endsWith(" Until then your sign-ins are kept unencrypted in the plaintext token file; " +
      "at the first start after secure storage works again, entra-tray moves them into it and deletes the file.")).toBe(true);
    expect(status.problem?.action).not.toContain("allowPlaintextCache");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });
});
