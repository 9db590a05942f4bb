import { randomBytes } from "node:crypto";
import type { JWK } from "jose";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import type Provider from "oidc-provider";
import { DEMO_CLIENT_ID } from "./demo-profile.js";
import { GRAPH_SCOPE } from "./graph.js";
import {
  deviceCodePage,
  deviceConfirmPage,
  deviceDonePage,
  errorPage,
  loggedOutPage,
  logoutPage,
} from "./pages.js";
import { INTERACTION_PATH } from "./interactions.js";
import { SIGNING_ALG } from "./signing-key.js";
import { findUserByHint, findUserBySub, loginHintFor } from "./users.js";

export const DEMO_CLIENT_NAME = "entra-tray (demo app registration)";

/**
 * Entra's endpoint paths, so URLs look familiar and MSAL derives the device-code endpoint from the token one; under
 * `/<tenant id>` for a demo shaped like an Entra tenant.
 */
export function routesFor(tenantPath = "") {
  return {
    authorization: `${tenantPath}/oauth2/v2.0/authorize`,
    token: `${tenantPath}/oauth2/v2.0/token`,
    device_authorization: `${tenantPath}/oauth2/v2.0/devicecode`,
    end_session: `${tenantPath}/oauth2/v2.0/logout`,
    jwks: `${tenantPath}/discovery/v2.0/keys`,
    userinfo: `${tenantPath}/oidc/userinfo`,
    code_verification: "/devicelogin",
  };
}
export type Routes = ReturnType<typeof routesFor>;

export interface ProviderOptions {
  issuer: string;
  routes: Routes;
  /** The `tid` claim. */
  tenantId: string;
  graphAudience: string;
  signingKey: JWK;
  accessTokenTtlSec: number;
  idTokenTtlSec: number;
  refreshTokenTtlSec: number;
}

/**
 * oidc-provider warns about things that are deliberate here: "Unsupported runtime" on Node below 22 (it works on
 * Node 20, as the tests show) and the in-memory adapter (the demo keeps no state across restarts on purpose).
 * Those two lines are dropped while it loads and starts; anything else it says still gets through.
 */
const DELIBERATE = ["Unsupported runtime", "in-memory adapter"];

async function withoutDeliberateWarnings<T>(work: () => Promise<T> | T): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!DELIBERATE.some((text) => String(args[0]).includes(text))) warn(...args);
  };
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}

export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { default: Provider, errors, interactionPolicy } = await withoutDeliberateWarnings(() => import("oidc-provider"));
  const { issuer, routes, tenantId, graphAudience, signingKey, accessTokenTtlSec, idTokenTtlSec, refreshTokenTtlSec } = options;

  const policy = interactionPolicy.base();
  // MSAL's "sign in with another account" sends prompt=select_account, which oidc-provider only accepts when a
  // prompt by that name exists; it shows the sign-in page (see interactions.ts).
  policy.add(new interactionPolicy.Prompt({ name: "select_account", requestable: true }), 0);

  const configuration: Configuration = {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: DEMO_CLIENT_NAME,
        application_type: "native",
        token_endpoint_auth_method: "none",
        // A native client's loopback redirect matches any port (RFC 8252 §7.3), as MSAL's listener needs.
        redirect_uris: ["http://localhost"],
        post_logout_redirect_uris: ["http://localhost"],
        response_types: ["code"],
        grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        id_token_signed_response_alg: SIGNING_ALG,
      },
    ],
    responseTypes: ["code"],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    routes,
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: {
      // Entra puts these in every ID token, whatever the scopes.
      openid: ["sub", "oid", "tid", "login_hint"],
      profile: ["name", "given_name", "family_name", "preferred_username", "email"],
      email: ["email"],
    },
    // MSAL reads the profile claims from the ID token, never from userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = findUserBySub(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          // The user's object ID; the demo's subjects are not pairwise, so it is the subject.
          oid: sub,
          tid: tenantId,
          login_hint: loginHintFor(user),
          name: user.name,
          given_name: user.givenName,
          family_name: user.surname,
          preferred_username: user.username,
          email: user.email,
        }),
      };
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    // Like Entra: a refresh token stays the same across refreshes, so two processes sharing one token cache do
    // not revoke each other's grant through refresh-token reuse detection.
    rotateRefreshToken: false,
    ttl: {
      AccessToken: accessTokenTtlSec,
      AuthorizationCode: 60,
      DeviceCode: 600,
      Grant: refreshTokenTtlSec,
      IdToken: idTokenTtlSec,
      Interaction: 600,
      RefreshToken: refreshTokenTtlSec,
      Session: refreshTokenTtlSec,
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: (ctx, form, out) => {
          ctx.body = deviceCodePage(form, out?.error_description);
        },
        userCodeConfirmSource: (ctx, form, client, _deviceInfo, userCode) => {
          ctx.body = deviceConfirmPage(form, clientName(client), userCode);
        },
        successSource: (ctx) => {
          ctx.body = deviceDonePage(clientName(ctx.oidc.client));
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const sub = ctx.oidc.session?.accountId;
          ctx.body = logoutPage(form, sub ? findUserBySub(sub) : undefined, namesSignedInUser(ctx, sub));
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = loggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Like Entra, a request for "User.Read" gets a Graph token without naming the resource.
        defaultResource: () => graphAudience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== graphAudience) throw new errors.InvalidTarget(`unknown resource ${resource}`);
          return {
            scope: GRAPH_SCOPE,
            audience: graphAudience,
            accessTokenTTL: accessTokenTtlSec,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage(out.error, out.error_description);
    },
  };

  return withoutDeliberateWarnings(() => new Provider(issuer, configuration));
}

const clientName = (client: { clientName?: unknown; clientId: string } | undefined): string =>
  typeof client?.clientName === "string" ? client.clientName : (client?.clientId ?? "an application");

/** Did the app name the signed-in account (`logout_hint` = its login_hint claim, or a valid `id_token_hint`)? */
function namesSignedInUser(ctx: KoaContextWithOIDC, sub: string | undefined): boolean {
  if (!sub) return false;
  const params = ctx.oidc.params ?? {};
  const hinted = typeof params.logout_hint === "string" ? findUserByHint(params.logout_hint) : undefined;
  return hinted?.sub === sub || ctx.oidc.entities.IdTokenHint?.payload.sub === sub;
}
