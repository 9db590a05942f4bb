import { webcrypto } from "node:crypto";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import tls from "node:tls";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { issueServerCredentials, loadOrCreateCa } from "../../src/demo-idp/certificates.js";
import { useTempHomes } from "../e2e/support/demo-env.js";

// Real TLS: a Node HTTPS server with a certificate the demo CA signed, and a client that trusts only that CA, as a
// browser that imported it would. OpenSSL (Node's TLS) enforces the CA's name constraints as Chromium does.
const newHome = useTempHomes();
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a client trusting only `caPem` makes of the server's certificate when it asks for `name`. */
async function handshake(credentials: { certPem: string; keyPem: string }, caPem: string, name: string): Promise<string> {
  const server = https.createServer({ cert: credentials.certPem, key: credentials.keyPem });
  server.on("tlsClientError", () => undefined);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const socket = tls.connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, servername: name, ca: caPem,
      checkServerIdentity: () => undefined });
    const outcome = await new Promise<string>((resolve) => {
      socket.once("secureConnect", () => resolve("trusted"));
      socket.once("error", (error: Error) => resolve(error.message));
    });
    socket.destroy();
    return outcome;
  } finally {
    server.close();
  }
}

/** A CA as versions before name constraints made it: for any name, for 10 years. */
async function writeUnconstrainedCa(dir: string): Promise<void> {
  const keys = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01", name: "CN=entra-tray demo CA", notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS), signingAlgorithm: { name: "ECDSA", hash: "SHA-256" }, keys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  }, webcrypto);
  await writeFile(path.join(dir, "ca.pem"), certificate.toString("pem"));
  await writeFile(path.join(dir, "ca-key.pem"), x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"));
}

describe("the demo CA", () => {
  it("signs for loopback, and a certificate for any other site signed with its key is refused", async () => {
    const dir = path.join(await newHome(), "demo-idp");
    const ca = await loadOrCreateCa(dir);
    expect(await handshake(await issueServerCredentials(ca), ca.pem, "localhost")).toBe("trusted");

    // An attacker with ca-key.pem (loaded from the files, as they would) signs for www.google.com.
    const stolen = await loadOrCreateCa(dir);
    const forged = await issueServerCredentials(stolen, ["www.google.com"]);
    expect(await handshake(forged, await readFile(ca.file, "utf8"), "www.google.com")).toBe("permitted subtree violation");
  });

  it("permits exactly the host names it was made for", async () => {
    const dir = path.join(await newHome(), "demo-idp");
    const ca = await loadOrCreateCa(dir, ["contoso.ciamlogin.com"]);
    expect(await handshake(await issueServerCredentials(ca, ["contoso.ciamlogin.com"]), ca.pem, "contoso.ciamlogin.com")).toBe("trusted");
    expect(await handshake(await issueServerCredentials(ca, ["login.contoso.test"]), ca.pem, "login.contoso.test")).toBe("permitted subtree violation");
  });

  it("lasts 90 days, and is kept across starts", async () => {
    const dir = path.join(await newHome(), "demo-idp");
    const ca = await loadOrCreateCa(dir);
    expect(ca.certificate.notAfter.getTime() - ca.certificate.notBefore.getTime()).toBe(90 * DAY_MS);
    const again = await loadOrCreateCa(dir);
    expect(again.pem).toBe(ca.pem);
    expect(again.replaced).toBeUndefined();
  });

  it("replaces an older version's CA that could sign for any site, and says what to do with an imported copy", async () => {
    const dir = path.join(await newHome(), "demo-idp");
    await loadOrCreateCa(dir);
    await writeUnconstrainedCa(dir);
    const old = await readFile(path.join(dir, "ca.pem"), "utf8");
    const ca = await loadOrCreateCa(dir);
    expect(ca.pem).not.toBe(old);
    expect(ca.replaced).toBe(`The demo CA in ${ca.file} was replaced with a new one, because the old one could sign certificates for any site. ` +
      "If you imported the old one into a browser, remove it there and import the new file instead.");
    expect(await handshake(await issueServerCredentials(ca, ["www.google.com"]), ca.pem, "www.google.com")).toBe("permitted subtree violation");
  });
});
