import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../src/core/auth/auth-service.js";
import type { AccountSummary } from "../../../src/core/auth/auth-state.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { GraphClient } from "../../../src/core/graph/graph-client.js";
import type { GraphResult, GraphTokenProvider, GraphUser } from "../../../src/core/graph/graph-client.js";
import { TokenKeeper } from "../../../src/core/tokens/token-keeper.js";
import type { DemoUser } from "../../../src/demo-idp/index.js";
import { useDemoBrowser } from "../../e2e/support/demo-browser.js";
import { useDemoEnv } from "../../e2e/support/demo-env.js";
import { demoProfile, ScriptedBrowser } from "../auth/support/e2e-harness.js";

// The real thing end to end: the demo IdP (oidc-provider over HTTPS) and its Graph, tokens from real MSAL after real
// sign-ins in headless Chromium, handed out by a TokenKeeper as in the app. The IdP's request log counts what
// reached Graph.
const graphRequests: string[] = [];
const env = useDemoEnv({
  log: (line) => {
    const [, path] = /^GET (\/graph\/\S+) /.exec(line) ?? [];
    if (path) graphRequests.push(path);
  },
});
const browser = useDemoBrowser(env);
const acts = new ScriptedBrowser();
let auth: AuthService;
let profile: Profile;
let keeper: TokenKeeper;
const accounts: Record<string, AccountSummary> = {};

const demoUser = (username: string): DemoUser => {
  const user = env().idp.users.find((u) => u.username.startsWith(username));
  if (!user) throw new Error(`The demo IdP has no user ${username}.`);
  return user;
};

async function signIn(user: DemoUser, selectAccount = false): Promise<AccountSummary> {
  const browsing = acts.will((url) => browser().completeSignIn(url, { user: user.username }));
  const [account] = await Promise.all([auth.signIn({ timeoutMs: 30_000, selectAccount }), browsing]);
  return account;
}

beforeAll(async () => {
  profile = demoProfile(env().idp);
  auth = new AuthService({ profile, openBrowser: acts.open });
  accounts.bob = await signIn(demoUser("bob"));
  accounts.alice = await signIn(demoUser("alice"), true);
  keeper = new TokenKeeper(auth);
});
afterAll(async () => {
  keeper?.dispose();
});

/** The app's wiring: the keeper hands out the active account's token for the profile's scopes. */
const fromKeeper: GraphTokenProvider = (options) => keeper.currentToken(profile.scopes, options);

const expectedUser = (user: DemoUser): GraphUser => ({
  id: user.sub,
  displayName: user.name,
  givenName: user.givenName,
  surname: user.surname,
  mail: user.email,
  userPrincipalName: user.username,
  jobTitle: user.jobTitle ?? null,
  officeLocation: user.officeLocation ?? null,
  mobilePhone: user.mobilePhone ?? null,
  preferredLanguage: user.preferredLanguage ?? null,
});

function okValue<T>(result: GraphResult<T>): T {
  if (result.status !== "ok") throw new Error(`Expected ok, got ${JSON.stringify(result)}.`);
  return result.value;
}

describe("GraphClient against the demo IdP's Graph", () => {
  it("reads the signed-in user's profile with a token from the keeper", async () => {
    graphRequests.length = 0;
    const graph = new GraphClient({ profile, getToken: fromKeeper });
    expect(okValue(await graph.getProfile())).toEqual(expectedUser(demoUser("alice")));
    expect(graphRequests).toEqual(["/graph/v1.0/me"]);
  });

  it("returns alice's photo as PNG bytes", async () => {
    const graph = new GraphClient({ profile, getToken: fromKeeper });
    const photo = okValue(await graph.getPhoto());
    expect(photo?.contentType).toBe("image/png");
    expect(photo?.bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(photo?.bytes.length).toBeGreaterThan(100);
  });

  it("answers null for bob, who has no photo, and reads his profile with its unset fields as null", async () => {
    const asBob: GraphTokenProvider = (options) => auth.getToken({ account: accounts.bob, ...options });
    const graph = new GraphClient({ profile, getToken: asBob });
    expect(okValue(await graph.getPhoto())).toBeNull();
    expect(okValue(await graph.getProfile())).toEqual(expectedUser(demoUser("bob")));
  });

  it("keeps the profile: repeated and concurrent asks reach Graph once", async () => {
    graphRequests.length = 0;
    const graph = new GraphClient({ profile, getToken: fromKeeper });
    const results = await Promise.all([graph.getProfile(), graph.getProfile(), graph.getProfile()]);
    expect(await graph.getProfile()).toBe(results[0]);
    expect(new Set(results).size).toBe(1);
    expect(graphRequests).toEqual(["/graph/v1.0/me"]);
  });

  it("shows 'no permission to read the profile' for a token without User.Read, as Graph's 403 says", async () => {
    // Like an External ID app that was granted no Graph permission: the token is real, only the scope is missing.
    const withoutGraphScope: GraphTokenProvider = (options) => auth.getToken({ scopes: ["openid"], ...options });
    const graph = new GraphClient({ profile, getToken: withoutGraphScope });
    expect(await graph.getProfile()).toEqual({
      status: "forbidden",
      message: "No permission to read the profile from Microsoft Graph.",
      detail: expect.stringMatching(/^Authorization_RequestDenied: Insufficient privileges: the token lacks User\.Read; request-id [\w-]+$/),
    });
    expect(await graph.getPhoto()).toMatchObject({ status: "forbidden" });
  });

  it("says TLS / certificate when the profile lacks the demo CA", async () => {
    const { caFile: _dropped, ...withoutCa } = profile;
    const graph = new GraphClient({ profile: withoutCa, getToken: fromKeeper });
    const result = await graph.getProfile();
    expect(result).toMatchObject({
      status: "failed",
      error: { kind: "unreachable", message: expect.stringContaining(`TLS / certificate check for Microsoft Graph at ${new URL(env().idp.graphUrl).host} failed`) },
    });
  });

  it("says 'no Graph for this profile' for a generic OpenID Provider without graphUrl", async () => {
    const { graphUrl: _dropped, ...generic } = profile;
    const graph = new GraphClient({ profile: generic, getToken: fromKeeper });
    expect(await graph.getProfile()).toMatchObject({ status: "noGraph" });
  });
});
