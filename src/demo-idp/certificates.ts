import { webcrypto } from "node:crypto";
import { join } from "node:path";
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { ensurePrivateDir, readIfExists, writeFileAtomically } from "./state-files.js";

// ECDSA P-256: key generation takes a millisecond, and Node, undici and Chromium all accept it.
const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
// Below the 398 days browsers accept for server certificates; regenerated at every start anyway.
const SERVER_VALIDITY_DAYS = 397;

export interface DemoCa {
  file: string;
  pem: string;
  certificate: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

export interface ServerCredentials {
  /** The server certificate followed by the CA certificate. */
  certPem: string;
  keyPem: string;
}

/** Loads the CA from `dir` (ca.pem, ca-key.pem) or creates it there on first use. */
export async function loadOrCreateCa(dir: string): Promise<DemoCa> {
  await ensurePrivateDir(dir);
  const file = join(dir, "ca.pem");
  const keyFile = join(dir, "ca-key.pem");
  const [pem, keyPem] = await Promise.all([readIfExists(file), readIfExists(keyFile)]);
  if (pem !== undefined && keyPem !== undefined) return parseCa(file, pem, keyPem);
  return createCa(file, keyFile);
}

async function createCa(file: string, keyFile: string): Promise<DemoCa> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: "CN=entra-tray demo CA, O=entra-tray demo identity provider",
      notBefore,
      notAfter: new Date(notBefore.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING_ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  // The key first: a ca.pem without its key is never left behind as "the CA".
  await writeFileAtomically(keyFile, x509.PemConverter.encode(pkcs8, "PRIVATE KEY"), 0o600);
  const pem = certificate.toString("pem");
  await writeFileAtomically(file, `${pem}\n`, 0o644);
  return { file, pem: `${pem}\n`, certificate, privateKey: keys.privateKey };
}

async function parseCa(file: string, pem: string, keyPem: string): Promise<DemoCa> {
  try {
    const certificate = new x509.X509Certificate(pem);
    const privateKey = await webcrypto.subtle.importKey(
      "pkcs8",
      x509.PemConverter.decodeFirst(keyPem),
      KEY_ALGORITHM,
      false,
      ["sign"],
    );
    if (certificate.notAfter.getTime() < Date.now() + DAY_MS) throw new Error("the CA certificate has expired");
    return { file, pem, certificate, privateKey };
  } catch (error) {
    throw new Error(
      `The demo identity provider's CA in ${file} cannot be used (${(error as Error).message}). ` +
        "Delete that folder to let the demo identity provider create a new CA.",
      { cause: error },
    );
  }
}

/** A fresh key and server certificate for `localhost`, `127.0.0.1` and `hostNames`, signed by the CA. */
export async function issueServerCredentials(ca: DemoCa, hostNames: readonly string[] = []): Promise<ServerCredentials> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - DAY_MS);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: "CN=localhost",
      issuer: ca.certificate.subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + SERVER_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: ca.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: "dns", value: "localhost" },
          { type: "ip", value: "127.0.0.1" },
          ...hostNames.map((value) => ({ type: "dns" as const, value })),
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certPem: `${certificate.toString("pem")}\n${ca.pem}`,
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // a positive INTEGER, as RFC 5280 requires
  return Buffer.from(bytes).toString("hex");
}
