import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { commandPath, loadedModules, moduleTraceEnv } from "../support/module-trace.js";
import { baseEnv, runCli, type CliRun } from "../support/run-cli.js";
import { browserCommandEnv, makeTempHome, useDemoEnv, type TempHome } from "./support/demo-env.js";

// `entra-tray token` without a token service: a token MSAL would hand out from its cache is read from the keyring
// without loading MSAL (the "cache" path); everything else goes to MSAL (the "msal" path). Real processes, the demo
// IdP, a private GNOME Keyring. Which path answered is told by the modules each command loaded.
const keyring = useProcessKeyring();
const env = useDemoEnv();
let home: TempHome;
let traces: string;
let traced = 0;

beforeAll(async () => {
  home = await makeTempHome();
  traces = await mkdtemp(path.join(tmpdir(), "entra-tray-trace-"));
});
afterAll(async () => {
  await home?.remove();
  if (traces) await rm(traces, { recursive: true, force: true });
});

const flags = () => ["--authority", env().idp.authority, "--client-id", env().idp.clientId, "--ca-file", env().idp.caFile];
// XDG_RUNTIME_DIR names a folder no token service listens in.
const cliEnv = (extra: NodeJS.ProcessEnv = {}) =>
  ({ ...baseEnv(home.path), DBUS_SESSION_BUS_ADDRESS: keyring().address, XDG_RUNTIME_DIR: traces, ...extra });
const user = (index: number) => env().user(index).username;

async function cli(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const trace = path.join(traces, `${++traced}.log`);
  const run = await runCli([...args, ...flags()], cliEnv({ ...extra, ...moduleTraceEnv(trace) }));
  const modules = await loadedModules(trace);
  return { ...run, path: commandPath(modules), modules };
}

const login = async (index: number) => {
  const run = await cli(["login"], browserCommandEnv(env().idp, { user: user(index) }));
  expect(run.code).toBe(0);
};
const same = (run: CliRun) => ({ code: run.code, stdout: run.stdout, stderr: run.stderr });
const tokenOf = (run: CliRun) => (JSON.parse(run.stdout) as { accessToken: string; account: { username: string } });
/** Kept endpoints let MSAL serve a cached token without asking the IdP; without them it asks, so the cache path steps aside. */
const forgetEndpoints = () => rm(path.join(home.path, "authority-metadata"), { recursive: true, force: true });

describe("`entra-tray token` with a token in the keyring and no token service", () => {
  beforeAll(async () => {
    await login(0);
  });

  it("is answered from the cache without MSAL, printing exactly what the MSAL path prints for the same token", async () => {
    const requests = env().idp.tokenRequests();
    for (const format of [["--json"], ["--header"], []]) {
      const cached = await cli(["token", "--no-interactive", ...format]);
      expect(cached.path).toBe("cache");
      await forgetEndpoints();
      const viaMsal = await cli(["token", "--no-interactive", ...format]);
      expect(viaMsal.path).toBe("msal");
      expect(same(cached)).toEqual(same(viaMsal));
      expect(cached.code).toBe(0);
    }
    expect(env().idp.tokenRequests()).toBe(requests);
  });

  it("a token with less life left than --min-valid asks: MSAL refreshes it, and the cache serves the new one next", async () => {
    const before = tokenOf(await cli(["token", "--json", "--no-interactive"]));
    const requests = env().idp.tokenRequests();
    const refreshed = await cli(["token", "--json", "--no-interactive", "--min-valid", "7200"]);
    expect(refreshed.path).toBe("msal");
    expect(refreshed.code).toBe(0);
    expect(env().idp.tokenRequests()).toBe(requests + 1);
    const next = await cli(["token", "--json", "--no-interactive"]);
    expect(next.path).toBe("cache");
    expect(tokenOf(next).accessToken).toBe(tokenOf(refreshed).accessToken);
    expect(tokenOf(next).accessToken).not.toBe(before.accessToken);
  });

  it("serves the active account of several, or the one --account names; an account not signed in goes to MSAL's error", async () => {
    await login(1);
    const active = await cli(["token", "--json", "--no-interactive"]);
    expect([active.path, tokenOf(active).account.username]).toEqual(["cache", user(1)]);
    const named = await cli(["token", "--json", "--no-interactive", "--account", user(0).toUpperCase()]);
    expect([named.path, tokenOf(named).account.username]).toEqual(["cache", user(0)]);
    const missing = await cli(["token", "--no-interactive", "--account", "nobody@demo.entra-tray.test"]);
    expect([missing.path, missing.code]).toEqual(["msal", 4]);
    expect(missing.stderr).toMatch(/nobody@demo\.entra-tray\.test is not signed in/);
  });

  it("scopes the token does not cover go to MSAL, which asks the IdP", async () => {
    const requests = env().idp.tokenRequests();
    const other = await cli(["token", "--no-interactive", "--scopes", "api://other/read"]);
    expect(other.path).toBe("msal");
    expect(env().idp.tokenRequests()).toBeGreaterThan(requests);
  });

  it("once a profile was checked, later commands load no zod or jsonc-parser; an edit that breaks it still fails with exit 2", async () => {
    const run = await cli(["token", "--no-interactive"]);
    expect([run.path, run.code]).toEqual(["cache", 0]);
    expect(run.modules.filter((url) => /node_modules\/(zod|jsonc-parser)\//.test(url))).toEqual([]);
    const broken = await runCli(["token", "--no-interactive", ...flags().map((flag) => (flag === env().idp.clientId ? "" : flag))], cliEnv());
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^entra-tray: The profile given on the command line: clientId is empty\./);
  });

  it("a profile that does not exist fails with the config error and exit 2, before the keyring is read", async () => {
    const run = await runCli(["token", "--no-interactive", "--profile", "nosuch"], cliEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entra-tray: Profile "nosuch" is not defined/);
  });
});
