import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeyringSession, withoutSessionBus, type KeyringSession } from "../core/cache/support/keyring-session.js";
import { baseEnv, runCli } from "../support/run-cli.js";
import { browserCommandEnv, makeTempHome, useDemoEnv, type TempHome } from "./support/demo-env.js";

// When sign-ins cannot be kept, `whoami` and `token` say so, and why, where they would otherwise only say that
// nobody is signed in: real `entra-tray` processes, the demo IdP, no keyring at all or a real one locked after a sign-in.
const env = useDemoEnv();
const flags = () => ["--authority", env().idp.authority, "--client-id", env().idp.clientId, "--ca-file", env().idp.caFile];
const alice = () => env().user(0).username;
let home: TempHome;
beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(async () => {
  await home?.remove();
});

describe("without a keyring (no D-Bus session bus)", () => {
  const noBus = () => withoutSessionBus(baseEnv(home.path));

  it("`login` succeeds and warns; the next `whoami` and `token` say the sign-in was not kept, why, and what to do, on stderr only", async () => {
    const login = await runCli(["login", ...flags()], { ...noBus(), ...browserCommandEnv(env().idp, { user: alice() }) });
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/^entra-tray: warning: Secure storage is unavailable: sign-ins last only until entra-tray exits\./m);
    for (const args of [["whoami"], ["token", "--no-interactive"]]) {
      const run = await runCli([...args, ...flags()], noBus());
      expect(run.code).toBe(4);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^entra-tray: No account is signed in to .*\. Secure storage is unavailable: sign-ins last only until entra-tray exits\. There is no D-Bus session bus to reach a keyring through \(.*\)\. Run entra-tray inside your desktop session\..*"allowPlaintextCache": true/m);
    }
  });

  it("`token` that signs in prints only the token on stdout, and on stderr that the sign-in ends with the process", async () => {
    const run = await runCli(["token", ...flags()], { ...noBus(), ...browserCommandEnv(env().idp, { user: alice() }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(run.stderr).toMatch(/^entra-tray: warning: Secure storage is unavailable: sign-ins last only until entra-tray exits\./m);
  });
});

describe("with a keyring that holds a sign-in and is then locked", () => {
  let keyring: KeyringSession;
  beforeAll(async () => {
    keyring = await startKeyringSession("unlocked");
  });
  afterAll(async () => {
    await keyring?.close();
  });
  const withKeyring = (extra: NodeJS.ProcessEnv = {}) => ({ ...baseEnv(home.path), DBUS_SESSION_BUS_ADDRESS: keyring.address, ...extra });

  it("`whoami` and `token` say the keyring is locked and how to unlock it, instead of only that nobody is signed in", async () => {
    const login = await runCli(["login", ...flags()], withKeyring(browserCommandEnv(env().idp, { user: alice() })));
    expect(login.code).toBe(0);
    expect((await runCli(["whoami", ...flags()], withKeyring())).code).toBe(0);
    await keyring.lock();
    for (const args of [["whoami"], ["token", "--no-interactive"]]) {
      const run = await runCli([...args, ...flags()], withKeyring());
      expect(run.code).toBe(4);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^entra-tray: No account is signed in to .*\. Secure storage is unavailable: sign-ins last only until entra-tray exits\. The keyring is locked \(.*\)\. Unlock your login keyring/m);
    }
  });
});
