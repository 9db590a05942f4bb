import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoBrowser } from "./support/demo-browser.js";
import { BROWSER_COMMAND, makeTempHome, type TempHome } from "./support/demo-env.js";
import { before, seconds } from "../support/bound.js";
import { baseEnv, runCli, startCli, waitForOutput, type CliRun } from "../support/run-cli.js";

interface DemoIdpProcess {
  started: ReturnType<typeof startCli>;
  authority: string;
  clientId: string;
  graphUrl: string;
  caFile: string;
  caPem: string;
  users: { username: string; password: string }[];
  /** The ad-hoc profile flags the demo IdP prints under "Try:". */
  profileFlags: string[];
}

/** `entra-tray demo-idp --port 0`, the way a newcomer runs it in a second terminal; its banner tells us the rest. */
async function startDemoIdpProcess(env: NodeJS.ProcessEnv): Promise<DemoIdpProcess> {
  const started = startCli(["demo-idp", "--port", "0"], env);
  await waitForOutput(started, /^Try: entra-tray token .*$/m, "stdout");
  const field = (name: string) => started.run.stdout.match(new RegExp(`^  ${name} +(\\S+)`, "m"))?.[1] ?? "";
  const users = [...started.run.stdout.matchAll(/(\S+@\S+) \(password: ([^)]+)\)/g)].map(([, username = "", password = ""]) => ({ username, password }));
  const caFile = field("CA");
  return {
    started,
    authority: field("authority"),
    clientId: field("client id"),
    graphUrl: field("Graph"),
    caFile,
    caPem: await readFile(caFile, "utf8"),
    users,
    profileFlags: (started.run.stdout.match(/^Try: entra-tray token (.*)$/m)?.[1] ?? "").split(" "),
  };
}

function getJson(url: string, token: string, caPem: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { ca: caPem, headers: { authorization: `Bearer ${token}` } }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    }).on("error", reject).end();
  });
}

/** The finished run; if the process has not exited within 20 s, it is killed and the test fails saying what did not happen. */
const exited = (started: ReturnType<typeof startCli>, didNotHappen: string): Promise<CliRun> =>
  before(seconds(20), didNotHappen, started.done, () => started.child.kill("SIGKILL"));

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("entra-tray CLI against `entra-tray demo-idp` (real processes, real Chromium as $BROWSER)", () => {
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  let idp: DemoIdpProcess;
  const runs: CliRun[] = [];
  const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const run = await runCli([...idp.profileFlags, ...args], { ...env, ...extraEnv });
    runs.push(run);
    return run;
  };
  const as = (username: string, consent: "approve" | "deny" | "abandon" = "approve") => {
    const user = idp.users.find((u) => u.username.startsWith(username));
    if (!user) throw new Error(`no demo user ${username}`);
    return { BROWSER: BROWSER_COMMAND, DEMO_USER: user.username, DEMO_PASSWORD: user.password, DEMO_CONSENT: consent, DEMO_CA_FILE: idp.caFile };
  };

  beforeAll(async () => {
    home = await makeTempHome();
    env = baseEnv(home.path);
    idp = await startDemoIdpProcess(env);
  });
  afterAll(async () => {
    idp?.started.child.kill("SIGINT");
    await idp?.started.done;
    await home?.remove();
  });

  it("the demo IdP prints what a newcomer needs", () => {
    expect(idp.authority).toMatch(/^https:\/\/localhost:\d+$/);
    expect(idp.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(idp.users.length).toBeGreaterThanOrEqual(2);
    expect(idp.profileFlags).toContain("--ca-file");
  });

  it("`token --json` signs in through $BROWSER and prints a token the demo Graph accepts", async () => {
    const run = await cli(["token", "--json"], as("alice"));
    // No keyring in this test's environment: the sign-in lasts only as long as the process, and it says so on stderr alone.
    expect(run.stderr).toMatch(/^entra-tray: warning: Secure storage is unavailable: sign-ins last only until entra-tray exits\. There is no D-Bus session bus/m);
    expect(run.stderr.replace(/^entra-tray: warning: Secure storage is unavailable.*\n/m, "")).not.toMatch(/entra-tray:/);
    expect(run.code).toBe(0);
    const token = JSON.parse(run.stdout) as { accessToken: string; tokenType: string; expiresOn: string; scopes: string[]; account: Record<string, string> };
    expect(Object.keys(token)).toEqual(["accessToken", "tokenType", "expiresOn", "scopes", "account"]);
    expect(token.tokenType).toBe("Bearer");
    expect(new Date(token.expiresOn).getTime()).toBeGreaterThan(Date.now() + 300_000);
    expect(token.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(token.scopes).toContain("User.Read");
    expect(token.account).toMatchObject({ username: expect.stringMatching(/^alice@/), name: expect.any(String), homeAccountId: expect.any(String) });
    const me = await getJson(`${idp.graphUrl}/me`, token.accessToken, idp.caPem);
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe(token.account.username);
    expect((await getJson(`${idp.graphUrl}/me`, `${token.accessToken}x`, idp.caPem)).status).toBe(401);
  });

  it("`token --header` prints an Authorization header for the other user", async () => {
    const run = await cli(["token", "--header"], as("bob"));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it("`token --scopes` beyond the profile's signs in for those scopes, so the token it prints carries them", async () => {
    // A config-file profile, whose scopes (User.Read) stay what they are whatever --scopes asks for.
    await writeFile(path.join(home.path, "config.json"), JSON.stringify({
      profiles: { local: { authority: idp.authority, clientId: idp.clientId, caFile: idp.caFile, scopes: ["User.Read"] } },
    }));
    const run = await runCli(["token", "--profile", "local", "--json", "--scopes", "email"], { ...env, ...as("alice") });
    runs.push(run);
    expect(run.stderr.replace(/^entra-tray: warning: Secure storage is unavailable.*\n/m, "")).not.toMatch(/entra-tray:/);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { scopes: string[] }).scopes).toContain("email");
  });

  it("`login` then reports who signed in; denied consent exits 4 saying so", async () => {
    const ok = await cli(["login"], as("alice"));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/Signed in to .* as alice@/);
    const denied = await cli(["login"], as("alice", "deny"));
    expect(denied.code).toBe(4);
    expect(denied.stderr).toMatch(/^entra-tray: .*(declined|denied)/m);
  });

  it("an abandoned browser sign-in times out with exit 3", async () => {
    const started = startCli([...idp.profileFlags, "login", "--timeout", "3"], { ...env, ...as("alice", "abandon") });
    const run = await exited(started, "entra-tray login did not give up at its --timeout of 3 s");
    runs.push(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^entra-tray: .*(3 s|3 seconds|time)/im);
  });

  it("a client id the IdP does not know exits 2 within seconds with the IdP's own error, and no browser opens", async () => {
    const marker = path.join(home.path, "browser-opened");
    const flags = idp.profileFlags.map((flag, index) => (idp.profileFlags[index - 1] === "--client-id" ? "no-such-client" : flag));
    // The default --timeout is 5 minutes: `exited` fails the test if the sign-in waits for the browser instead.
    const started = startCli([...flags, "login"], { ...env, BROWSER: `sh -c "echo opened > '${marker}'"` });
    const run = await exited(started, "entra-tray login with an unknown client id waited instead of failing fast");
    runs.push(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${new URL(idp.authority).host} does not accept the client id no-such-client (invalid_client).`);
    expect(run.stderr).not.toMatch(/Opening the browser/);
    await expect(readFile(marker, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("Ctrl-C during a sign-in cancels it and exits 130", async () => {
    const opened = path.join(home.path, "ctrl-c-page-opened");
    const started = startCli(["login", ...idp.profileFlags], { ...env, ...as("alice", "abandon"), DEMO_DONE_FILE: opened });
    // Once the $BROWSER program has the sign-in page open, interrupt as a person at the terminal would.
    await expect.poll(() => existsSync(opened), { timeout: 20_000, message: "$BROWSER never had the sign-in page open" }).toBe(true);
    started.child.kill("SIGINT");
    const run = await exited(started, "entra-tray login did not stop on Ctrl-C");
    runs.push(run);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/cancel/i);
  });

  it("a $BROWSER that cannot start: the page is printed, and opening it by hand finishes the sign-in", async () => {
    const started = startCli(["login", ...idp.profileFlags], { ...env, BROWSER: path.join(home.path, "no-such-browser") });
    const [, url = ""] = await waitForOutput(started, /could not be opened with \$BROWSER .*\n(https:\/\/\S+)\n/);
    const alice = idp.users[0] ?? { username: "", password: "" };
    const browser = await DemoBrowser.launch({ caPem: idp.caPem, users: [] });
    try {
      await browser.completeSignIn(url, { user: alice.username, password: alice.password });
    } finally {
      await browser.close();
    }
    const run = await exited(started, "entra-tray login did not finish after the printed page was opened by hand");
    runs.push(run);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Signed in to .* as alice@/);
  });

  it("device-code sign-in prints a code that works in another browser", async () => {
    const started = startCli(["login", "--device-code", ...idp.profileFlags], env);
    const [, uri = "", code = ""] = await waitForOutput(started, /(https:\/\/\S+?)[.,]?\s.*?\b([A-Z0-9]{4,}-?[A-Z0-9]{4,})\b/s);
    const bob = idp.users[1] ?? { username: "", password: "" };
    const browser = await DemoBrowser.launch({ caPem: idp.caPem, users: [] });
    try {
      await browser.completeDeviceCode(uri, code, { user: bob.username, password: bob.password });
    } finally {
      await browser.close();
    }
    const run = await started.done;
    runs.push(run);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Signed in to .* as bob@/);
  });

  it("an unreachable identity provider exits 3 naming the host", async () => {
    const port = await closedPort();
    const run = await runCli(["token", "--authority", `https://localhost:${port}`, "--client-id", idp.clientId, "--no-interactive"], env);
    // No account yet: the CLI never got to the network. Signing in does.
    expect(run.code).toBe(4);
    const login = await runCli(["login", "--authority", `https://localhost:${port}`, "--client-id", idp.clientId], { ...env, ...as("alice") });
    runs.push(login);
    expect(login.code).toBe(3);
    expect(login.stderr).toContain(`localhost:${port}`);
    expect(login.stderr).not.toMatch(/Opening the browser/);
  });

  it("a certificate the machine does not trust exits 3 saying TLS / certificate and naming the host", async () => {
    const host = new URL(idp.authority).host;
    const run = await runCli(["login", "--authority", idp.authority, "--client-id", idp.clientId], { ...env, ...as("alice") });
    runs.push(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/TLS|certificate/);
    expect(run.stderr).toContain(host);
    expect(run.stderr).not.toMatch(/Opening the browser/);
  });

  it("never prints a token, code or secret on stderr", () => {
    for (const run of runs) console.log(run.stderr.trim());
    const tokenLike = /eyJ[\w-]{10,}\.[\w-]{10,}|code=|refresh_token|id_token=/;
    for (const run of runs) expect(run.stderr).not.toMatch(tokenLike);
  });

  it("the demo IdP stops cleanly on Ctrl-C", async () => {
    idp.started.child.kill("SIGINT");
    const run = await idp.started.done;
    expect(run.code).toBe(0);
  });
});
