import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomically } from "../errors/atomic-write.js";
import type * as SchemaModule from "./profile-schema.js";
import type { ParsedConfig, ParsedProfile } from "./profile-schema.js";

/*
 * profile-schema's parseConfigFile and parseProfile, remembered across processes. Loading zod and building the
 * schemas is most of a command's start-up once MSAL is out of the way (the CLI's cached-token path), for inputs that
 * seldom change. A success is kept in `<home>/checked-config.json`, keyed by a hash of the input and of everything
 * that decides the outcome (the schema's own modules and zod's version), so an edit to either is checked afresh.
 * Failures are never kept: every error still comes from the schema itself. A memo that cannot be read or written
 * only costs the speed-up.
 */

type Schema = typeof SchemaModule;

const MEMO_FILE = "checked-config.json";
/** Enough for a few profiles and their recent edits; the oldest entries go first. */
const MAX_ENTRIES = 32;
/** The modules whose code decides what the schema accepts and returns (config-error only words its failures). */
const SCHEMA_MODULES = ["profile-schema", "authority", "placeholders"];

export function checkConfigFile(home: string, json: unknown, file: string): Promise<ParsedConfig> {
  return checked(home, "config", json, (schema) => schema.parseConfigFile(json, file));
}

export function checkProfile(home: string, raw: unknown, where: string): Promise<ParsedProfile> {
  return checked(home, "profile", raw, (schema) => schema.parseProfile(raw, where));
}

async function checked<T>(home: string, kind: string, input: unknown, parse: (schema: Schema) => T): Promise<T> {
  const version = schemaVersion();
  const key = version === undefined ? undefined : createHash("sha256").update(JSON.stringify([kind, version, input])).digest("hex");
  const file = path.join(home, MEMO_FILE);
  const kept = key === undefined ? undefined : (await readMemo(file))[key];
  if (kept !== undefined) return kept as T;
  const result = parse(await import("./profile-schema.js"));
  if (key !== undefined) await remember(file, key, result).catch(() => undefined);
  return result;
}

let version: string | null | undefined;

/** A hash of the schema's modules (as they run: .js built, .ts under test) and of zod's package.json; undefined if unreadable. */
function schemaVersion(): string | undefined {
  if (version === undefined) {
    try {
      const extension = path.extname(fileURLToPath(import.meta.url));
      const hash = createHash("sha256");
      for (const name of SCHEMA_MODULES) hash.update(readFileSync(new URL(`./${name}${extension}`, import.meta.url)));
      hash.update(readFileSync(createRequire(import.meta.url).resolve("zod/package.json")));
      version = hash.digest("hex");
    } catch {
      version = null;
    }
  }
  return version ?? undefined;
}

async function readMemo(file: string): Promise<Record<string, unknown>> {
  try {
    const memo: unknown = JSON.parse(await readFile(file, "utf8"));
    return typeof memo === "object" && memo !== null && !Array.isArray(memo) ? (memo as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Adds an entry, read-modify-replace: a process that loses a race only loses its entry, which the next run adds. */
async function remember(file: string, key: string, result: unknown): Promise<void> {
  const memo = await readMemo(file);
  delete memo[key];
  const entries = Object.entries({ ...memo, [key]: result }).slice(-MAX_ENTRIES);
  await writeFileAtomically(file, `${JSON.stringify(Object.fromEntries(entries))}\n`, 0o600);
}
