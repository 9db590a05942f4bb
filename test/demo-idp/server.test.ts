import { readFile, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { connect } from "node:tls";
import type { PeerCertificate } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { demoProfileConfig, startDemoIdp, DEMO_CLIENT_ID, DEMO_IDP_DEFAULT_PORT } from "../../src/demo-idp/index.js";
import type { DemoIdp } from "../../src/demo-idp/index.js";
import { makeTempHome } from "../e2e/support/demo-env.js";
import type { TempHome } from "../e2e/support/demo-env.js";
import { before, seconds } from "../support/bound.js";
import { httpsJson, httpsRequest } from "./https-client.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempHome(): Promise<TempHome> {
  const home = await makeTempHome();
  cleanups.push(home.remove);
  return home;
}

async function start(home: string, log?: (line: string) => void): Promise<DemoIdp> {
  const idp = await startDemoIdp({ home, port: 0, ...(log ? { log } : {}) });
  cleanups.push(idp.close);
  return idp;
}

function serverCertificate(port: number, ca: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "localhost", port, ca, servername: "localhost" }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on("error", reject);
  });
}

describe("demo IdP server", () => {
  it("serves discovery over HTTPS to clients that trust its CA, with Entra-shaped endpoints", async () => {
    const idp = await start((await tempHome()).path);
    const { status, json } = await httpsJson(`${idp.issuer}/.well-known/openid-configuration`, { ca: idp.caPem });

    expect(status).toBe(200);
    expect(idp.issuer).toBe(`https://localhost:${idp.port}`);
    expect(json).toMatchObject({
      issuer: idp.authority,
      authorization_endpoint: `${idp.issuer}/oauth2/v2.0/authorize`,
      token_endpoint: `${idp.issuer}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${idp.issuer}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${idp.issuer}/oauth2/v2.0/logout`,
      jwks_uri: `${idp.issuer}/discovery/v2.0/keys`,
      response_modes_supported: expect.arrayContaining(["form_post"]),
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: expect.arrayContaining([
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
      ]),
    });
    expect(idp.graphUrl).toBe(`${idp.issuer}/graph/v1.0`);
    expect(idp.clientId).toBe(DEMO_CLIENT_ID);
  });

  it("is refused by clients that do not trust its CA", async () => {
    const idp = await start((await tempHome()).path);
    await expect(httpsRequest(`${idp.issuer}/.well-known/openid-configuration`)).rejects.toMatchObject({
      code: "SELF_SIGNED_CERT_IN_CHAIN",
    });
  });

  it("presents a certificate for localhost and 127.0.0.1 issued by the demo CA", async () => {
    const idp = await start((await tempHome()).path);
    const certificate = await serverCertificate(idp.port, idp.caPem);

    expect(certificate.subjectaltname).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(certificate.issuer.CN).toBe("entra-tray demo CA");
  });

  it("creates the CA once, keeps private keys private, and reuses the CA and signing key after a restart", async () => {
    const home = await tempHome();
    const first = await start(home.path);
    const dir = join(home.path, "demo-idp");
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    const keys = async (idp: DemoIdp) =>
      (await httpsJson<{ keys: { kid: string }[] }>(`${idp.issuer}/discovery/v2.0/keys`, { ca: idp.caPem })).json.keys;

    expect(first.caFile).toBe(join(dir, "ca.pem"));
    expect(await readFile(first.caFile, "utf8")).toBe(first.caPem);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, "ca-key.pem"))).toBe(0o600);
    expect(await mode(join(dir, "signing-key.jwk.json"))).toBe(0o600);
    const firstKeys = await keys(first);
    const firstLeaf = await serverCertificate(first.port, first.caPem);
    await first.close();

    const second = await start(home.path);
    expect(second.caPem).toBe(first.caPem);
    expect(await keys(second)).toEqual(firstKeys);
    // The server certificate is new at every start; the CA that signs it is not.
    expect((await serverCertificate(second.port, first.caPem)).fingerprint256).not.toBe(firstLeaf.fingerprint256);
  });

  it("says what to do when its CA files are damaged", async () => {
    const home = await tempHome();
    await mkdir(join(home.path, "demo-idp"), { recursive: true });
    await writeFile(join(home.path, "demo-idp", "ca.pem"), "not a certificate");
    await writeFile(join(home.path, "demo-idp", "ca-key.pem"), "not a key");

    await expect(startDemoIdp({ home: home.path, port: 0 })).rejects.toThrow(
      /demo identity provider's CA in .*ca\.pem cannot be used .*Delete that folder/,
    );
  });

  it("says the port is taken when another server listens there", async () => {
    const home = await tempHome();
    const first = await start(home.path);
    await expect(startDemoIdp({ home: home.path, port: first.port })).rejects.toThrow(
      `Port ${first.port} on 127.0.0.1 is already in use`,
    );
  });

  it("logs one line per request with method, path and status, never the query", async () => {
    const lines: string[] = [];
    const idp = await start((await tempHome()).path, (line) => lines.push(line));
    await httpsRequest(`${idp.issuer}/.well-known/openid-configuration?code=SECRET-CODE`, { ca: idp.caPem });
    await httpsRequest(`${idp.issuer}/nothing-here`, { ca: idp.caPem });

    expect(lines).toEqual([
      expect.stringMatching(/^GET \/\.well-known\/openid-configuration 200 \d+ms$/),
      expect.stringMatching(/^GET \/nothing-here 404 \d+ms$/),
    ]);
    expect(lines.join("\n")).not.toContain("SECRET");
  });

  it("counts token requests from zero", async () => {
    const idp = await start((await tempHome()).path);
    expect(idp.tokenRequests()).toBe(0);
  });

  it("closes promptly and leaves nothing open, even with a request still half-sent", { timeout: 10_000 }, async () => {
    const network = () => process.getActiveResourcesInfo().filter((name) => /TCP|TLS/.test(name));
    const openAtStart = network();
    const idp = await startDemoIdp({ home: (await tempHome()).path, port: 0 });
    const client = connect({ host: "localhost", port: idp.port, ca: idp.caPem });
    await new Promise((resolve) => client.once("secureConnect", resolve));
    client.write("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: localhost\r\n"); // no blank line: unfinished
    const clientClosed = new Promise((resolve) => client.once("close", resolve));
    client.on("error", () => undefined);

    // Node's server would wait out the unfinished request's headers timeout (a minute); close must not.
    await before(seconds(5), "close() waited for the half-sent request", idp.close());
    await clientClosed;
    await expect.poll(network).toEqual(openAtStart);
    await idp.close(); // closing twice is harmless
  });

  it("describes the built-in demo profile for a home folder", () => {
    expect(demoProfileConfig("/home/me/.config/entra-tray")).toEqual({
      displayName: expect.any(String),
      authority: `https://localhost:${DEMO_IDP_DEFAULT_PORT}`,
      clientId: DEMO_CLIENT_ID,
      scopes: ["User.Read"],
      graphUrl: `https://localhost:${DEMO_IDP_DEFAULT_PORT}/graph/v1.0`,
      caFile: "/home/me/.config/entra-tray/demo-idp/ca.pem",
    });
    expect(demoProfileConfig("/h", 5000).authority).toBe("https://localhost:5000");
  });
});
