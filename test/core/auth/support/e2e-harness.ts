import type { ICachePlugin, JsonCache, TokenCacheContext } from "@azure/msal-node";
import { expect } from "vitest";
import type { AuthError } from "../../../../src/core/errors/auth-error.js";
import type { BrowserOpener } from "../../../../src/core/auth/browser-opener.js";
import type { AuthLog } from "../../../../src/core/auth/msal-config.js";
import type { Profile } from "../../../../src/core/config/profile.js";
import type { DemoIdp } from "../../../../src/demo-idp/index.js";
import { before, seconds } from "../../../support/bound.js";

/** The demo IdP as a generic-OIDC profile, the way the config loader resolves the built-in `demo` profile. */
export function demoProfile(idp: DemoIdp, overrides: Partial<Profile> = {}): Profile {
  return {
    name: "demo",
    cacheSection: "demo",
    displayName: "Demo identity provider",
    authority: { kind: "oidc", url: idp.authority, knownAuthority: new URL(idp.authority).host },
    clientId: idp.clientId,
    scopes: ["User.Read"],
    graphUrl: idp.graphUrl,
    caFile: idp.caFile,
    ...overrides,
  };
}

/**
 * The opener handed to AuthService: each test says what the person at the browser does with the next URL
 * (`will`), and gets a promise for the outcome of doing it. Resolves `open` at once, as a real browser does.
 */
export class ScriptedBrowser {
  readonly urls: string[] = [];
  private next: ((url: string) => void) | undefined;

  will(action: (url: string) => Promise<unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.next = (url) => void action(url).then(() => resolve(), reject);
    });
  }

  readonly open: BrowserOpener = async (url) => {
    this.urls.push(url);
    const act = this.next;
    this.next = undefined;
    if (!act) throw new Error("The test did not say what the browser should do with this URL.");
    act(url);
  };

  get lastUrl(): string {
    const url = this.urls.at(-1);
    if (!url) throw new Error("No URL was opened.");
    return url;
  }
}

/**
 * The AuthError that ended a sign-in its timeout or its signal must stop (undefined if it succeeded). If it is not
 * stopped within seconds the test fails saying so, instead of hanging until vitest's own timeout.
 */
export const stopped = (signIn: Promise<unknown>, how: "at its timeout" | "when its signal aborted"): Promise<AuthError | undefined> =>
  before(seconds(15), `The sign-in did not stop ${how}`, signIn.then(() => undefined, (error: unknown) => error as AuthError));

/** The loopback port MSAL listened on, from the redirect_uri of the authorization URL it built. */
export function loopbackPortOf(authUrl: string): number {
  return Number(new URL(new URL(authUrl).searchParams.get("redirect_uri") ?? "").port);
}

/**
 * Collects everything the services log, and every secret that passed through MSAL's cache (via a cache plugin
 * that keeps the serialized cache in memory, as a persistent one would on disk), to prove no secret was logged.
 */
export class SecretWatch {
  readonly lines: string[] = [];
  private readonly secrets = new Set<string>();
  private stored: string | undefined;

  readonly log: AuthLog = (level, message) => void this.lines.push(`${level}: ${message}`);

  readonly cachePlugin: ICachePlugin = {
    beforeCacheAccess: async (context: TokenCacheContext) => {
      if (this.stored) context.tokenCache.deserialize(this.stored);
    },
    afterCacheAccess: async (context: TokenCacheContext) => {
      if (!context.cacheHasChanged) return;
      this.stored = context.tokenCache.serialize();
      const cache = JSON.parse(this.stored) as JsonCache;
      for (const section of [cache.AccessToken, cache.RefreshToken, cache.IdToken]) {
        for (const entry of Object.values<{ secret: string }>(section ?? {})) this.secrets.add(entry.secret);
      }
    },
  };

  /** Secrets seen elsewhere (e.g. an authorization code or an id_token_hint) join the list. */
  note(secret: string): void {
    this.secrets.add(secret);
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  expectNothingSecretLogged(): void {
    expect(this.lines.length).toBeGreaterThan(0);
    const all = this.lines.join("\n");
    for (const secret of this.secrets) expect(all.includes(secret), "a token from the cache appears in the log").toBe(false);
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // anything JWT-shaped
    expect(all).not.toMatch(/\b(code|refresh_token|access_token|id_token|id_token_hint|code_verifier)=/);
    expect(all).not.toMatch(/[\w-]{40,}/); // opaque codes and refresh tokens are long base64url runs
  }
}
