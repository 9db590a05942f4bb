import { randomUUID } from "node:crypto";
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from "jose";
import type { JWK } from "jose";
import type { KoaContextWithOIDC } from "oidc-provider";
import { identiconPng } from "./avatar.js";
import { GRAPH_PATH } from "./demo-profile.js";
import type { Middleware } from "./msal-compat.js";
import type { DemoUser } from "./users.js";
import { findUserBySub } from "./users.js";

export const GRAPH_SCOPE = "User.Read";

interface GraphOptions {
  issuer: string;
  /** The `aud` the OP puts in access tokens for the demo Graph. */
  audience: string;
  /** The OP's public signing keys (what its JWKS endpoint serves). */
  keys: JWK[];
  algorithms: string[];
}

/**
 * A stand-in for Microsoft Graph's `/me` and `/me/photo/$value`: validates the bearer JWT against the OP's own
 * keys (signature, issuer, audience, expiry, `User.Read`) and answers in Graph's shapes, errors included.
 */
export function demoGraph(options: GraphOptions): Middleware {
  const keySet = createLocalJWKSet({ keys: options.keys });
  return async (ctx, next) => {
    if (ctx.path !== GRAPH_PATH && !ctx.path.startsWith(`${GRAPH_PATH}/`)) return next();
    const route = ctx.path.slice(GRAPH_PATH.length);
    if (ctx.method !== "GET" || (route !== "/me" && route !== "/me/photo/$value")) {
      return graphError(ctx, 404, "Request_UnsupportedQuery", `The demo Graph serves only GET /me and /me/photo/$value.`);
    }
    const user = await authenticate(ctx, keySet, options);
    if (!user) return;
    if (route === "/me") {
      ctx.body = meResponse(user);
    } else if (user.hasPhoto) {
      ctx.type = "image/png";
      ctx.body = identiconPng(user.sub);
    } else {
      graphError(ctx, 404, "ImageNotFound", "The user has no profile photo.");
    }
  };
}

async function authenticate(
  ctx: KoaContextWithOIDC,
  keySet: ReturnType<typeof createLocalJWKSet>,
  { issuer, audience, algorithms }: GraphOptions,
): Promise<DemoUser | undefined> {
  const [scheme, token] = (ctx.get("authorization") || "").split(" ");
  if (scheme?.toLowerCase() !== "bearer" || !token) {
    return unauthorized(ctx, "invalid_request", "Bearer access token is empty.");
  }
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, keySet, { issuer, audience, algorithms, typ: "at+jwt" }));
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? "Lifetime validation failed, the token is expired."
      : error instanceof joseErrors.JOSEError ? `Access token validation failure: ${error.message}.`
      : "Access token validation failure.";
    return unauthorized(ctx, "invalid_token", reason);
  }
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.includes(GRAPH_SCOPE)) {
    ctx.set("WWW-Authenticate", `Bearer realm="demo-graph", error="insufficient_scope", scope="${GRAPH_SCOPE}"`);
    graphError(ctx, 403, "Authorization_RequestDenied", `Insufficient privileges: the token lacks ${GRAPH_SCOPE}.`);
    return undefined;
  }
  const user = claims.sub ? findUserBySub(claims.sub) : undefined;
  if (!user) return unauthorized(ctx, "invalid_token", "The token's subject is not a demo user.");
  return user;
}

function unauthorized(ctx: KoaContextWithOIDC, error: string, description: string): undefined {
  ctx.set("WWW-Authenticate", `Bearer realm="demo-graph", error="${error}", error_description="${description}"`);
  graphError(ctx, 401, "InvalidAuthenticationToken", description);
  return undefined;
}

function graphError(ctx: KoaContextWithOIDC, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = {
    error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID() } },
  };
}

function meResponse(user: DemoUser): Record<string, unknown> {
  return {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
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
    businessPhones: user.businessPhones ?? [],
  };
}
