import { describe, expect, it } from "vitest";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { baseEnv, runCli } from "../support/run-cli.js";
import { browserCommandEnv, useDemoEnv, useTempHomes } from "./support/demo-env.js";

// A cached token is the user's even when the identity provider is away: a new `entra-tray token` process needs
// nothing from it (neither the token endpoint nor discovery) while the token stays valid.
const keyring = useProcessKeyring();
const env = useDemoEnv();
const newHome = useTempHomes();

describe("entra-tray token with the identity provider down", () => {
  it("prints the token cached by an earlier `login`, and says sign-in is impossible only when one is needed", async () => {
    const home = await newHome();
    const { idp } = env();
    const flags = ["--authority", idp.authority, "--client-id", idp.clientId, "--ca-file", idp.caFile];
    const cliEnv = { ...baseEnv(home), DBUS_SESSION_BUS_ADDRESS: keyring().address };
    const login = await runCli(["login", ...flags], { ...cliEnv, ...browserCommandEnv(idp, { user: env().user(0).username }) });
    expect(login.code).toBe(0);
    await idp.close();

    const token = await runCli(["token", "--json", "--no-interactive", ...flags], cliEnv);
    expect(token.stderr).toBe("");
    expect(token.code).toBe(0);
    expect((JSON.parse(token.stdout) as { account: { username: string } }).account.username).toBe(env().user(0).username);

    const refresh = await runCli(["token", "--no-interactive", "--min-valid", "7200", ...flags], cliEnv);
    expect(refresh.code).toBe(3);
    expect(refresh.stderr).toContain(new URL(idp.authority).host);
  });
});
