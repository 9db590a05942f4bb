import type { HttpsResponse } from "../net/https-request.js";
import { parseJsonBody } from "../net/https-request.js";

/** The identity provider's own refusal of an authorization request, read from the page it answered with. */
export interface AuthorizationRefusal {
  host: string;
  status: number;
  /** The OAuth error code (`invalid_client`), or Entra's AADSTS code when its page names no OAuth code. */
  error: string;
  description?: string;
}

// The OAuth error codes an authorization endpoint answers with (RFC 6749 4.1.2.1, OpenID Connect Core 3.1.2.6) plus
// oidc-provider's invalid_redirect_uri: found in the text of an error page, they name the refusal.
const OAUTH_CODE = /\b(invalid_client|unauthorized_client|invalid_redirect_uri|invalid_request(?:_uri|_object)?|unsupported_response_type|invalid_scope|access_denied|server_error|temporarily_unavailable)\b/;
// Entra's error pages carry the message in their `$Config` script, as "strServiceExceptionMessage":"AADSTS700016: ...".
const ENTRA_EXCEPTION = /"strServiceExceptionMessage"\s*:\s*"(AADSTS\d+)(?::\s*([^"\\]*))?/;

/**
 * Whether the answer to a GET of the authorization URL (redirects not followed) is a refusal. An identity provider
 * that does not know the client or its redirect URI cannot send the browser back to the app: it shows an error page
 * and the app would wait for nothing. Anything else (a redirect to its sign-in page or back to the app, a page
 * without a recognisable error code) is left to the browser, so an unusual answer never blocks a sign-in.
 */
export function refusalIn(url: string, response: HttpsResponse<Buffer>): AuthorizationRefusal | undefined {
  const host = new URL(url).host;
  const { status } = response;
  const text = response.body.toString("utf8");
  const entra = ENTRA_EXCEPTION.exec(text);
  if (entra?.[1]) return { host, status, error: entra[1], ...(entra[2] ? { description: entra[2].trim() } : {}) };
  if (status < 400) return undefined;
  const json = parseJsonBody(response.body) as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof json?.error === "string") {
    return { host, status, error: json.error, ...(typeof json.error_description === "string" ? { description: json.error_description } : {}) };
  }
  const code = OAUTH_CODE.exec(text)?.[1];
  return code ? { host, status, error: code } : undefined;
}
