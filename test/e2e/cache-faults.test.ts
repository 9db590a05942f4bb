import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tokenCachePaths } from "../../src/core/cache/token-cache-store.js";
import { mountReadOnly, mountTmpfs } from "../support/mounts.js";
import { baseEnv, runCli } from "../support/run-cli.js";
import { browserCommandEnv, useDemoEnv, useTempHomes } from "./support/demo-env.js";

// Real `entra-tray` processes without a keyring (no D-Bus session in their environment), the token cache in the
// plaintext file (allowPlaintextCache), against the demo IdP; faults made for real: a file-size limit in the child.
const env = useDemoEnv();
const newHome = useTempHomes();
const loginAs = (home: string, index: number) =>
  runCli(["login", "--select-account", ...flags()], { ...baseEnv(home), ...browserCommandEnv(env().idp, { user: env().user(index).username }) });
const plaintextConfig = (home: string) => writeFile(path.join(home, "config.json"), JSON.stringify({ allowPlaintextCache: true, profiles: {} }));
const flags = () => ["--authority", env().idp.authority, "--client-id", env().idp.clientId, "--ca-file", env().idp.caFile];

/** A home in plaintext mode where alice and bob have signed in with `entra-tray login`. */
async function plaintextHomeWithTwoAccounts(): Promise<string> {
  const home = await newHome();
  await plaintextConfig(home);
  for (const index of [0, 1]) {
    const login = await loginAs(home, index);
    expect(login.stderr).toMatch(/Signed in to .* as /);
    expect(login.code).toBe(0);
  }
  return home;
}

const accountsIn = async (home: string) => {
  const status = await runCli(["status", "--json", ...flags()], baseEnv(home));
  expect(status.code).toBe(0);
  return [...status.stdout.matchAll(/"username": ?"([^"]+)"/g)].map(([, username]) => username);
};

describe("the plaintext token cache under faults", () => {
  it("a write cut short by a file-size limit keeps every sign-in, names the limit, and leaves no temporary file", async () => {
    const home = await plaintextHomeWithTwoAccounts();
    const { plaintextFile, dir } = tokenCachePaths(home);
    const before = await readFile(plaintextFile, "utf8");
    const files = await readdir(dir);
    const limitKiB = Math.max(1, Math.floor((await stat(plaintextFile)).size / 1024 / 2));

    // A refresh (the token lives less than an hour) that writes a cache twice the size the process may write.
    const cut = await runCli(["token", "--no-interactive", "--min-valid", "3600", ...flags()], baseEnv(home), { fileSizeKiB: limitKiB });
    expect(cut.stderr).toMatch(/could not be written: the file-size limit of this process \(ulimit -f\) was reached \(EFBIG\); the sign-ins saved before are intact\..*ulimit -f unlimited/s);
    expect(cut.code).toBe(5);
    expect(await readFile(plaintextFile, "utf8")).toBe(before);
    expect(await readdir(dir)).toEqual(files);

    const next = await runCli(["token", "--no-interactive", ...flags()], baseEnv(home));
    expect(next.code).toBe(0);
    expect(new Set(await accountsIn(home))).toEqual(new Set([env().user(0).username, env().user(1).username]));
  });

  it("a read-only home: status works and names the folder and how to choose another; so does a home that cannot be made", async (context) => {
    const home = await newHome();
    const unmount = mountReadOnly(home);
    if (typeof unmount === "string") return context.skip(unmount);
    try {
      for (const folder of [home, path.join(home, "not-made")]) {
        const status = await runCli(["status", ...flags()], baseEnv(folder));
        expect(status.stdout).toContain(`The entra-tray home ${folder} cannot be written: the file system is read-only (EROFS). Choose a writable folder as the app home with ENTRA_TRAY_HOME`);
        expect(status.code).toBe(0);
      }
    } finally {
      unmount();
    }
  });

  it("only the home read-only (the token cache writable): a sign-in that succeeded is reported as one, with a warning", async (context) => {
    const home = await newHome();
    await plaintextConfig(home);
    const { dir } = tokenCachePaths(home);
    await mkdir(dir);
    const unmountHome = mountReadOnly(home);
    if (typeof unmountHome === "string") return context.skip(unmountHome);
    const unmountCache = mountTmpfs(dir, "1m");
    try {
      if (typeof unmountCache === "string") return context.skip(unmountCache);
      const login = await loginAs(home, 0);
      expect(login.stderr).toMatch(/Signed in to .* as /);
      expect(login.stderr).toMatch(/warning: .* is signed in, but could not be made the active account for later commands: .*the file system is read-only \(EROFS\)/);
      expect(login.code).toBe(0);
      expect((await runCli(["token", "--no-interactive", ...flags()], baseEnv(home))).code).toBe(0);
    } finally {
      if (typeof unmountCache !== "string") unmountCache();
      unmountHome();
    }
  });
});
