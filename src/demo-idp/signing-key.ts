import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import type { JWK } from "jose";
import { ensurePrivateDir, readIfExists, writeFileAtomically } from "./state-files.js";

export const SIGNING_ALG = "ES256";

/**
 * The key that signs ID and access tokens, kept next to the CA so tokens issued before a restart still pass
 * the demo Graph's signature check until they expire.
 */
export async function loadOrCreateSigningKey(dir: string): Promise<JWK> {
  await ensurePrivateDir(dir);
  const file = join(dir, "signing-key.jwk.json");
  const stored = await readIfExists(file);
  if (stored !== undefined) return parseSigningKey(file, stored);
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SIGNING_ALG, use: "sig" };
  await writeFileAtomically(file, `${JSON.stringify(key)}\n`, 0o600);
  return key;
}

function parseSigningKey(file: string, stored: string): JWK {
  try {
    const key = JSON.parse(stored) as JWK;
    if (key.kty !== "EC" || key.crv !== "P-256" || !key.d || !key.kid) throw new Error("not a P-256 private key");
    return key;
  } catch (error) {
    throw new Error(
      `The demo identity provider's signing key in ${file} cannot be used (${(error as Error).message}). ` +
        "Delete that file to let the demo identity provider create a new key.",
      { cause: error },
    );
  }
}

/** The public half, as the JWKS endpoint publishes it. */
export function publicJwk({ kty, crv, x, y, kid, alg, use }: JWK): JWK {
  return { kty, crv, x, y, kid, alg, use };
}
