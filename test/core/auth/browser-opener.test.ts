import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { systemBrowserOpener } from "../../../src/core/auth/browser-opener.js";
import { before, seconds } from "../../support/bound.js";

const dir = mkdtempSync(join(tmpdir(), "entra-tray-opener-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real program that writes its arguments, one per line, to `$ARGV_FILE`, then exits with `status`. */
function fakeProgram(name: string, status = 0): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGV_FILE"\nexit ${status}\n`);
  chmodSync(path, 0o755);
  return path;
}

let runs = 0;
function recorder(extraEnv: NodeJS.ProcessEnv) {
  const argvFile = join(dir, `argv-${++runs}`);
  const env = { PATH: `${dir}:/usr/bin:/bin`, ARGV_FILE: argvFile, ...extraEnv };
  return { env, argv: () => (existsSync(argvFile) ? readFileSync(argvFile, "utf8").split("\n").slice(0, -1) : undefined) };
}

// Characters a shell or cmd would act on: the opener must hand the URL over untouched.
const URL_WITH_QUERY = "https://idp.example/authorize?client_id=abc&state=s1;x&code_challenge=$(id)&scope=a%20b";

describe("systemBrowserOpener", () => {
  it("runs $BROWSER with the URL as its one argument", async () => {
    const run = recorder({ BROWSER: fakeProgram("browser") });
    await systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY);
    expect(run.argv()).toEqual([URL_WITH_QUERY]);
  });

  it("puts the URL where %s stands and keeps the other words", async () => {
    const run = recorder({ BROWSER: `${fakeProgram("browser")} --new-window "%s"` });
    await systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY);
    expect(run.argv()).toEqual(["--new-window", URL_WITH_QUERY]);
  });

  it("tries the entries of a colon-separated $BROWSER in order", async () => {
    const run = recorder({ BROWSER: `no-such-browser-here:${fakeProgram("failing-browser", 3)}:${fakeProgram("browser")}` });
    await systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY);
    expect(run.argv()).toEqual([URL_WITH_QUERY]);
  });

  it("splits $BROWSER on semicolons on Windows, like Python's webbrowser", async () => {
    const run = recorder({ BROWSER: `no-such-browser-here;${fakeProgram("browser")}` });
    await systemBrowserOpener(run.env, "win32")(URL_WITH_QUERY);
    expect(run.argv()).toEqual([URL_WITH_QUERY]);
  });

  it("rejects with a config AuthError naming each program and never the URL", async () => {
    const run = recorder({ BROWSER: `no-such-browser-here:${fakeProgram("failing-browser", 3)}` });
    const error = await systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ kind: "config" });
    const { message, action } = error as AuthError;
    expect(message).toContain("no-such-browser-here: not found");
    expect(message).toContain("failing-browser: exited with status 3");
    expect(action).toMatch(/\$BROWSER/);
    expect(message).not.toContain("state=");
  });

  it("resolves while a browser keeps running", async () => {
    const path = join(dir, "long-running-browser");
    writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGV_FILE"\nsleep 10\n`);
    chmodSync(path, 0o755);
    const run = recorder({ BROWSER: path });
    // The browser runs 10 s: an opener that waited for it to exit fails at the bound, half that.
    await before(seconds(5), "The opener waited for the browser to exit", systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY));
    expect(run.argv()).toEqual([URL_WITH_QUERY]);
  });

  it.each([
    ["linux", "xdg-open", [URL_WITH_QUERY]],
    ["freebsd", "xdg-open", [URL_WITH_QUERY]],
    ["darwin", "open", [URL_WITH_QUERY]],
    ["win32", "rundll32.exe", ["url.dll,FileProtocolHandler", URL_WITH_QUERY]],
  ] as const)("without $BROWSER on %s runs %s", async (platform, program, expected) => {
    fakeProgram(program);
    const run = recorder({});
    await systemBrowserOpener(run.env, platform)(URL_WITH_QUERY);
    expect(run.argv()).toEqual(expected);
  });

  it("says so when the platform opener is missing", async () => {
    const run = recorder({});
    run.env.PATH = join(dir, "empty");
    const error = await systemBrowserOpener(run.env, "linux")(URL_WITH_QUERY).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "config", message: expect.stringContaining("xdg-open: not found") });
  });
});
