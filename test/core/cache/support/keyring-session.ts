import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { useFileFixture } from "../../../support/file-fixture.js";

const run = promisify(execFile);

/**
 * What a private D-Bus session offers libsecret:
 * - unlocked: GNOME Keyring with an unlocked login keyring (the normal desktop case)
 * - locked: the same keyring, locked again
 * - noKeyring: GNOME Keyring runs but has no login keyring (never set up)
 * - noSecretService: a bus where nothing provides org.freedesktop.secrets
 */
export type KeyringState = "unlocked" | "locked" | "noKeyring" | "noSecretService";

export interface KeyringSession {
  address: string;
  /** The environment for a process that should use this session (and no X display to autolaunch a bus with). */
  env: NodeJS.ProcessEnv;
  /** The secret stored (by keytar, as a generic secret) under these attributes, read with `secret-tool`. */
  lookup(attributes: Record<string, string>): Promise<string | undefined>;
  /** Stores a generic secret under these attributes with `secret-tool`, where keytar will find it. */
  store(attributes: Record<string, string>, secret: string): Promise<void>;
  /** Locks the login keyring, as the screen locker or a timeout would. */
  lock(): Promise<void>;
  close(): Promise<void>;
}

const LOGIN = "/org/freedesktop/secrets/collection/login";
const REQUIRED = "dbus-daemon, dbus-send, gnome-keyring-daemon and secret-tool (Debian: dbus-daemon dbus-bin gnome-keyring libsecret-tools; scripts/install-system-deps.sh installs them)";

/**
 * Starts a throwaway D-Bus session bus and, unless `noSecretService`, a GNOME Keyring on it whose files live in a
 * throwaway HOME. The bus has no service directories, so nothing is started behind the test's back, and the
 * developer's own keyring is never touched.
 */
export async function startKeyringSession(state: KeyringState): Promise<KeyringSession> {
  const dir = await mkdtemp(path.join(tmpdir(), "entra-tray-keyring-"));
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const address = await startBus(dir, children);
    const env = sessionEnv(address);
    if (state !== "noSecretService") {
      await startKeyring(dir, address, state !== "noKeyring", children);
      if (state !== "noKeyring") await waitFor(async () => (await dbusSend(address, "org.freedesktop.secrets", "/org/freedesktop/secrets",
        "org.freedesktop.DBus.Properties.Get", "string:org.freedesktop.Secret.Service", "string:Collections")).includes(LOGIN),
      "the login keyring to appear");
    }
    const session: KeyringSession = {
      address,
      env,
      async lookup(attributes) {
        const args = ["lookup", ...keytarAttributes(attributes)];
        try {
          return (await run("secret-tool", args, { env })).stdout;
        } catch (error) {
          if ((error as { code?: unknown }).code === 1) return undefined; // not found
          throw error;
        }
      },
      async store(attributes, secret) {
        const child = spawn("secret-tool", ["store", "--label=entra-tray test", ...keytarAttributes(attributes)],
          { env, stdio: ["pipe", "ignore", "inherit"] });
        child.stdin.end(secret);
        const [code] = await once(child, "exit");
        if (code !== 0) throw new Error(`secret-tool store exited with ${String(code)}.`);
      },
      async lock() {
        await dbusSend(address, "org.freedesktop.secrets", "/org/freedesktop/secrets",
          "org.freedesktop.Secret.Service.Lock", `array:objpath:${LOGIN}`);
      },
      close,
    };
    if (state === "locked") await session.lock();
    return session;
  } catch (error) {
    await close();
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(missing ? `The keyring tests need ${REQUIRED}.` : `Could not start a test keyring session: ${String(error)}`,
      { cause: error });
  }
}

/** keytar stores under libsecret's generic schema; items without it are invisible to keytar. */
const keytarAttributes = (attributes: Record<string, string>) =>
  Object.entries({ "xdg:schema": "org.freedesktop.Secret.Generic", ...attributes }).flat();

/** What libsecret finds (or autolaunches) a session bus by. */
export const SESSION_BUS_VARIABLES = ["DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"] as const;

/** This process's environment without any way to reach a session bus: real absence, as over SSH. */
export function withoutSessionBus(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of SESSION_BUS_VARIABLES) delete rest[name];
  return rest;
}

const sessionEnv = (address: string): NodeJS.ProcessEnv => ({ ...withoutSessionBus(), DBUS_SESSION_BUS_ADDRESS: address });

async function startBus(dir: string, children: ChildProcess[]): Promise<string> {
  const config = path.join(dir, "bus.conf");
  await writeFile(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`);
  const bus = spawn("dbus-daemon", [`--config-file=${config}`, "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "ignore"] });
  children.push(bus);
  const [line] = await Promise.race([
    once(bus.stdout.setEncoding("utf8"), "data") as Promise<[string]>,
    once(bus, "error").then(([error]) => Promise.reject(error as Error)),
  ]);
  return line.trim().split("\n")[0] ?? "";
}

async function startKeyring(dir: string, address: string, unlock: boolean, children: ChildProcess[]): Promise<void> {
  const home = path.join(dir, "home");
  await mkdir(path.join(home, "run"), { recursive: true, mode: 0o700 });
  const keyring = spawn("gnome-keyring-daemon", ["--foreground", "--components=secrets", ...(unlock ? ["--unlock"] : [])], {
    env: { ...sessionEnv(address), HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_CONFIG_HOME: path.join(home, "config"),
      XDG_CACHE_HOME: path.join(home, "cache"), XDG_RUNTIME_DIR: path.join(home, "run") },
    stdio: [unlock ? "pipe" : "ignore", "ignore", "ignore"],
  });
  children.push(keyring);
  keyring.on("error", () => undefined); // reported by the wait below
  // With --unlock it reads the new login keyring's password from stdin, up to end of file.
  keyring.stdin?.end("throwaway-test-password");
  await waitFor(async () => (await dbusSend(address, "org.freedesktop.DBus", "/org/freedesktop/DBus",
    "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")).includes("true"), "gnome-keyring-daemon to answer");
}

async function dbusSend(address: string, dest: string, object: string, method: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("dbus-send", [`--bus=${address}`, "--print-reply", `--dest=${dest}`, object, method, ...args]);
  return stdout;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(20);
  }
}

/**
 * Points this test process at a private, unlocked keyring for the whole file. libsecret connects to the session
 * bus once per process and keeps that connection, so a file that needs another keyring state runs it in a child
 * process (vitest runs each test file in its own process).
 */
export function useProcessKeyring(): () => KeyringSession {
  const start = async () => {
    const session = await startKeyringSession("unlocked");
    for (const name of SESSION_BUS_VARIABLES) delete process.env[name];
    process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
    return session;
  };
  return useFileFixture("The test keyring", start, (session) => session.close());
}
