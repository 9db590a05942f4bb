import type Provider from "oidc-provider";
import type { InteractionResults, KoaContextWithOIDC } from "oidc-provider";
import { readForm } from "./http-body.js";
import type { Middleware } from "./msal-compat.js";
import { consentPage, errorPage, loginPage } from "./pages.js";
import { DEMO_USERS, findUserByHint, findUserBySub } from "./users.js";

export const INTERACTION_PATH = "/interaction";

const ROUTE = new RegExp(`^${INTERACTION_PATH}/([\\w-]+)(?:/(login|consent))?$`);

/** What each scope means to the person approving it. */
const PERMISSIONS: Record<string, string> = {
  openid: "Sign you in",
  profile: "See your name, username and email address",
  email: "See your email address",
  offline_access: "Stay signed in: keep getting tokens for you while you are away",
  "User.Read": "Read your profile in the demo Microsoft Graph (User.Read)",
};

/**
 * The login and consent pages oidc-provider sends the browser to (`interactions.url`). Login checks a demo
 * user's password; consent grants what the request asked for, or answers `access_denied`.
 */
export function interactionPages(provider: Provider, clientName: string): Middleware {
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid, step] = match;
    try {
      if (ctx.method === "GET" && !step) return await render(provider, ctx, clientName);
      if (ctx.method === "POST" && step === "login") return await submitLogin(provider, ctx, clientName);
      if (ctx.method === "POST" && step === "consent") return await submitConsent(provider, ctx);
      ctx.status = 405;
      ctx.body = errorPage("method_not_allowed", `Nothing to do for ${ctx.method} on this sign-in step (${uid}).`);
    } catch (error) {
      const { status, error: code, error_description: description, message } = error as {
        status?: number; error?: string; error_description?: string; message: string;
      };
      ctx.status = status ?? 500;
      ctx.body = errorPage(code ?? "server_error", description ?? message);
    }
  };
}

async function render(provider: Provider, ctx: KoaContextWithOIDC, clientName: string): Promise<void> {
  const { uid, prompt, params, session } = await provider.interactionDetails(ctx.req, ctx.res);
  const action = `${INTERACTION_PATH}/${uid}`;
  if (prompt.name === "consent") {
    const user = session?.accountId ? findUserBySub(session.accountId) : undefined;
    if (!user) throw Object.assign(new Error("The signed-in demo user no longer exists."), { status: 400 });
    const scopes = (typeof params.scope === "string" ? params.scope : "").split(" ").filter(Boolean);
    const permissions = scopes.map((scope) => PERMISSIONS[scope] ?? `Use the permission "${scope}"`);
    ctx.body = consentPage({ action: `${action}/consent`, user, clientName, permissions });
    return;
  }
  // "login" and "select_account" both get the sign-in page: choosing an account is signing in as it.
  const hinted = findUserByHint(typeof params.login_hint === "string" ? params.login_hint : undefined);
  ctx.body = loginPage({
    action: `${action}/login`,
    users: DEMO_USERS,
    clientName,
    ...(hinted ? { prefill: hinted.username } : {}),
  });
}

async function submitLogin(provider: Provider, ctx: KoaContextWithOIDC, clientName: string): Promise<void> {
  const { uid } = await provider.interactionDetails(ctx.req, ctx.res);
  const form = await readForm(ctx.req);
  const login = form.get("login") ?? "";
  const user = findUserByHint(login);
  if (!user || form.get("password") !== user.password) {
    ctx.status = 401;
    ctx.body = loginPage({
      action: `${INTERACTION_PATH}/${uid}/login`,
      users: DEMO_USERS,
      clientName,
      prefill: login,
      error: user ? "Wrong password. Try again." : `There is no demo account named "${login}".`,
    });
    return;
  }
  // select_account is settled by the same answer: the person picked this account by signing in with it.
  await finish(provider, ctx, { login: { accountId: user.sub }, select_account: {} });
}

async function submitConsent(provider: Provider, ctx: KoaContextWithOIDC): Promise<void> {
  const { prompt, params, session, grantId } = await provider.interactionDetails(ctx.req, ctx.res);
  const form = await readForm(ctx.req);
  if (form.get("decision") !== "approve") {
    await finish(provider, ctx, {
      error: "access_denied",
      error_description: "The user declined to grant the requested permissions.",
    });
    return;
  }
  const accountId = session?.accountId;
  if (!accountId) throw Object.assign(new Error("The sign-in session has ended; start again."), { status: 400 });
  const grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ??
    new provider.Grant({ accountId, clientId: String(params.client_id) });
  const details = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope);
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes);
  }
  await finish(provider, ctx, { consent: { grantId: await grant.save() } });
}

/** Hands the result to oidc-provider and follows it back to the authorization (or device) flow. */
async function finish(provider: Provider, ctx: KoaContextWithOIDC, result: InteractionResults): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
}
