// The one function, not the whole library: the CLI loads this on every direct `token`.
import { decodeJwt } from "jose/jwt/decode";

/**
 * The payload of a token that is a readable JWT (signed, compact form), without verifying it: for display only.
 * Opaque tokens (e.g. personal Microsoft accounts) and encrypted ones (JWE) give undefined. Never throws, and
 * never lets the token reach an error message or a log.
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
