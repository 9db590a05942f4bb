import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestTls {
  caPem: string;
  /** Server certificate for the DNS names (default localhost) and 127.0.0.1, then the CA. */
  certPem: string;
  keyPem: string;
}

/**
 * A throwaway CA and a server certificate it signed (made with the openssl CLI), for real TLS servers on loopback.
 * The proxy tests name a host that is not loopback, since loopback never goes through a proxy.
 */
export function createTestTls(dnsNames: string[] = ["localhost"]): TestTls {
  const dir = mkdtempSync(join(tmpdir(), "entra-tray-tls-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  try {
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "2",
      "-subj", "/CN=entra-tray test CA", "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign");
    openssl("req", "-new", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", `/CN=${dnsNames[0]}`);
    const altNames = [...dnsNames.map((name) => `DNS:${name}`), "IP:127.0.0.1"].join(",");
    writeFileSync(file("ext.cnf"), `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\n`);
    openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
      "-CAcreateserial", "-out", file("server.pem"), "-days", "2", "-extfile", file("ext.cnf"));
    const caPem = readFileSync(file("ca.pem"), "utf8");
    return {
      caPem,
      certPem: `${readFileSync(file("server.pem"), "utf8")}${caPem}`,
      keyPem: readFileSync(file("server.key"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
