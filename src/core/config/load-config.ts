import { X509Certificate } from "node:crypto";
import { constants } from "node:fs";
import { open, readFile, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { ParseError } from "jsonc-parser";
import { configFilePath } from "./app-home.js";
import { defaultGraphUrl } from "./authority.js";
import { ConfigError } from "../errors/config-error.js";
import { profileWhere, type Profile } from "./profile.js";
import { checkConfigFile, checkProfile } from "./checked-parse.js";
import type { ParsedConfig, ParsedProfile, RawProfile } from "./profile-schema.js";

export interface ProfileSources {
  /** The app home (appHome()); its config.json holds the user's profiles. */
  home: string;
  /** Profiles that exist without a config file, e.g. `demo` from the demo IdP; a file profile of the same name wins. */
  builtins?: Record<string, RawProfile>;
}

export interface ProfileRequest extends ProfileSources {
  /** The profile to use; else the file's defaultProfile, else the file's only profile. */
  name?: string;
  /** An ad-hoc profile (an authority and client ID given directly): used instead of a named one. */
  adhoc?: RawProfile;
}

/** The `name` of the profile built from command-line flags. */
export const ADHOC_PROFILE_NAME = "adhoc";
const ADHOC_WHERE = "The profile given on the command line";
const builtinWhere = (name: string): string => `Built-in profile ${JSON.stringify(name)}`;
const q = (value: string): string => JSON.stringify(value);

/** Picks, validates and resolves one profile (defaults applied, caFile checked). Throws ConfigError. */
export async function loadProfile({ home, name, adhoc, builtins = {} }: ProfileRequest): Promise<Profile> {
  if (adhoc) {
    if (name !== undefined) {
      throw new ConfigError(`Both profile ${q(name)} and an ad-hoc profile (an authority and a client ID) were given.`,
        "Use either the named profile or the ad-hoc one, not both.");
    }
    return resolve(ADHOC_PROFILE_NAME, await checkProfile(home, adhoc, ADHOC_WHERE), process.cwd(), ADHOC_WHERE);
  }
  const file = configFilePath(home);
  const config = await readConfig(home, file);
  const inFile = config?.profiles ?? {};
  const available = [...Object.keys(inFile), ...Object.keys(builtins).filter((key) => !Object.hasOwn(inFile, key))];
  const choices = available.join(", ");

  const chosen = name ?? config?.defaultProfile ?? onlyKey(inFile);
  if (chosen === undefined) {
    if (!config) {
      const [demo] = Object.keys(builtins);
      throw new ConfigError(`No profile was named and there is no config file at ${file}.`,
        demo ? `Use the built-in ${q(demo)} profile, or create ${file} with your own profiles.`
          : `Create ${file} with your profiles, or start the demo identity provider and use its profile.`,
        { remedy: { kind: "createConfig", file, ...(demo !== undefined && { demoProfile: demo }) } });
    }
    if (!available.length) {
      throw new ConfigError(`No profile was named and ${file} has no "defaultProfile" to fall back on.`, `Add a profile under "profiles" in ${file}.`);
    }
    throw new ConfigError(`No profile was named and ${file} has no "defaultProfile" to fall back on.`,
      `Choose one of these profiles: ${choices}; or set "defaultProfile" in the file.`, { remedy: { kind: "chooseProfile", choices: available } });
  }
  if (Object.hasOwn(inFile, chosen)) {
    const where = profileWhere(chosen, file);
    return resolve(chosen, await checkProfile(home, inFile[chosen], where), path.dirname(file), where);
  }
  if (Object.hasOwn(builtins, chosen)) {
    return resolve(chosen, await checkProfile(home, builtins[chosen], builtinWhere(chosen)), home, builtinWhere(chosen));
  }
  const fix = `${available.length ? `Use one of: ${choices}; or add` : "Add"} ${q(chosen)} under "profiles" in ${file}.`;
  if (name === undefined) throw new ConfigError(`${file}: defaultProfile ${q(chosen)} names no profile.`, fix);
  throw new ConfigError(`Profile ${q(chosen)} is not defined${config ? ` in ${file}` : `, and there is no config file at ${file}`}.`, fix);
}

/** The settings of config.json that are not about one profile. */
export interface AppSettings {
  /** Keep the token cache in a 0600 file when no OS keyring is usable (default false: memory only). */
  allowPlaintextCache: boolean;
}

/** The app-wide settings; defaults when there is no config file. Throws ConfigError for an unreadable or invalid file. */
export async function loadAppSettings(home: string): Promise<AppSettings> {
  const config = await readConfig(home, configFilePath(home));
  return { allowPlaintextCache: config?.allowPlaintextCache ?? false };
}

/** A profile of `loadProfiles`: resolved, or the ConfigError that says what is wrong with it. */
export type ProfileEntry = { name: string; profile: Profile } | { name: string; error: ConfigError };

/**
 * Every profile: the config file's, then the built-ins it does not override. A broken profile comes back as its
 * error, so the others stay usable; only an unreadable or malformed file throws ConfigError.
 */
export async function loadProfiles({ home, builtins = {} }: ProfileSources): Promise<ProfileEntry[]> {
  const file = configFilePath(home);
  const inFile = (await readConfig(home, file))?.profiles ?? {};
  const entry = async (name: string, raw: unknown, baseDir: string, where: string): Promise<ProfileEntry> => {
    try {
      return { name, profile: await resolve(name, await checkProfile(home, raw, where), baseDir, where) };
    } catch (error) {
      if (error instanceof ConfigError) return { name, error };
      throw error;
    }
  };
  return Promise.all([
    ...Object.entries(inFile).map(([name, raw]) => entry(name, raw, path.dirname(file), profileWhere(name, file))),
    ...Object.entries(builtins)
      .filter(([name]) => !Object.hasOwn(inFile, name))
      .map(([name, raw]) => entry(name, raw, home, builtinWhere(name))),
  ]);
}

const onlyKey = (record: object): string | undefined => {
  const keys = Object.keys(record);
  return keys.length === 1 ? keys[0] : undefined;
};

/** Applies the defaults of the authority's kind and checks the CA file; relative paths start at `baseDir`. */
async function resolve(name: string, parsed: ParsedProfile, baseDir: string, where: string): Promise<Profile> {
  const { authority, caFile } = parsed;
  const graphUrl = parsed.graphUrl ?? defaultGraphUrl(authority);
  return {
    name,
    // An ad-hoc profile is best named by what it signs in to.
    displayName: parsed.displayName ?? (name === ADHOC_PROFILE_NAME ? authority.knownAuthority : name),
    authority,
    clientId: parsed.clientId,
    scopes: parsed.scopes ?? (authority.kind === "oidc" ? [] : ["User.Read"]),
    ...(graphUrl !== undefined && { graphUrl }),
    ...(caFile !== undefined && { caFile: await checkCaFile(caFile, path.resolve(baseDir, caFile), where) }),
    // Ad-hoc profiles share a name, so their section is named by what they sign in to.
    cacheSection: name === ADHOC_PROFILE_NAME ? `${ADHOC_PROFILE_NAME} ${authority.url} ${parsed.clientId}` : name,
  };
}

async function checkCaFile(written: string, file: string, where: string): Promise<string> {
  const field = `caFile ${q(written)}${written === file ? "" : ` (${file})`}`;
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") {
      throw new ConfigError(`${where}: ${field} does not exist.`,
        "Point caFile at the PEM certificate of the CA that issued the identity provider's TLS certificate; relative paths start at the config file's folder.", { cause: error });
    }
    throw unreadable(`${where}: ${field} cannot be read`, file, error);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----") || !parsesAsCertificate(pem)) {
    throw new ConfigError(`${where}: ${field} is not a PEM certificate.`,
      "Use the CA certificate in PEM form (text that starts with -----BEGIN CERTIFICATE-----); convert a DER file with `openssl x509 -inform der -in ca.cer -out ca.pem`.");
  }
  return file;
}

function parsesAsCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** A config file is a few kilobytes; one far larger is not one, and is neither read whole nor echoed. */
const CONFIG_MAX_BYTES = 1024 * 1024;
/** Profiles nest four levels deep; the parser recurses per level, so a file nested thousands deep overflows its stack. */
const CONFIG_MAX_DEPTH = 64;

/** The parsed config file, or undefined when there is none. Throws ConfigError when it is unreadable or invalid. */
async function readConfig(home: string, file: string): Promise<ParsedConfig | undefined> {
  return (await readConfigSource(home, file))?.config;
}

/** The config file as written (no byte-order mark) and parsed, or undefined when there is none. Throws ConfigError. */
export async function readConfigSource(home: string, file: string): Promise<{ source: string; config: ParsedConfig } | undefined> {
  const text = await readConfigText(file);
  if (text === undefined) return undefined;
  const source = text.replace(/^\uFEFF/, ""); // a byte-order mark, as editors on Windows may write
  const tooDeep = offsetTooDeep(source);
  if (tooDeep !== undefined) {
    throw new ConfigError(`The config file ${file} nests objects or arrays more than ${CONFIG_MAX_DEPTH} deep (at ${lineAndColumn(source, tooDeep)}).`,
      `Check that ${file} is entra-tray's configuration: its profiles nest only a few levels.`);
  }
  return { source, config: await checkConfigFile(home, parseJson(source) ?? (await parseWithErrors(file, source)), file) };
}

/** The value of strict JSON, or undefined for text JSON.parse refuses (and the JSON text `null`, which the schema refuses too). */
function parseJson(source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Text JSON.parse refused, parsed again to say where the mistake is: jsonc-parser reports an offset for every kind
 * of mistake, JSON.parse omits it for some (Node 20). Loaded only then, as valid files are the rule.
 */
async function parseWithErrors(file: string, source: string): Promise<unknown> {
  const { parse } = await import("jsonc-parser");
  const errors: ParseError[] = [];
  const json: unknown = parse(source, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors[0]) throw await invalidJson(file, source, errors[0]);
  return json;
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** The file's text; undefined when there is none. Only a regular file of at most CONFIG_MAX_BYTES is read. */
async function readConfigText(file: string): Promise<string | undefined> {
  const what = `The config file ${file} cannot be read`;
  let handle: FileHandle;
  try {
    // Without O_NONBLOCK, opening a FIFO waits for a writer, forever; fstat below then says what the file is.
    handle = await open(file, process.platform === "win32" ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    // A socket cannot be opened at all (ENXIO on Linux; EOPNOTSUPP on macOS, an errno Node does not even name).
    if ((await stat(file).catch(() => undefined))?.isSocket()) throw notARegularFile(file, "a socket");
    throw unreadable(what, file, error);
  }
  try {
    const stats = await handle.stat();
    // Opening a folder succeeds on Linux; reading it is what fails.
    if (stats.isDirectory()) throw unreadable(what, file, undefined, "EISDIR");
    // Past open, what is neither a file, a folder nor a FIFO is a device (a socket cannot be opened).
    if (!stats.isFile()) throw notARegularFile(file, stats.isFIFO() ? "a named pipe (FIFO)" : "a device");
    if (stats.size > CONFIG_MAX_BYTES) {
      throw new ConfigError(`The config file ${file} is ${(stats.size / CONFIG_MAX_BYTES).toFixed(1)} MiB, more than the 1 MiB a config file may have.`,
        `Check that ${file} is entra-tray's configuration: its profiles take a few kilobytes.`);
    }
    return await handle.readFile("utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw unreadable(what, file, error);
  } finally {
    await handle.close();
  }
}

const notARegularFile = (file: string, kind: string): ConfigError =>
  new ConfigError(`The config file ${file} is not a regular file (it is ${kind}).`, `Replace ${file} with a regular file that holds the JSON configuration.`);

/** Where objects and arrays first nest deeper than CONFIG_MAX_DEPTH (brackets inside strings do not count). */
function offsetTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{" || char === "[") {
      if (++depth > CONFIG_MAX_DEPTH) return i;
    } else if (char === "}" || char === "]") {
      depth--;
    }
  }
  return undefined;
}

const lineAndColumn = (text: string, offset: number): string => {
  const lines = text.slice(0, offset).split("\n");
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
};

/** A read failure as "<what>: <reason>." with the fix for that reason. */
function unreadable(what: string, file: string, error: unknown, code = errorCode(error)): ConfigError {
  const [reason, action] =
    code === "EACCES" || code === "EPERM" ? [`permission denied (${code})`, `Give your user read access to ${file} (chmod u+r, and check its owner).`]
    : code === "EISDIR" ? ["it is a folder, not a file (EISDIR)", `Move the folder ${file} out of the way and put the file there.`]
    : code === "ENOTDIR" ? ["part of its path is a file, not a folder (ENOTDIR)", `Check the folders on the way to ${file}.`]
    : [error instanceof Error ? error.message : String(error), `Check that ${file} is a readable file.`];
  return new ConfigError(`${what}: ${reason}.`, action, { cause: error });
}

/** Names the first mistake ("comma expected", ...) and where it is, as a line and column. */
async function invalidJson(file: string, text: string, { error, offset }: ParseError): Promise<ConfigError> {
  const { printParseErrorCode } = await import("jsonc-parser");
  const mistake = printParseErrorCode(error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return new ConfigError(`The config file ${file} is not valid JSON: ${mistake} at ${lineAndColumn(text, offset)}.`,
    "Fix the JSON there (often a missing or extra comma or quote; JSON allows no comments) and try again.");
}
