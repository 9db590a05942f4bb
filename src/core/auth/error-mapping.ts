import { InteractionRequiredAuthError } from "@azure/msal-node";
import { TransportError } from "../net/https-request.js";
import { AuthError, isAuthError } from "../errors/auth-error.js";
import { sanitize } from "../errors/sanitize.js";
import { durationText } from "../errors/time-units.js";
import type { AuthorizationRefusal } from "./authorization-probe.js";
import type { NetworkObservation } from "./msal-network.js";

export interface ErrorContext {
  /** Host (and port) of the profile's authority, named in messages when nothing more precise is known. */
  authorityHost: string;
  clientId: string;
  /** What the user was doing, for the "unexpected" message: "sign-in", "token request", "sign-out". */
  operation: string;
  /** What the network client saw during the failed call (MSAL drops the cause of network failures). */
  observation?: NetworkObservation;
}

const SIGN_IN_AGAIN = "Sign in again to this profile.";

/**
 * msal-node-extensions bundles its own copy of msal-common, so the broker's errors are not instances of our
 * InteractionRequiredAuthError class: recognise them by name too.
 */
const isInteractionRequired = (thrown: unknown): boolean =>
  thrown instanceof InteractionRequiredAuthError || (thrown instanceof Error && thrown.name === "InteractionRequiredAuthError");

/** Any thrown thing -> an AuthError with a kind, a one-sentence message and an action. Never echoes tokens or codes. */
export function toAuthError(thrown: unknown, context: ErrorContext): AuthError {
  if (isAuthError(thrown)) return thrown;
  if (thrown instanceof TransportError) return unreachable(thrown);
  const observation = context.observation ?? {};
  const { code, description } = describeMsalError(thrown);
  const host = observation.oauthError?.host ?? context.authorityHost;

  if (observation.transportFailure && (code === undefined || NETWORK_CODES.has(code))) {
    return unreachable(observation.transportFailure);
  }
  const answer = observation.unexpectedAnswer;
  if (answer && (code === undefined || code === "network_error")) return unexpectedAnswer(answer.host, answer.status, thrown);
  if (code === "endpoints_resolution_error" || code === "openid_config_error") {
    const answer = observation.discoveryAnswer;
    return answer
      ? discoveryAnswerError(answer.host, answer.status, thrown)
      : new AuthError("config",
        `The OpenID configuration of ${context.authorityHost} cannot be used with this authority URL (its issuer or endpoints do not match).`,
        "Check that the profile's authority URL is exactly the identity provider's issuer.", { cause: thrown });
  }
  // MSAL reports device-code polling failures as post_request_failed with the server's error code as the message;
  // a failure MSAL does not name at all is explained by the OAuth error answer the network client saw, if any.
  const serverCode = code === "post_request_failed" || code === undefined
    ? (observation.oauthError?.error ?? (code ? description : undefined))
    : code;
  // The OP's own description (with Entra's AADSTS code) when MSAL kept only the error code.
  const details = [description, observation.oauthError?.description].filter(Boolean).join(" ");
  const fromServer = serverCode === undefined ? undefined : mapServerCode(serverCode, details, host, context, thrown, observation.oauthError?.scope);
  if (fromServer) return fromServer;
  if (isInteractionRequired(thrown)) {
    return new AuthError("interactionRequired", `${host} needs you to sign in again (${code}).`, SIGN_IN_AGAIN,
      { cause: thrown });
  }
  if (code !== undefined && CONFIG_CODES.has(code)) {
    return new AuthError("config", `MSAL rejected the profile's settings for ${context.authorityHost} (${code}).`,
      "Check the profile's authority URL: it must be https and name the identity provider's issuer.", { cause: thrown });
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new AuthError("unreachable", `${context.authorityHost} could not be reached.`,
      "Check your network connection and that the identity provider is up, then try again.", { cause: thrown });
  }
  const detail = sanitize([code, description ?? (thrown instanceof Error ? thrown.message : String(thrown))]
    .filter(Boolean).join(": "));
  return new AuthError("unexpected", `The ${context.operation} failed unexpectedly (${detail}).`,
    "Try again; if it keeps failing, report it together with the log.", { cause: thrown });
}

/**
 * The identity provider refused the authorization request itself (see authorization-probe.ts): a mistake in the
 * profile or the app registration, which signing in again cannot fix.
 */
export function authorizationRefused(refusal: AuthorizationRefusal, context: ErrorContext): AuthError {
  const { host, error, description } = refusal;
  const mapped = mapServerCode(error, description ?? "", host, context, undefined);
  if (mapped?.kind === "config") return mapped;
  const detail = sanitize(description ? `${error}: ${description}` : error);
  return new AuthError("config", `${host} refused the sign-in request for the app ${context.clientId} (${detail}).`,
    "Check the profile's clientId and authority, and that the app registration is a public client with redirect URI http://localhost.");
}

/** The identity provider's answer to a request for its OpenID configuration was not one. */
export function discoveryAnswerError(host: string, status: number, cause?: unknown): AuthError {
  const what = status < 400 ? "did not answer with a usable OpenID configuration" : `answered HTTP ${status} when asked for its OpenID configuration`;
  return new AuthError("config", `${host} ${what}, so the authority URL looks wrong.`,
    "Check the profile's authority URL (for Entra: https://<tenant>.ciamlogin.com/ or https://login.microsoftonline.com/<tenant>).",
    { cause });
}

/**
 * The sign-in was not finished in time. In the browser that is also how an identity provider's refusal ends (it
 * shows an error page and never answers the app), so the action says to look there first.
 */
export function timeoutError(timeoutMs: number, flow: "browser" | "device code"): AuthError {
  const action = flow === "browser"
    ? "Look at the browser: if the identity provider showed an error (unknown application, redirect URI not registered), check the profile's clientId and that the app registration is a public client with redirect URI http://localhost; otherwise start the sign-in again and finish it in the browser."
    : "Start the sign-in again and finish it in the browser.";
  return new AuthError("timeout", `The ${flow} sign-in was not completed within ${durationText(timeoutMs)}.`, action);
}

/** A request to the identity provider ran out of time: the sign-in's time went there, not to the person signing in. */
export function identityProviderTimedOut(error: unknown): boolean {
  const cause = isAuthError(error) ? error.cause : error;
  return cause instanceof TransportError && cause.kind === "timeout";
}

export function cancelledError(): AuthError {
  return new AuthError("cancelled", "The sign-in was cancelled.", "Start the sign-in again when you are ready.");
}

const NETWORK_CODES = new Set(["network_error", "endpoints_resolution_error", "openid_config_error",
  "untrusted_authority", "no_network_connectivity"]);

const CONFIG_CODES = new Set(["authority_uri_insecure", "url_parse_error", "empty_url_error", "untrusted_authority",
  "invalid_cloud_discovery_metadata", "invalid_authority_metadata", "issuer_validation_failed", "authority_mismatch",
  "redirect_uri_empty", "empty_input_scopes_error", "invalid_claims"]);

const INTERACTION_CODES = new Set(["invalid_grant", "interaction_required", "login_required", "consent_required",
  "bad_token", "no_tokens_found", "refresh_token_expired", "no_account_in_silent_request", "no_account_found",
  "native_account_unavailable", "ui_not_allowed", "interrupted_user"]);

function mapServerCode(
  serverCode: string,
  details: string,
  host: string,
  context: ErrorContext,
  cause: unknown,
  /** The scopes an invalid_scope answer names in its own field (oidc-provider does). */
  scope?: string,
): AuthError | undefined {
  const text = `${serverCode} ${details}`;
  const entraCode = /\bAADSTS\d+/.exec(text)?.[0];
  // Entra's answer when the app registration does not allow public client flows (device code, here as invalid_client).
  if (entraCode === "AADSTS7000218") {
    return new AuthError("config", `${host} does not allow public client flows for the app ${context.clientId} (${entraCode}).`,
      "In the app registration (Microsoft Entra admin center > App registrations > the app > Authentication), set \"Allow public client flows\" to Yes.",
      { cause });
  }
  if (serverCode === "invalid_client" || serverCode === "unauthorized_client" || entraCode === "AADSTS700016") {
    return new AuthError("config", `${host} does not accept the client id ${context.clientId} (${serverCode}).`,
      "Check the profile's clientId: it must be the Application (client) ID of an app registered as a public client with redirect URI http://localhost.",
      { cause });
  }
  // The redirect URI MSAL uses (http://localhost with a free port) is not registered for the app.
  if (serverCode === "invalid_redirect_uri" || entraCode === "AADSTS50011") {
    return new AuthError("config", `${host} does not accept the redirect URI http://localhost for the app ${context.clientId} (${entraCode ?? serverCode}).`,
      "In the app registration, add the platform \"Mobile and desktop applications\" with redirect URI http://localhost (any port is then accepted).",
      { cause });
  }
  // Only a declined consent is the user's choice: Entra says so with AADSTS65004, a generic OP with a bare access_denied.
  if (entraCode === "AADSTS65004" || (serverCode === "access_denied" && entraCode === undefined)) {
    return new AuthError("denied", `The sign-in was declined at ${host} (consent was not given).`,
      "Sign in again and accept the requested permissions, or ask an administrator to grant consent for the app.",
      { cause });
  }
  if (serverCode === "access_denied") {
    return new AuthError("denied", `${host} blocked the sign-in by the tenant's policy (${entraCode}).`,
      `Ask the tenant's administrator which policy (e.g. Conditional Access) blocks this sign-in, quoting ${entraCode}.`,
      { cause });
  }
  if (serverCode === "device_code_polling_cancelled") return cancelledError();
  if (serverCode === "expired_token" || serverCode === "device_code_expired" || serverCode === "user_timeout_reached") {
    return new AuthError("timeout", "The device code expired before the sign-in was completed.",
      "Start the device-code sign-in again and enter the code promptly.", { cause });
  }
  // Entra names a scope it does not know (AADSTS70011): a profile mistake. A generic OP says invalid_scope for a scope
  // that was not granted at sign-in: signing in again asks for it, unless the app may not have it at all.
  if (serverCode === "invalid_scope") {
    const named = scopeNamed(scope, details);
    const which = named === undefined ? "one of the requested scopes" : `the scope ${named}`;
    if (entraCode !== undefined) {
      return new AuthError("config", `${host} does not know ${which} (invalid_scope, ${entraCode}).`,
        "Check the scopes in the profile or asked for (for Entra: the API's Application ID URI followed by the scope name).", { cause });
    }
    return new AuthError("interactionRequired", `${host} did not grant ${which} to this sign-in (invalid_scope).`,
      "Sign in again to be asked for it; if the identity provider still refuses, this app may not request it: check the scopes in the profile or asked for.",
      { cause });
  }
  if (INTERACTION_CODES.has(serverCode)) {
    return new AuthError("interactionRequired", `${host} needs you to sign in again (${serverCode}).`, SIGN_IN_AGAIN,
      { cause });
  }
  if (serverCode === "temporarily_unavailable" || serverCode === "server_error") {
    return new AuthError("unreachable", `${host} reported a temporary failure (${serverCode}).`,
      "Try again in a minute.", { cause });
  }
  return undefined;
}

/** The scope an invalid_scope answer is about, quoted: its `scope` field, else the one Entra's description names. */
function scopeNamed(scope: string | undefined, details: string): string | undefined {
  const named = scope ?? /\bscope '?([^\s']+)'? (?:isn't|is not) valid/i.exec(details)?.[1];
  return named === undefined || named === "" ? undefined : named.split(" ").map((each) => JSON.stringify(sanitize(each))).join(", ");
}

/** An endpoint answered an HTTP error without saying what was wrong in OAuth terms. */
function unexpectedAnswer(host: string, status: number, cause: unknown): AuthError {
  return status >= 500
    ? new AuthError("unreachable", `${host} answered HTTP ${status} (a failure at the identity provider or a proxy in between).`,
      "Try again in a minute; if it keeps failing, check the identity provider's status and any proxy between you and it.", { cause })
    : new AuthError("config", `${host} answered HTTP ${status} at one of the endpoints its OpenID configuration names.`,
      "Check the profile's authority URL; if it is right, tell the identity provider's administrator that an endpoint is missing.", { cause });
}

function unreachable(failure: TransportError): AuthError {
  if (failure.kind === "tls") {
    return new AuthError("unreachable", `The TLS / certificate check for ${failure.host} failed: ${failure.reason}.`,
      "If the identity provider uses a private certificate authority, set the profile's caFile to that CA's PEM file; otherwise check the system clock and any TLS-inspecting proxy.",
      { cause: failure });
  }
  const actions: Record<Exclude<TransportError["kind"], "tls">, string> = {
    refused: "Check that the identity provider is running and that the authority URL (host and port) is right.",
    dns: "Check the authority URL's host name and your network connection.",
    timeout: "Check your network connection and that the identity provider is up, then try again.",
    reset: "Try again; if it keeps failing, check proxies or firewalls between you and the identity provider.",
    other: "Check your network connection and the authority URL, then try again.",
  };
  return new AuthError("unreachable", `${failure.host} could not be reached: ${sanitize(failure.reason)}.`,
    actions[failure.kind], { cause: failure });
}

function describeMsalError(thrown: unknown): { code?: string; description?: string } {
  const candidate = thrown as { errorCode?: unknown; errorMessage?: unknown } | undefined;
  const code = typeof candidate?.errorCode === "string" && candidate.errorCode ? candidate.errorCode : undefined;
  const description = typeof candidate?.errorMessage === "string" && candidate.errorMessage
    ? candidate.errorMessage : undefined;
  return { ...(code ? { code } : {}), ...(description ? { description } : {}) };
}
