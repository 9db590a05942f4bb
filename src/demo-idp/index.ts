import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { issueServerCredentials, loadOrCreateCa } from "./certificates.js";
import { DEMO_CLIENT_ID, DEMO_IDP_DEFAULT_PORT, GRAPH_PATH } from "./demo-profile.js";
import { demoGraph } from "./graph.js";
import { listenOnLoopback } from "./https-server.js";
import { interactionPages } from "./interactions.js";
import { deviceAuthorizationLikeEntra, deviceCodeGrantAlias, offlineAccessImpliesConsentPrompt } from "./msal-compat.js";
import { clientInfo, externalIdIssuer, tenantPaths } from "./external-id-tenant.js";
import type { ExternalIdTenant } from "./external-id-tenant.js";
import { createProvider, DEMO_CLIENT_NAME, routesFor } from "./provider.js";
import { grantRevoker } from "./revocation.js";
import { loadOrCreateSigningKey, publicJwk, SIGNING_ALG } from "./signing-key.js";
import type { DemoUser } from "./users.js";
import { DEMO_TENANT_ID, DEMO_USERS, findUserByHint } from "./users.js";

export { DEMO_CLIENT_ID, DEMO_IDP_DEFAULT_PORT, demoProfileConfig } from "./demo-profile.js";
export { DEMO_TENANT_ID };
export type { DemoUser, ExternalIdTenant };

export interface DemoIdpOptions {
  /** The per-user app-data folder; the CA and signing key live in `<home>/demo-idp/`. */
  home: string;
  /** Default DEMO_IDP_DEFAULT_PORT; 0 picks a free port. */
  port?: number;
  /** Default 3600; tests use short ones to force refreshes. */
  accessTokenTtlSec?: number;
  idTokenTtlSec?: number;
  refreshTokenTtlSec?: number;
  /** One line per request (method, path, status, time) and one per server error; never a token, code or secret. */
  log?: (line: string) => void;
  /** Shape the IdP like this Microsoft Entra External ID tenant (see external-id-tenant.ts). */
  externalId?: ExternalIdTenant;
}

export interface DemoIdp {
  /**
   * `https://localhost:<port>`: the issuer's host equals the authority's, as MSAL requires of a generic OpenID
   * Provider. Shaped like an External ID tenant: `https://<tenant id>.ciamlogin.com/<tenant id>/v2.0`.
   */
  issuer: string;
  /** `https://localhost:<port>`; shaped like an External ID tenant: `https://localhost:<port>/<tenant id>`. */
  authority: string;
  port: number;
  clientId: string;
  /** `https://localhost:<port>/graph/v1.0` */
  graphUrl: string;
  caFile: string;
  caPem: string;
  /** Set when the CA there was replaced at this start: why, and what to do about a copy imported into a browser. */
  caReplaced?: string;
  users: DemoUser[];
  /** Time from the call to a listening, configured server, in milliseconds. */
  startupMs: number;
  /** Requests to the token endpoint so far (tests assert that cached tokens cost none). */
  tokenRequests(): number;
  /** Requests of any kind so far, and the host names they were sent to (their Host headers, without the port). */
  requests(): { count: number; hosts: Set<string> };
  /** Like an admin revoking a user's sessions: the user's refresh tokens stop working (`invalid_grant`). */
  revokeRefreshTokens(username: string): Promise<void>;
  /** Closes the server and every connection; calling it again waits for the same close. */
  close: () => Promise<void>;
}

const DAY_SEC = 24 * 60 * 60;

/** What provider.callback() returns: Koa's request handler. */
type KoaHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const startedAt = performance.now();
  const dir = join(options.home, "demo-idp");
  const tenant = options.externalId;
  const ca = await loadOrCreateCa(dir, tenant?.hostNames);
  const [signingKey, credentials] = await Promise.all([loadOrCreateSigningKey(dir), issueServerCredentials(ca, tenant?.hostNames)]);
  const routes = routesFor(tenant ? `/${tenant.tenantId}` : "");
  const { server, port, close } = await listenOnLoopback(credentials, options.port ?? DEMO_IDP_DEFAULT_PORT);
  // The issuer names the port, so the app is built after listening; requests that arrive meanwhile wait for it.
  let resolveApp: (app: KoaHandler) => void = () => undefined;
  const app = new Promise<KoaHandler>((resolve) => (resolveApp = resolve));
  let tokenRequests = 0;
  const requests = { count: 0, hosts: new Set<string>() };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "https://localhost").pathname; // never the query: it carries codes
    requests.count++;
    requests.hosts.add(new URL(`https://${req.headers.host ?? "localhost"}`).hostname);
    // MSAL posts to the token endpoint under the authority's tenant name, not always the discovered tenant ID path.
    if (req.method === "POST" && path.endsWith(routesFor().token)) tokenRequests++;
    if (options.log) {
      const log = options.log;
      const begun = performance.now();
      res.on("finish", () => log(`${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - begun)}ms`));
    }
    // Fire and forget: Koa's handler answers its own errors (ctx.onerror) and never rejects.
    void app.then((handle) => handle(req, res));
  });
  try {
    const origin = `https://localhost:${port}`;
    const issuer = tenant ? externalIdIssuer(tenant) : origin;
    // Entra's Graph tokens name Graph itself; the demo Graph is served by the IdP on every host anyway.
    const graphAudience = tenant ? "https://graph.microsoft.com" : `${origin}/graph`;
    const accessTokenTtlSec = options.accessTokenTtlSec ?? 3600;
    const provider = await createProvider({
      issuer,
      routes,
      tenantId: tenant?.tenantId ?? DEMO_TENANT_ID,
      graphAudience,
      signingKey,
      accessTokenTtlSec,
      idTokenTtlSec: options.idTokenTtlSec ?? 3600,
      refreshTokenTtlSec: options.refreshTokenTtlSec ?? 14 * DAY_SEC,
    });
    provider.use(demoGraph({ issuer, audience: graphAudience, keys: [publicJwk(signingKey)], algorithms: [SIGNING_ALG] }));
    provider.use(interactionPages(provider, DEMO_CLIENT_NAME));
    if (tenant) provider.use(tenantPaths(tenant));
    provider.use(offlineAccessImpliesConsentPrompt(routes.authorization));
    provider.use(deviceCodeGrantAlias(routes.token));
    provider.use(deviceAuthorizationLikeEntra(routes.device_authorization));
    if (tenant) provider.use(clientInfo(tenant, routes.token));

    const reportError = options.log ?? ((line: string) => console.error(line));
    provider.on("server_error", (_ctx, error) => reportError(`demo IdP error: ${error.message}`));

    const revokeGrantsOf = grantRevoker(provider);
    resolveApp(provider.callback());

    return {
      issuer,
      authority: tenant ? `${origin}/${tenant.tenantId}` : origin,
      port,
      clientId: DEMO_CLIENT_ID,
      graphUrl: `${origin}${GRAPH_PATH}`,
      caFile: ca.file,
      caPem: ca.pem,
      ...(ca.replaced ? { caReplaced: ca.replaced } : {}),
      users: DEMO_USERS.map((user) => ({ ...user })),
      startupMs: Math.round(performance.now() - startedAt),
      tokenRequests: () => tokenRequests,
      requests: () => ({ count: requests.count, hosts: new Set(requests.hosts) }),
      async revokeRefreshTokens(username) {
        const user = findUserByHint(username);
        if (!user) throw new Error(`There is no demo user named "${username}".`);
        await revokeGrantsOf(user.sub);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
