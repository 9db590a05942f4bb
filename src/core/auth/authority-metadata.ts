import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Keeps an identity provider's OpenID endpoints between runs, keyed by authority URL. MSAL fetches the discovery
 * document before every call of a new process, even one answered from its token cache; handed back through
 * `auth.authorityMetadata`, it is not fetched at all. The JSON is public data, not a secret.
 */
export interface AuthorityMetadataStore {
  /** The JSON saved for `key`, or undefined when there is none. */
  load(key: string): string | undefined;
  save(key: string, json: string): void;
  remove(key: string): void;
}

/** The part of a discovery document that MSAL reads (OpenIdConfigResponse), and the logout endpoint. */
export interface AuthorityEndpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

const REQUIRED = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"] as const;

const isHttpsUrl = (value: unknown): value is string => {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
};

/**
 * The endpoints of a discovery document, or undefined when one MSAL needs is missing or not an https URL.
 * MSAL checks nothing in metadata it is given, so a document is checked here before it is kept or handed over.
 */
export function authorityEndpoints(document: unknown): AuthorityEndpoints | undefined {
  if (typeof document !== "object" || document === null) return undefined;
  if (!REQUIRED.every((name) => isHttpsUrl((document as Record<string, unknown>)[name]))) return undefined;
  const { issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint } = document as AuthorityEndpoints;
  return {
    issuer, authorization_endpoint, token_endpoint, jwks_uri,
    ...(isHttpsUrl(end_session_endpoint) ? { end_session_endpoint } : {}),
  };
}

/** `<home>/authority-metadata/<sha256 of the authority URL>.json`, each replaced whole (write, then rename). */
export function fileAuthorityMetadataStore(home: string): AuthorityMetadataStore {
  const dir = join(home, "authority-metadata");
  const fileFor = (key: string) => join(dir, `${createHash("sha256").update(key).digest("hex")}.json`);
  return {
    load(key) {
      try {
        return readFileSync(fileFor(key), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    save(key, json) {
      mkdirSync(dir, { recursive: true });
      const file = fileFor(key);
      // Readers in other processes see the old file or the new one, never half of it.
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      try {
        writeFileSync(temporary, json);
        renameSync(temporary, file);
      } finally {
        rmSync(temporary, { force: true });
      }
    },
    remove(key) {
      rmSync(fileFor(key), { force: true });
    },
  };
}
