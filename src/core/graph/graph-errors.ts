import { STATUS_CODES } from "node:http";
import { AuthError } from "../errors/auth-error.js";
import { sanitize } from "../errors/sanitize.js";
import { parseJsonBody } from "../net/https-request.js";
import type { HttpsResponse, TransportError } from "../net/https-request.js";

// Every message names Microsoft Graph and its host, so it cannot be mistaken for a sign-in problem; none quotes a
// request header, so none can carry a token.

const describeStatus = (status: number): string => `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ""}`;

const seconds = (ms: number): string => `${Math.ceil(ms / 1000)} s`;

interface GraphErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
}

/** Graph's error body (`{"error":{"code","message","innerError":{"request-id"}}}`) in one safe line, or the status. */
export function graphErrorDetail(answer: HttpsResponse<Buffer>): string {
  const error = (parseJsonBody(answer.body) as GraphErrorBody | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : undefined;
  const message = typeof error?.message === "string" ? error.message.trim().replace(/\.$/, "") : undefined;
  const requestId = error?.innerError?.["request-id"] ?? answer.headers["request-id"];
  const text = [code, message].filter(Boolean).join(": ") || describeStatus(answer.status);
  return sanitize(typeof requestId === "string" ? `${text}; request-id ${requestId}` : text);
}

export function graphTransportError(failure: TransportError): AuthError {
  if (failure.kind === "timeout") {
    return new AuthError("timeout", `Microsoft Graph at ${failure.host} did not answer: ${failure.reason}.`,
      "Try again; Microsoft Graph or the network is slow right now.", { cause: failure });
  }
  if (failure.kind === "tls") {
    return new AuthError("unreachable",
      `The TLS / certificate check for Microsoft Graph at ${failure.host} failed: ${failure.reason}.`,
      "If this Graph uses a private certificate authority (like the demo identity provider's), set the profile's caFile to that CA's PEM file; otherwise check the system clock and any TLS-inspecting proxy.",
      { cause: failure });
  }
  return new AuthError("unreachable", `Microsoft Graph at ${failure.host} could not be reached: ${failure.reason}.`,
    "Check your network connection and the profile's graphUrl, then try again.", { cause: failure });
}

export function graphRejectedToken(host: string, answer: HttpsResponse<Buffer>): AuthError {
  return new AuthError("interactionRequired",
    `Microsoft Graph at ${host} did not accept the access token, not even a newly issued one (${graphErrorDetail(answer)}).`,
    "Sign in again; if it keeps happening, check that the profile's scopes include User.Read (Graph accepts only tokens issued for it).");
}

export function graphBusyTooLong(host: string, status: number, waitMs: number, capMs: number): AuthError {
  return new AuthError("unreachable",
    `Microsoft Graph at ${host} is busy (${describeStatus(status)}) and asked to wait ${seconds(waitMs)}, longer than the ${seconds(capMs)} this app waits.`,
    `Try again in ${seconds(waitMs)}.`);
}

export function graphStillBusy(host: string, status: number, retries: number): AuthError {
  return new AuthError("unreachable",
    `Microsoft Graph at ${host} is still busy (${describeStatus(status)}) after ${retries} ${retries === 1 ? "retry" : "retries"}.`,
    "Try again in a minute.");
}

export function graphUnexpectedAnswer(host: string, resource: string, answer: HttpsResponse<Buffer>): AuthError {
  return new AuthError("unexpected",
    `Microsoft Graph at ${host} answered ${describeStatus(answer.status)} to GET ${resource.split("?")[0]} (${graphErrorDetail(answer)}).`,
    "Try again later; if it keeps failing, check the profile's graphUrl or report it with the request id.");
}

export function graphUnreadableProfile(host: string): AuthError {
  return new AuthError("unexpected", `Microsoft Graph at ${host} answered GET /me with something that is not a user profile.`,
    "Check that the profile's graphUrl is a Microsoft Graph base URL, e.g. https://graph.microsoft.com/v1.0.");
}

/** A failure of the token provider that is not already an AuthError; only its type is named (its text is unknown). */
export function graphTokenFailure(error: unknown): AuthError {
  return new AuthError("unexpected",
    `Getting an access token for Microsoft Graph failed unexpectedly (${error instanceof Error ? error.name : typeof error}).`,
    "Try again; if it keeps failing, sign in again.");
}
