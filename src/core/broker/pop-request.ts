import { AuthError } from "../errors/auth-error.js";

/** A proof-of-possession token is bound to one HTTP request: its method and URL, and the server's nonce if any. */
export interface PopRequest {
  method: string;
  url: string;
  /** The nonce the resource server sent in its WWW-Authenticate challenge, when it sent one. */
  shrNonce?: string;
}

/** The fields of an MSAL token request that ask for a PoP token (Signed HTTP Request) bound to `pop`. */
export interface PopRequestFields {
  authenticationScheme: "pop";
  resourceRequestMethod: string;
  resourceRequestUri: string;
  shrNonce?: string;
}

const METHOD = /^[A-Za-z]+$/;

/** Validates the request a PoP token will sign and shapes it for MSAL; throws AuthError(config) when malformed. */
export function popRequestFields(pop: PopRequest): PopRequestFields {
  if (!METHOD.test(pop.method)) {
    throw new AuthError("config", `"${pop.method}" is not an HTTP method.`, "Name the method of the request the token will sign, e.g. GET or POST.");
  }
  let url: URL;
  try {
    url = new URL(pop.url);
  } catch {
    throw new AuthError("config", `"${pop.url}" is not an absolute URL.`, "Give the full URL of the request the token will sign, e.g. https://api.example.com/items.");
  }
  if (url.protocol !== "https:") {
    throw new AuthError("config", `The PoP token would be bound to ${url.protocol.slice(0, -1)}, not https (${url.origin}).`,
      "Proof-of-possession protects https requests: give the https URL of the request.");
  }
  return {
    authenticationScheme: "pop",
    resourceRequestMethod: pop.method.toUpperCase(),
    resourceRequestUri: url.href,
    ...(pop.shrNonce ? { shrNonce: pop.shrNonce } : {}),
  };
}

/**
 * Without a broker MSAL Node turns a PoP request into a Bearer one without a word; a Bearer token where a PoP token
 * was asked for would be sent where it can be replayed, so entra-tray refuses instead.
 */
export function popNeedsBrokerError(whyNoBroker: string): AuthError {
  return new AuthError("brokerUnavailable",
    `A proof-of-possession token needs the native broker, which is not in use: ${whyNoBroker}`,
    "Ask for a Bearer token instead, or use a Microsoft Entra ID profile on a machine whose broker works.",
    { remedy: { kind: "bearerInstead" } });
}
