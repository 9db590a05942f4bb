import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, type TempHome } from "../e2e/support/demo-env.js";
import { startSilent } from "../core/auth/support/servers.js";
import { jsonShape } from "../support/json-shape.js";
import { baseEnv, runCli } from "../support/run-cli.js";

// The CLI contract's failure paths that need no identity provider: usage, config, and "not signed in".
describe("entra-tray without an identity provider", () => {
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    home = await makeTempHome();
    env = baseEnv(home.path);
  });
  afterAll(() => home.remove());

  it("prints help and exits 0", async () => {
    const run = await runCli(["--help"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: entra-tray/);
    for (const command of ["login", "logout", "token", "whoami", "status", "demo-idp"]) expect(run.stdout).toContain(command);
  });

  it("prints its version", async () => {
    const run = await runCli(["--version"], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("demo-idp on a port already taken exits 2 saying how to pick another", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    // Its own home: the demo IdP makes its CA before it listens, which would make the demo profile exist here.
    const own = await makeTempHome();
    try {
      const run = await runCli(["demo-idp", "--port", String((taken.address() as { port: number }).port)], baseEnv(own.path));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^entra-tray: Port \d+ on 127\.0\.0\.1 is already in use.*--port/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await own.remove();
    }
  });

  it.each([
    [["frobnicate"], /unknown command/],
    [["token", "--json", "--header"], /cannot be used with/],
    [["token", "--min-valid", "soon"], /whole number of seconds/],
    [["demo-idp", "--port", "70000"], /port number/],
    [["demo-idp", "--port", ""], /port number/],
    [["login", "--timeout", ""], /whole number of seconds from 0 to 2147483/],
    [["login", "--timeout", "2147484"], /whole number of seconds from 0 to 2147483/],
    [["token", "--timeout", "1e12"], /whole number of seconds from 0 to 2147483/],
  ])("exits 2 on a usage error: %j", async (args, message) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it.each([[[]], [["--device-code"]]])("login %j against an IdP that accepts and never answers gives up at --timeout, blaming the IdP", async (flow) => {
    const silent = await startSilent();
    try {
      const run = await runCli(["login", ...flow, "--timeout", "2", "--authority", `https://localhost:${silent.port}/`,
        "--client-id", "3f6b1c2e-8d4a-4e7b-9a51-2c0d7e6f8b19"], env);
      expect(run.stderr).toMatch(new RegExp(`localhost:${silent.port} could not be reached: no answer before the sign-in's time limit \\(2 s\\) ran out\\.`));
      expect(run.stderr).not.toMatch(/browser sign-in|device code sign-in/);
      expect(run.code).toBe(3);
    } finally {
      await silent.close();
    }
  });

  it("exits 2 naming the field and the fix for a sample placeholder", async () => {
    const run = await runCli(["token", "--authority", "contoso", "--client-id", "Enter_the_Application_Id_Here"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entra-tray: .*clientId "Enter_the_Application_Id_Here".*Overview page/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 for the README's all-zeros example client id, as for any placeholder", async () => {
    const run = await runCli(["token", "--authority", "contoso", "--client-id", "00000000-0000-0000-0000-000000000000"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^entra-tray: .*clientId "00000000-0000-0000-0000-000000000000" is the all-zeros placeholder from the examples, not a real ID\. Paste the Application \(client\) ID/);
  });

  it("exits 2 with one clear line for a config.json that is a FIFO, over 1 MiB, or nested thousands deep", async () => {
    for (const make of [
      (file: string) => promisify(execFile)("mkfifo", [file]),
      (file: string) => writeFile(file, " ".repeat(3 * 1024 * 1024)),
      (file: string) => writeFile(file, `${"[".repeat(200_000)}${"]".repeat(200_000)}`),
    ]) {
      const own = await makeTempHome();
      try {
        await make(path.join(own.path, "config.json"));
        const run = await runCli(["status"], baseEnv(own.path));
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^entra-tray: The config file .*config\.json (is not a regular file|is 3\.0 MiB|nests objects or arrays more than 64 deep)/);
        expect(run.stderr.trim().split("\n")).toHaveLength(1);
      } finally {
        await own.remove();
      }
    }
  });

  it("exits 2 when an ad-hoc profile lacks its client id", async () => {
    const run = await runCli(["token", "--authority", "https://login.example.com"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--authority was given without --client-id/);
  });

  it("without a config file, points at the demo profile and the config path", async () => {
    const run = await runCli(["token"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("entra-tray demo-idp");
    expect(run.stderr).toContain("--authority and --client-id");
    expect(run.stderr).toContain(path.join(home.path, "config.json"));
  });

  it("says to start the demo identity provider before using the demo profile (exit 3)", async () => {
    const run = await runCli(["token", "--profile", "demo"], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/demo identity provider has not been started.*entra-tray demo-idp/);
  });

  describe("with a config file", () => {
    beforeAll(async () => {
      await mkdir(home.path, { recursive: true });
      await writeFile(path.join(home.path, "config.json"), JSON.stringify({
        defaultProfile: "contoso",
        profiles: {
          contoso: { displayName: "Contoso", authority: "contoso", clientId: "11111111-2222-3333-4444-555555555555" },
          broken: { authority: "http://idp.example.com", clientId: "x" },
        },
      }));
    });

    it("exits 4 for token, whoami and token --no-interactive when nobody is signed in and no browser is available", async () => {
      for (const args of [["token"], ["whoami"], ["token", "--no-interactive"], ["token", "--profile", "contoso", "--json"]]) {
        const run = await runCli(args, env);
        expect(run.code, args.join(" ")).toBe(4);
        expect(run.stderr).toMatch(/No account is signed in to Contoso/);
        expect(run.stdout).toBe("");
      }
    });

    it("logout with nobody signed in is a no-op that says so", async () => {
      const run = await runCli(["logout"], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/No account is signed in to Contoso; nothing to sign out/);
    });

    it("names the profile and field of a broken profile", async () => {
      const run = await runCli(["token", "--profile", "broken"], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/"broken".*authority/);
    });

    it("status --json lists each profile with its state, and the broken one's error", async () => {
      const run = await runCli(["status", "--json"], env);
      expect(run.code).toBe(0);
      const status = JSON.parse(run.stdout) as { profiles: { name: string; state: string; authority?: string; error?: { kind: string; message: string } }[] };
      const { profiles } = status;
      expect(profiles.map((p) => [p.name, p.state])).toEqual([["contoso", "signedOut"], ["broken", "error"]]);
      expect(profiles[0]?.authority).toBe("https://contoso.ciamlogin.com/contoso.onmicrosoft.com");
      expect(profiles[1]?.error).toMatchObject({ kind: "config", message: expect.stringMatching(/"broken".*authority/) });
      // The README's CLI contract, for storage without a keyring, a signed-out profile and a broken one.
      const problem = { kind: "string", message: "string", action: "string" };
      expect(jsonShape(status)).toEqual({
        agent: { running: "boolean" },
        storage: { kind: "string", persistent: "boolean", encrypted: "boolean", location: "string", description: "string", warning: "string", problem },
        profiles: [
          { name: "string", displayName: "string", authority: "string", state: "string", accounts: [], signIn: { method: "string", reason: "string" } },
          { name: "string", state: "string", accounts: [], error: problem },
        ],
      });
    });
  });
});
