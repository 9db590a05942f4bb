import { webcrypto } from "node:crypto";
import { isIP } from "node:net";
import { join } from "node:path";
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { ensurePrivateDir, readIfExists, writeFileAtomically } from "./state-files.js";

// ECDSA P-256: key generation takes a millisecond, and Node, undici and Chromium all accept it.
const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// People import the CA into their browser: a short life limits what a stolen ca-key.pem is worth, and a start in
// its last month makes a new one.
const CA_VALIDITY_DAYS = 90;
const CA_RENEWAL_DAYS = 30;
// Below the 398 days browsers accept for server certificates; regenerated at every start anyway.
const SERVER_VALIDITY_DAYS = 397;
/** The names every demo IdP certificate carries; a tenant's host names come on top. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const NAME_CONSTRAINTS_OID = "2.5.29.30";

export interface DemoCa {
  file: string;
  pem: string;
  certificate: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
  /** Set when a CA already there was replaced: why, and what to do about a copy imported into a browser. */
  replaced?: string;
}

export interface ServerCredentials {
  /** The server certificate followed by the CA certificate. */
  certPem: string;
  keyPem: string;
}

/**
 * Loads the CA from `dir` (ca.pem, ca-key.pem) or creates it there. It may sign only for loopback and `hostNames`
 * (X.509 name constraints, which Node and browsers enforce), so importing it into a browser trusts it for nothing
 * else; a CA that cannot (an older version's, or one made for other host names) or is near its end is replaced.
 */
export async function loadOrCreateCa(dir: string, hostNames: readonly string[] = []): Promise<DemoCa> {
  await ensurePrivateDir(dir);
  const file = join(dir, "ca.pem");
  const keyFile = join(dir, "ca-key.pem");
  const [pem, keyPem] = await Promise.all([readIfExists(file), readIfExists(keyFile)]);
  const constraints = nameConstraints(hostNames);
  if (pem === undefined || keyPem === undefined) return createCa(file, keyFile, constraints);
  const existing = await parseCa(file, pem, keyPem);
  const unfit = unfitness(existing.certificate, constraints);
  if (!unfit) return existing;
  const renewed = await createCa(file, keyFile, constraints);
  return {
    ...renewed,
    replaced: `The demo CA in ${file} was replaced with a new one, because ${unfit}. ` +
      "If you imported the old one into a browser, remove it there and import the new file instead.",
  };
}

function unfitness(certificate: x509.X509Certificate, constraints: Uint8Array): string | undefined {
  const present = certificate.getExtension(NAME_CONSTRAINTS_OID);
  if (!present) return "the old one could sign certificates for any site";
  if (!Buffer.from(present.value).equals(constraints)) return "the old one was made for other host names";
  if (certificate.notAfter.getTime() < Date.now() + CA_RENEWAL_DAYS * DAY_MS) return "the old one was near the end of its validity";
  return undefined;
}

async function createCa(file: string, keyFile: string, constraints: Uint8Array): Promise<DemoCa> {
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
        new x509.Extension(NAME_CONSTRAINTS_OID, true, constraints),
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

/**
 * NameConstraints (RFC 5280, 4.2.1.10) in DER, permitting exactly loopback and `hostNames` (each name and, as
 * RFC 5280 has it for DNS names, its subdomains); @peculiar/x509 has no class for this extension.
 */
function nameConstraints(hostNames: readonly string[]): Uint8Array {
  const names = [...new Set([...LOOPBACK_NAMES, ...hostNames.map((name) => name.toLowerCase())])].sort();
  const subtrees = names.map((name) => der(0x30, isIP(name) ? der(0x87, ipWithFullMask(name)) : der(0x82, Buffer.from(name, "ascii"))));
  return der(0x30, der(0xa0, ...subtrees));
}

/** iPAddress in a name constraint: the address followed by its mask, here one address exactly. */
function ipWithFullMask(ip: string): Buffer {
  const address = Buffer.from(isIP(ip) === 4 ? ip.split(".").map(Number) : ipv6Bytes(ip));
  return Buffer.concat([address, Buffer.alloc(address.length, 0xff)]);
}

/** "::1" -> 16 bytes (IPv6 without an embedded IPv4 part, as loopback and test names are). */
function ipv6Bytes(ip: string): number[] {
  const groups = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const [head, tail] = ip.split("::");
  const [before, after] = [groups(head), groups(tail)];
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after].flatMap((group) => [group >> 8, group & 0xff]);
}

/** A DER element: tag, definite length, content. */
function der(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const length = body.length < 0x80 ? Buffer.from([body.length]) : lengthBytes(body.length);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

function lengthBytes(length: number): Buffer {
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
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
      notAfter: new Date(Math.min(notBefore.getTime() + SERVER_VALIDITY_DAYS * DAY_MS, ca.certificate.notAfter.getTime())),
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
