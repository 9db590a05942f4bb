import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppContext, type ProfileSession, type SessionState } from "../../src/app/index.js";
import { ScriptedBrowser } from "../core/auth/support/e2e-harness.js";
import { useProcessKeyring } from "../core/cache/support/keyring-session.js";
import { useDemoBrowser } from "../e2e/support/demo-browser.js";
import { browserCommandEnv, useDemoEnv } from "../e2e/support/demo-env.js";
import { baseEnv, runCli } from "../support/run-cli.js";

// The app layer as the tray app and the CLI use it, for real: MSAL against the demo IdP, Chromium at the browser,
// the token cache in a private GNOME Keyring. Tests build on each other like a day at the desk.
const keyring = useProcessKeyring();
const env = useDemoEnv();
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
const alice = () => env().user(0);
const bob = () => env().user(1);

let context: AppContext;
let first: ProfileSession;
let second: ProfileSession;

/** The session's state once it satisfies `wanted`: now, or at the change that makes it so. */
function stateWhere(session: ProfileSession, wanted: (state: SessionState) => boolean): Promise<SessionState> {
  if (wanted(session.state)) return Promise.resolve(session.state);
  return new Promise((resolve) => {
    const stop = session.onDidChange((state) => {
      if (!wanted(state)) return;
      stop();
      resolve(state);
    });
  });
}

const adhoc = () => ({
  authority: env().idp.authority, clientId: env().idp.clientId, scopes: ["User.Read"], graphUrl: env().idp.graphUrl, caFile: env().idp.caFile,
});

async function signInAs(session: ProfileSession, username: string) {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: username }));
  const [account] = await Promise.all([session.signIn({ selectAccount: true, timeoutMs: 30_000 }), browsing]);
  return account;
}

beforeAll(async () => {
  // Watch other processes often, so that following one takes a fraction of a second here.
  context = new AppContext({ env: { ...process.env, ENTRA_TRAY_HOME: env().home }, openBrowser: acts.open, watchIntervalMs: 100 });
  const profile = await context.profile({ adhoc: adhoc() });
  [first, second] = [await context.openSession(profile), await context.openSession(profile)];
});

afterAll(() => context?.dispose());

describe("ProfileSession against the demo IdP", () => {
  it("starts signed out, with its profile, storage and sign-in method as plain data", async () => {
    expect(first.state).toEqual({
      name: "adhoc", displayName: first.profile.displayName, authority: env().idp.authority, authorityKind: "oidc", status: "signedOut", accounts: [],
      signIn: { method: "browser", reason: expect.stringContaining("browser") },
    });
    expect(JSON.parse(JSON.stringify(first.state))).toEqual(first.state);
    expect(await first.storage()).toMatchObject({ kind: "libsecret", encrypted: true, persistent: true });
  });

  it("two sessions in one process see each other's sign-in", async () => {
    const seen = stateWhere(second, (state) => state.account?.username === alice().username);
    const changes: string[] = [];
    const stop = first.onDidChange((state) => changes.push(state.status));
    await signInAs(first, alice().username);
    expect((await seen).accounts).toEqual([{ username: alice().username, name: alice().name, homeAccountId: alice().sub, active: true }]);
    // The session's own change event may come a turn after the sign-in's promise settles (seen on a loaded machine).
    await expect.poll(() => changes).toEqual(["signingIn", "signedIn"]);
    stop();
  });

  it("follows a sign-in made by a separate `entra-tray` process", async () => {
    const seen = stateWhere(first, (state) => state.account?.username === bob().username);
    const login = await runCli(["login", "--select-account", "--authority", env().idp.authority, "--client-id", env().idp.clientId,
      "--ca-file", env().idp.caFile, "--scopes", "User.Read"],
    { ...baseEnv(env().home), DBUS_SESSION_BUS_ADDRESS: keyring().address, ...browserCommandEnv(env().idp, { user: bob().username }) });
    expect(login.code).toBe(0);
    expect((await seen).accounts.map((account) => [account.username, account.active]))
      .toEqual(expect.arrayContaining([[alice().username, false], [bob().username, true]]));
    await stateWhere(second, (state) => state.account?.username === bob().username);
  });

  it("hands out the active account's token from memory, with its expiry and claims", async () => {
    const token = await first.currentToken();
    const requests = env().idp.tokenRequests();
    expect(await first.currentToken()).toBe(token);
    expect(env().idp.tokenRequests()).toBe(requests);
    expect(token.account.username).toBe(bob().username);
    expect(first.tokenExpiry()).toMatchObject({ expiresOn: token.expiresOn.toISOString(), expired: false });
    expect(first.accessTokenClaimRows()?.find((row) => row.key === "sub")?.value).toBe(bob().sub);
    expect((await first.idTokenClaimRows()).find((row) => row.key === "preferred_username")?.value).toBe(bob().username);
    expect(await first.graphProfile()).toMatchObject({ status: "ok", value: { displayName: bob().name } });
  });

  it("switching accounts resets the kept token, claims and Graph profile, and every session follows", async () => {
    const followed = stateWhere(second, (state) => state.account?.username === alice().username);
    await first.switchAccount(alice().username);
    expect(first.tokenExpiry()).toBeUndefined();
    expect(first.accessTokenClaimRows()).toBeUndefined();
    expect((await first.currentToken()).account.username).toBe(alice().username);
    expect(await first.graphProfile()).toMatchObject({ status: "ok", value: { displayName: alice().name } });
    await followed;
    expect(await context.activeAccounts.get(first.profile.cacheSection)).toBe(alice().sub);
  });

  it("cancelSignIn() ends a sign-in waiting in the browser, and the session goes back to its account", async () => {
    let opened!: () => void;
    const browserOpened = new Promise<void>((resolve) => (opened = resolve));
    void acts.will(() => (opened(), new Promise(() => undefined)));
    const signingIn = first.signIn({ timeoutMs: 30_000 }).catch((error: unknown) => error);
    // Cancelled once the browser has the page: before that, the sign-in is still checking the IdP, and the next
    // test's browser would be handed this sign-in's page.
    await browserOpened;
    first.cancelSignIn();
    expect(await signingIn).toMatchObject({ kind: "cancelled" });
    expect(first.state).toMatchObject({ status: "signedIn", account: { username: alice().username } });
  });

  it("refreshes the active account's token while another account's browser sign-in is waiting", async () => {
    let finishBrowsing = () => undefined as void;
    const browserWaits = new Promise<void>((resolve) => (finishBrowsing = resolve));
    const browsing = acts.will(async (url) => {
      await browserWaits;
      await browser().completeSignIn(url, { user: bob().username });
    });
    const signingIn = first.signIn({ selectAccount: true, timeoutMs: 30_000 });
    await stateWhere(first, (state) => state.status === "signingIn");
    const requests = env().idp.tokenRequests();

    const refreshed = await first.currentToken({ forceRefresh: true });

    expect(env().idp.tokenRequests()).toBe(requests + 1);
    expect(refreshed.account.username).toBe(alice().username);
    expect(first.state.status).toBe("signingIn");
    finishBrowsing();
    await Promise.all([signingIn, browsing]);
    // A reload the refresh set off may land after the sign-in: the state settles on the new account.
    await expect.poll(() => first.state).toMatchObject({ status: "signedIn", account: { username: bob().username } });
  });

  it("signing out in one session shows in the other", async () => {
    const seen = stateWhere(second, (state) => state.accounts.length === 0);
    const results = await first.signOut({ account: "all", openBrowser: false });
    expect(results.map((result) => result.account.username).sort()).toEqual([alice().username, bob().username].sort());
    expect((await seen).status).toBe("signedOut");
    expect(first.tokenExpiry()).toBeUndefined();
  });
});
