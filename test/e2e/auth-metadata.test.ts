import { beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../src/core/auth/auth-service.js";
import { fileAuthorityMetadataStore } from "../../src/core/auth/authority-metadata.js";
import type { AuthorityEndpoints, AuthorityMetadataStore } from "../../src/core/auth/authority-metadata.js";
import { demoProfile, ScriptedBrowser, SecretWatch } from "../core/auth/support/e2e-harness.js";
import { useDemoBrowser } from "./support/demo-browser.js";
import { useDemoEnv, useTempHomes } from "./support/demo-env.js";

// Each `entra-tray token` is a new process with a new AuthService. For a generic OP (and Entra External ID) MSAL
// fetches the discovery document before it even looks in its cache; with the endpoints saved by an earlier run it
// must not: a cached token then costs no request at all and is served while the identity provider is down.
const requests: string[] = [];
const env = useDemoEnv({ log: (line) => requests.push(line) });
const browser = useDemoBrowser(env);
const homes = useTempHomes();
const watch = new SecretWatch();
let store: AuthorityMetadataStore;

beforeAll(async () => {
  store = fileAuthorityMetadataStore(await homes());
});

/** A new service on the same token cache and (unless told otherwise) the same endpoint store: a new process. */
function restart(options: { withStore?: boolean; openBrowser?: ScriptedBrowser } = {}): AuthService {
  return new AuthService({
    profile: demoProfile(env().idp),
    openBrowser: (options.openBrowser ?? new ScriptedBrowser()).open,
    log: watch.log,
    cachePlugin: watch.cachePlugin,
    ...(options.withStore === false ? {} : { metadataCache: store }),
  });
}

/** A restarted service that has found alice in the token cache. */
async function restarted(): Promise<AuthService> {
  const service = restart();
  expect(await service.loadAccounts()).toMatchObject({ status: "signedIn", account: { username: env().user(0).username } });
  return service;
}

const saved = (): AuthorityEndpoints | undefined => {
  const json = store.load(env().idp.authority);
  return json === undefined ? undefined : (JSON.parse(json) as AuthorityEndpoints);
};
const discoveryGets = () => requests.filter((line) => line.startsWith("GET /.well-known/openid-configuration "));

describe("the identity provider's endpoints, kept between runs", () => {
  it("are saved by the first sign-in", async () => {
    const acts = new ScriptedBrowser();
    const service = restart({ openBrowser: acts });
    const browsing = acts.will((url) => browser().completeSignIn(url, { user: env().user(0).username }));
    await Promise.all([service.signIn({ timeoutMs: 30_000 }), browsing]);
    expect(discoveryGets()).toHaveLength(1);
    expect(saved()).toEqual(expect.objectContaining({
      issuer: env().idp.issuer,
      token_endpoint: `${env().idp.issuer}/oauth2/v2.0/token`,
      authorization_endpoint: `${env().idp.issuer}/oauth2/v2.0/authorize`,
    }));
  });

  it("without them, a new service asks the identity provider before serving a cached token", async () => {
    requests.length = 0;
    const service = restart({ withStore: false });
    await service.loadAccounts();
    await service.getToken();
    expect(discoveryGets()).toHaveLength(1);
  });

  it("with them, a new service serves the cached token without a single request to the identity provider", async () => {
    const cached = await (await restarted()).getToken();
    requests.length = 0;
    const token = await (await restarted()).getToken();
    expect(token.accessToken).toBe(cached.accessToken);
    expect(requests).toEqual([]);
  });

  it("when they are stale (404 at the saved token endpoint), drops them, asks again and refreshes once", async () => {
    const current = saved();
    if (!current) throw new Error("The first test saved no endpoints.");
    store.save(env().idp.authority, JSON.stringify({ ...current, token_endpoint: `${env().idp.issuer}/moved/token` }));
    const service = await restarted();
    requests.length = 0;
    const fresh = await service.getToken({ forceRefresh: true });
    expect(fresh.account.username).toBe(env().user(0).username);
    expect(requests.map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual([
      "POST /moved/token 404",
      "GET /.well-known/openid-configuration 200",
      "POST /oauth2/v2.0/token 200",
    ]);
    expect(saved()).toEqual(current);
    expect(watch.lines.some((line) => line.includes("saved endpoints") && line.includes("look stale"))).toBe(true);
  });

  it("with the identity provider stopped, a new service still returns the cached token, and keeps the endpoints", async () => {
    const cached = await (await restarted()).getToken();
    const endpoints = saved();
    await env().idp.close();
    const service = await restarted();
    const token = await service.getToken();
    expect(token.accessToken).toBe(cached.accessToken);
    // A refresh needs the identity provider: unreachable, which says nothing about the endpoints being stale.
    await expect(service.getToken({ forceRefresh: true })).rejects.toMatchObject({ kind: "unreachable" });
    expect(saved()).toEqual(endpoints);
  });

  it("logged nothing secret", () => {
    watch.expectNothingSecretLogged();
  });
});
