import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { ConfigError } from "../../../src/core/errors/config-error.js";

export const GUID = "6d8f2d9a-3c1b-4f7e-9a2d-5b1c0e7f4a10";

const homes: string[] = [];
// Registered by each test file that imports this module: its homes go when it ends.
afterAll(async () => {
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
});

/** A fresh app home, removed after the test file; with `config`, its config.json holds that value (a string is written as-is). */
export async function makeHome(config?: unknown): Promise<{ home: string; file: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), "entra-tray-config-"));
  homes.push(home);
  const file = path.join(home, "config.json");
  if (config !== undefined) await writeFile(file, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return { home, file };
}

/** A real self-signed CA certificate (made with openssl; only the certificate is kept), as PEM and as DER. */
export async function testCa(): Promise<{ pem: string; der: Buffer }> {
  const pem = await readFile(new URL("test-ca.pem", import.meta.url), "utf8");
  return { pem, der: new X509Certificate(pem).raw };
}

/** Awaits a ConfigError (an AuthError of kind "config") whose message and action contain the given parts. */
export async function expectConfigError(promise: Promise<unknown>, message: string[], action: string[]): Promise<ConfigError> {
  const error = await promise.then(
    () => expect.unreachable("expected a ConfigError"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect(error).toBeInstanceOf(AuthError);
  const configError = error as ConfigError;
  expect(configError.kind).toBe("config");
  for (const part of message) expect(configError.message).toContain(part);
  for (const part of action) expect(configError.action).toContain(part);
  return configError;
}
