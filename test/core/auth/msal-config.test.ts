import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogLevel, ProtocolMode, PublicClientApplication } from "@azure/msal-node";
import type { ICachePlugin } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { toAuthError } from "../../../src/core/auth/error-mapping.js";
import { buildMsalConfiguration } from "../../../src/core/auth/msal-config.js";
import { ObservedNetworkModule } from "../../../src/core/auth/msal-network.js";
import type { Profile } from "../../../src/core/config/profile.js";
import { startDiscoveryOp } from "./support/discovery-op.js";
import type { DiscoveryOp } from "./support/discovery-op.js";
import { createTestTls } from "./support/test-tls.js";

const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const profile = (kind: Profile["authority"]["kind"], url: string, caFile?: string): Profile => ({
  name: "p", cacheSection: "p", displayName: "P", clientId: CLIENT_ID, scopes: ["api://x/read"], graphUrl: "https://graph.microsoft.com/v1.0",
  authority: { kind, url, knownAuthority: new URL(url).host }, ...(caFile ? { caFile } : {}),
});

const dir = mkdtempSync(join(tmpdir(), "entra-tray-msal-config-"));
const tls = createTestTls();
const caFile = join(dir, "ca.pem");
writeFileSync(caFile, tls.caPem);
let op: DiscoveryOp;

beforeAll(async () => {
  op = await startDiscoveryOp(tls);
});
afterAll(async () => {
  await op.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("buildMsalConfiguration per authority kind", () => {
  it("Entra External ID: known authority, AAD protocol mode, our network client", () => {
    const { configuration, network } = buildMsalConfiguration(profile("entraExternalId", "https://contoso.ciamlogin.com/"));
    expect(configuration.auth).toEqual({
      clientId: CLIENT_ID, authority: "https://contoso.ciamlogin.com/", knownAuthorities: ["contoso.ciamlogin.com"],
    });
    expect(configuration.system?.protocolMode).toBeUndefined();
    expect(configuration.system?.networkClient).toBe(network);
    expect(network).toBeInstanceOf(ObservedNetworkModule);
  });

  it("Entra ID workforce: MSAL's own cloud metadata, no known-authority override", () => {
    const { configuration } = buildMsalConfiguration(profile("entraId", "https://login.microsoftonline.com/contoso.onmicrosoft.com"));
    expect(configuration.auth.knownAuthorities).toBeUndefined();
    expect(configuration.system?.protocolMode).toBeUndefined();
  });

  it("generic OIDC: OIDC protocol mode and host:port as known authority", () => {
    const { configuration } = buildMsalConfiguration(profile("oidc", "https://127.0.0.1:8443/oidc"));
    expect(configuration.system?.protocolMode).toBe(ProtocolMode.OIDC);
    expect(configuration.auth.knownAuthorities).toEqual(["127.0.0.1:8443"]);
  });

  it("passes the cache plugin through", () => {
    const plugin: ICachePlugin = { beforeCacheAccess: async () => undefined, afterCacheAccess: async () => undefined };
    const { configuration } = buildMsalConfiguration(profile("oidc", "https://op.example"), { cachePlugin: plugin });
    expect(configuration.cache?.cachePlugin).toBe(plugin);
  });

  it("logs warnings and errors without PII to the caller's log function", () => {
    const lines: string[] = [];
    const { configuration } = buildMsalConfiguration(profile("oidc", "https://op.example"), {
      log: (level, message) => lines.push(`${level}: ${message}`),
    });
    const logger = configuration.system?.loggerOptions;
    expect(logger).toMatchObject({ piiLoggingEnabled: false, logLevel: LogLevel.Warning });
    logger?.loggerCallback?.(LogLevel.Warning, "plain warning", false);
    logger?.loggerCallback?.(LogLevel.Error, "user alice@example.com", true);
    logger?.loggerCallback?.(LogLevel.Error, "plain error", false);
    expect(lines).toEqual(["warning: plain warning", "error: plain error"]);
  });
});

describe("caFile", () => {
  it("is trusted by real MSAL next to the system roots, with no call to Microsoft's instance discovery", async () => {
    const { configuration } = buildMsalConfiguration(profile("oidc", op.issuer, caFile));
    const pca = new PublicClientApplication(configuration);
    op.requests.length = 0;
    const url = new URL(await pca.getAuthCodeUrl({ scopes: ["api://x/read"], redirectUri: "http://localhost:1234" }));
    expect(url.origin + url.pathname).toBe(`${op.issuer}/auth`);
    expect(op.requests).toEqual(["/.well-known/openid-configuration"]);
  });

  it("without it, MSAL's bare endpoints_resolution_error becomes a TLS / certificate message naming the host", async () => {
    const { configuration, network } = buildMsalConfiguration(profile("oidc", op.issuer));
    const pca = new PublicClientApplication(configuration);
    const thrown = await pca.getAuthCodeUrl({ scopes: ["api://x/read"], redirectUri: "http://localhost:1234" })
      .catch((e: unknown) => e);
    expect(thrown).toMatchObject({ errorCode: "endpoints_resolution_error" });
    const error = toAuthError(thrown, {
      authorityHost: `127.0.0.1:${op.port}`, clientId: CLIENT_ID, operation: "sign-in", observation: network.takeObservation(),
    });
    expect(error.kind).toBe("unreachable");
    expect(error.message).toContain("TLS / certificate");
    expect(error.message).toContain(`127.0.0.1:${op.port}`);
    expect(error.action).toContain("caFile");
  });

  it("that cannot be read is a config error naming the file", () => {
    const missing = join(dir, "missing.pem");
    const attempt = () => buildMsalConfiguration(profile("oidc", "https://op.example", missing));
    expect(attempt).toThrow(AuthError);
    expect(attempt).toThrow(`The profile's caFile ${missing} cannot be read (ENOENT).`);
  });

  it("that holds no certificate is a config error", () => {
    const notPem = join(dir, "not.pem");
    writeFileSync(notPem, "hello");
    expect(() => buildMsalConfiguration(profile("oidc", "https://op.example", notPem)))
      .toThrow(expect.objectContaining({ kind: "config", message: expect.stringContaining("holds no PEM certificate") }));
  });
});
