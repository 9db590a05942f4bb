/*
 * The config file, `config.json` in appHome() (ENTRA_TRAY_HOME, or the app's userData folder):
 *
 *   {
 *     "defaultProfile": "work",                          optional: used when no profile is named; without it a
 *                                                        file with a single profile uses that one
 *     "allowPlaintextCache": false,                      optional: when no OS keyring is usable, keep tokens in a
 *                                                        0600 file instead of in memory only (a visible warning)
 *     "profiles": {
 *       "work": {                                        name: letters, digits, ".", "_", "-"
 *         "displayName": "Contoso (work)",               optional, defaults to the name
 *         "authority": "https://contoso.ciamlogin.com/", required: External ID (https://<sub>.ciamlogin.com/[tenant],
 *                                                        or just "<sub>"), Entra ID (https://login.microsoftonline.com/
 *                                                        <tenant> or any Microsoft cloud's host MSAL knows), or any
 *                                                        https OpenID issuer
 *         "tenantType": "external",                      optional: the authority is an External ID tenant's custom
 *                                                        URL domain (https://login.contoso.com/<tenant id>); not
 *                                                        needed for *.ciamlogin.com
 *         "clientId": "<application id>",                required; a GUID for External ID and Entra ID
 *         "scopes": ["User.Read"],                       optional: Entra kinds default to ["User.Read"]; a generic
 *                                                        OpenID Provider defaults to [] (MSAL always adds openid,
 *                                                        profile and offline_access, so the access token is the
 *                                                        provider's own, good for its userinfo endpoint; name an
 *                                                        API's scopes to get a token for that API)
 *         "graphUrl": "https://graph.microsoft.com/v1.0", optional: Entra kinds default to their cloud's Graph
 *                                                        (global, US Gov, China); a generic provider, and a Microsoft
 *                                                        cloud whose Graph is not known, have none unless given (then
 *                                                        the app shows ID-token claims only)
 *         "caFile": "certs/idp-ca.pem"                   optional: PEM CA certificate to trust for this provider;
 *                                                        relative paths start at this file's folder
 *       }
 *     }
 *   }
 *
 * Unknown keys are errors (a typo such as "clientID" would otherwise be silently ignored).
 */
import { z } from "zod";
import { isGuid, parseAuthority } from "./authority.js";
import { ConfigError } from "../errors/config-error.js";
import type { Authority } from "./profile.js";
import { fixFor, placeholderProblem } from "./placeholders.js";

const SCOPE_NAME = /^[a-z0-9][\w.:-]*$/i;
const APP_SCOPE = /^([0-9a-f-]{36})\/[\w.:-]+$/i;
export const PROFILE_NAME = /^[a-z0-9][\w.-]*$/i;

/** What each key holds, for messages about a missing or mistyped value. */
const FIELD_HINTS: Record<string, string> = {
  defaultProfile: "the name of one of your profiles",
  allowPlaintextCache: "true or false",
  profiles: 'an object of named profiles, e.g. {"work": {"authority": "https://contoso.ciamlogin.com/", "clientId": "<application id>"}}',
  displayName: 'a label such as "Contoso (work)"',
  authority: 'the sign-in URL, e.g. "https://contoso.ciamlogin.com/" or "https://login.microsoftonline.com/<tenant id>"',
  tenantType: '"external" when the authority is an Entra External ID tenant\'s custom URL domain (leave it out otherwise)',
  clientId: "the Application (client) ID from the app registration's Overview page",
  scopes: 'a list such as ["User.Read"]',
  graphUrl: 'the Graph base URL, e.g. "https://graph.microsoft.com/v1.0"',
  caFile: "the path of the PEM certificate of the CA that issued the identity provider's TLS certificate",
};

/** Records a problem as one sentence about the field (`label value problem.`) plus what to do. */
function report(ctx: z.RefinementCtx, label: string, value: string, problem: string, action: string, path?: PropertyKey[]): void {
  ctx.addIssue({ code: "custom", message: `${label} ${JSON.stringify(value)} ${problem}.`, params: { action }, path });
}

const text = (key: string) =>
  z.string().trim().min(1).superRefine((value, ctx) => {
    const placeholder = placeholderProblem(value);
    if (placeholder) report(ctx, key, value, placeholder, fixFor(key));
  });

const httpsUrl = (key: string) =>
  text(key).transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url?.protocol === "https:" && !url.search && !url.hash) return url.href.replace(/\/+$/, "");
    report(ctx, key, value, "is not an https URL without query or fragment", `Set "${key}" to ${FIELD_HINTS[key]}.`);
    return z.NEVER;
  });

const COPY_SCOPE = "Copy the scope exactly as the API registration's \"Expose an API\" page shows it.";

/** One scope in the forms Entra and OpenID Providers accept; null when it is fine. */
function scopeProblem(scope: string): [problem: string, action: string] | null {
  const asList = () => `Write each scope as its own entry: ${JSON.stringify(scope.split(/[\s,]+/).filter(Boolean))} (on the command line, separate scopes with spaces).`;
  if (!scope.trim()) return ["is empty", "Remove the empty entry."];
  if (scope.includes(",")) return ["looks like a comma-separated list, but each entry holds one scope", asList()];
  if (/\s/.test(scope)) return ["contains whitespace, which OAuth uses to separate scopes", asList()];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(scope)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== "api" && scheme !== "https") {
      return [`uses "${scheme}://", but scope URIs start with api:// or https://`, COPY_SCOPE];
    }
    const url = URL.canParse(scope) ? new URL(scope) : undefined;
    if (!url?.host) return ["is not a complete scope URI: it names no host", COPY_SCOPE];
    if (url.pathname.length > 1) return null;
    return ["names no permission after the application ID URI", `Append the scope name, e.g. ${scope.replace(/\/+$/, "")}/access_as_user, or /.default for every permission the app was granted.`];
  }
  if (SCOPE_NAME.test(scope) || (APP_SCOPE.test(scope) && isGuid(APP_SCOPE.exec(scope)?.[1] ?? ""))) return null;
  return [
    "is not a scope name, a scope URI (api://... or https://...), or <application id>/<name>",
    "Use a scope such as User.Read, offline_access, api://<application id>/<name>, https://graph.microsoft.com/.default or <application id>/.default.",
  ];
}

const scopes = z.array(z.string()).superRefine((list, ctx) => {
  list.forEach((scope, index) => {
    const placeholder = placeholderProblem(scope);
    const problem = placeholder ? ([placeholder, fixFor("scopes")] as const) : scopeProblem(scope);
    if (problem) report(ctx, `scopes[${index}]`, scope, ...problem, [index]);
  });
});

const profileShape = {
  displayName: text("displayName").optional(),
  authority: text("authority"),
  tenantType: z.literal("external").optional(),
  clientId: text("clientId"),
  scopes: scopes.optional(),
  graphUrl: httpsUrl("graphUrl").optional(),
  caFile: text("caFile").optional(),
};

const profileSchema = z.strictObject(profileShape).transform((raw, ctx) => {
  const { tenantType, ...profile } = raw;
  let authority: Authority;
  try {
    authority = parseAuthority(profile.authority, tenantType ? { tenantType } : {});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message, params: { action: error.action }, path: ["authority"] });
    return z.NEVER;
  }
  const { clientId } = profile;
  if (authority.kind !== "oidc" && !isGuid(clientId)) {
    report(ctx, "clientId", clientId, "is not a GUID, which every Microsoft Entra application ID is", fixFor("clientId"), ["clientId"]);
  } else if (/\s/.test(clientId)) {
    report(ctx, "clientId", clientId, "contains whitespace", "Paste the client ID the provider issued, without spaces.", ["clientId"]);
  }
  return { ...profile, authority };
});

const configShape = {
  defaultProfile: text("defaultProfile").optional(),
  allowPlaintextCache: z.boolean().optional(),
  // Profiles are checked one by one when used, so one broken profile does not lock the user out of the others.
  profiles: z.record(z.string().regex(PROFILE_NAME), z.unknown()),
};
const configSchema = z.strictObject(configShape);

/** A profile as written in the config file, given on the command line, or built in (e.g. the demo IdP's). */
export type RawProfile = z.input<typeof profileSchema>;
/** A profile whose fields are valid; defaults and the CA file are applied when it is resolved. */
export type ParsedProfile = z.output<typeof profileSchema>;
export type ParsedConfig = z.output<typeof configSchema>;


/**
 * Validates a config file's outer shape; each profile is validated by parseProfile when it is used, so no issue here
 * is inside a profile (a profile name's is about the file). Throws ConfigError.
 */
export function parseConfigFile(json: unknown, file: string): ParsedConfig {
  const result = configSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  return fail(file, issue, issue.path, valueAt(json, issue.path), Object.keys(configShape));
}

/** Validates one profile that does not come from the file; `where` names it, e.g. `Built-in profile "demo"`. */
export function parseProfile(raw: unknown, where: string): ParsedProfile {
  const result = profileSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = firstIssue(result.error);
  return fail(where, issue, issue.path, valueAt(raw, issue.path), Object.keys(profileShape));
}

/** The issue to report: an unknown key first, since a misspelt key also shows up as a missing one. */
const firstIssue = (error: z.ZodError): z.core.$ZodIssue =>
  error.issues.find((issue) => issue.code === "unrecognized_keys") ?? (error.issues[0] as z.core.$ZodIssue);

function fail(where: string, issue: z.core.$ZodIssue, path: PropertyKey[], value: unknown, keys: string[]): never {
  const [problem, action] = describe(issue, path, value, keys);
  const field = typeof path[0] === "string" ? path[0] : undefined;
  throw new ConfigError(`${where}: ${problem}`, action, field === undefined ? {} : { field });
}

/** zod's issue as [problem sentence naming the field, action]; our own checks already wrote both. */
function describe(issue: z.core.$ZodIssue, path: PropertyKey[], value: unknown, keys: string[]): [string, string] {
  const label = path.map((part, i) => (typeof part === "number" ? `[${part}]` : i ? `.${String(part)}` : String(part))).join("");
  const key = String(path[0] ?? "");
  switch (issue.code) {
    case "custom":
      return [issue.message, String(issue.params?.action)];
    case "unrecognized_keys": {
      const unknown = issue.keys[0] as string;
      const known = suggestKey(unknown, keys);
      return known
        ? [`unknown key ${JSON.stringify(unknown)}; did you mean ${JSON.stringify(known)}?`, `Rename ${JSON.stringify(unknown)} to ${JSON.stringify(known)} (keys are case-sensitive).`]
        : [`unknown key ${JSON.stringify(unknown)}.`, `Remove it; the keys allowed here are ${keys.join(", ")}.`];
    }
    case "invalid_key":
      return [`profile name ${JSON.stringify(path[1])} may contain only letters, digits, ".", "_" and "-".`,
        `Rename it, e.g. ${JSON.stringify(String(path[1]).replace(/[^\w.-]+/g, "-").replace(/^[^a-z0-9]+/i, ""))}.`];
    case "too_small":
      return [`${label} is empty.`, `Set "${key}" to ${FIELD_HINTS[key]}, or remove it if it is optional.`];
    case "invalid_type":
      if (!path.length && keys.includes("profiles")) return [`the file must hold a JSON object, not ${kindOf(value)}.`, 'Start from {"profiles": {}} and add your profiles inside.'];
      if (!path.length) return [`the profile must be an object, not ${kindOf(value)}.`, `Write it as {"authority": "...", "clientId": "..."}.`];
      if (value === undefined) return [`${label} is missing.`, `Add "${key}" with ${FIELD_HINTS[key]}.`];
      if (key === "scopes" && typeof value === "string") {
        return [`scopes must be a JSON list, not a string.`, `Write it as ${JSON.stringify(value.split(/[\s,]+/).filter(Boolean))}.`];
      }
      return [`${label} must be ${expectedKind(issue.expected)}, not ${kindOf(value)}.`, `Set "${key}" to ${FIELD_HINTS[key]}.`];
    default:
      return [`${label}: ${issue.message}.`, `Set "${key}" to ${FIELD_HINTS[key]}.`];
  }
}

const kindOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`);
/** zod's expected type in the words of kindOf (JSON's names: an object, a list). */
const expectedKind = (expected: string): string => (expected === "record" ? "an object" : expected === "array" ? "a list" : `a ${expected}`);

const normalize = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "").replace(/s$/, "");
/** Common names for our keys in other tools' configs. */
const ALIASES: Record<string, string> = { issuer: "authority", appid: "clientId", applicationid: "clientId", name: "displayName" };

/** The key a typo most likely meant: same letters ignoring case, separators and a plural s, or a known alias. */
function suggestKey(unknown: string, keys: string[]): string | undefined {
  const wanted = normalize(unknown);
  return keys.find((key) => normalize(key) === wanted) ?? (keys.includes(ALIASES[wanted] ?? "") ? ALIASES[wanted] : undefined);
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined), root);
}
