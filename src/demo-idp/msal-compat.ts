import { IncomingMessage } from "node:http";
import type { KoaContextWithOIDC } from "oidc-provider";
import { readBody } from "./http-body.js";

/**
 * The few places where MSAL Node (written for Entra) and oidc-provider (written to the letter of the specs)
 * disagree. Each middleware makes the demo IdP answer the way Entra would, and nothing more.
 */
export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => Promise<unknown>;

/** The device flow's polling interval, in seconds; Entra says 5, a demo has no reason to make anyone wait. */
const DEVICE_POLL_INTERVAL_SEC = 1;

/**
 * OpenID Connect grants `offline_access` (a refresh token) only when the request carries `prompt=consent`, and
 * oidc-provider drops the scope otherwise. MSAL never sends that prompt, while Entra issues refresh tokens
 * anyway. The least intrusive fix is to add `consent` to such requests' prompt: oidc-provider already shows the
 * consent page to a native client on every authorization (RFC 8252 §8.6: anyone can claim its client id), so the
 * user is asked exactly as before and the grant stays standard. Issuing refresh tokens without the scope instead
 * would also need MSAL's refresh requests (which name `offline_access`) rewritten.
 */
export function offlineAccessImpliesConsentPrompt(authorizationPath: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method === "GET" && ctx.path === authorizationPath) {
      const query = new URLSearchParams(ctx.querystring);
      const scopes = (query.get("scope") ?? "").split(" ");
      const prompts = (query.get("prompt") ?? "").split(" ").filter(Boolean);
      if (scopes.includes("offline_access") && !prompts.includes("consent") && !prompts.includes("none")) {
        query.set("prompt", [...prompts, "consent"].join(" "));
        ctx.querystring = query.toString();
      }
    }
    await next();
  };
}

/**
 * MSAL polls with `grant_type=device_code`, the name Entra accepted before RFC 8628 settled on the URN that
 * oidc-provider knows. The body is read here and handed on as a fresh request with the standard name.
 */
export function deviceCodeGrantAlias(tokenPath: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method === "POST" && ctx.path === tokenPath && ctx.is("application/x-www-form-urlencoded")) {
      const form = new URLSearchParams((await readBody(ctx.req)).toString("utf8"));
      if (form.get("grant_type") === "device_code") {
        form.set("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
      }
      const replayed = replayRequest(ctx.req, Buffer.from(form.toString(), "utf8"));
      ctx.req = replayed;
      ctx.request.req = replayed;
    }
    await next();
  };
}

/** A request with the same method, URL, headers and socket as `original`, and `body` as its body. */
function replayRequest(original: IncomingMessage, body: Buffer): IncomingMessage {
  const replayed = new IncomingMessage(original.socket);
  replayed.method = original.method;
  replayed.url = original.url ?? "/";
  replayed.httpVersion = original.httpVersion;
  replayed.httpVersionMajor = original.httpVersionMajor;
  replayed.httpVersionMinor = original.httpVersionMinor;
  replayed.headers = { ...original.headers, "content-length": String(body.length) };
  delete replayed.headers["transfer-encoding"];
  // Marks the message as fully received, or Node treats its end as an abort and destroys the shared socket.
  replayed.complete = true;
  replayed.push(body);
  replayed.push(null);
  return replayed;
}

/**
 * oidc-provider's device authorization answer has no `interval` (RFC 8628 makes it optional, default 5 s), and
 * MSAL then polls in a tight loop; nor Entra's human-readable `message`, which MSAL hands to the app's callback.
 */
export function deviceAuthorizationLikeEntra(deviceAuthorizationPath: string): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method !== "POST" || ctx.path !== deviceAuthorizationPath || ctx.status !== 200) return;
    const answer = ctx.body as { verification_uri?: string; user_code?: string } | undefined;
    if (!answer?.verification_uri || !answer.user_code) return;
    ctx.body = {
      ...answer,
      interval: DEVICE_POLL_INTERVAL_SEC,
      message: `To sign in, open ${answer.verification_uri} in a browser and enter the code ${answer.user_code}.`,
    };
  };
}
