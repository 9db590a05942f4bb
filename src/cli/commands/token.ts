import { AuthError, ConfigError } from "../../app/errors.js";
import type { CliIo } from "../cli-io.js";
import { askAgent } from "../agent-client.js";
import { formatToken, type PrintedToken } from "../format.js";
import { browserAvailable, profileSelector, scopeList, type ProfileOptions } from "../options.js";

export interface TokenOptions extends ProfileOptions {
  minValid: number;
  json?: boolean;
  header?: boolean;
  interactive: boolean;
  timeout: number;
  pop?: boolean;
  method: string;
  url?: string;
  shrNonce?: string;
}

/** A running token service answers in about the time Node takes to start; without one, this process does the work. */
export async function tokenCommand(io: CliIo, options: TokenOptions): Promise<void> {
  if (options.pop && options.url === undefined) {
    throw new ConfigError("--pop was given without --url.", "Name the request the token will sign: --pop --method GET --url https://api.example.com/items.");
  }
  // A proof-of-possession token is bound to this request and signed by this machine's broker: never from the service
  // or the cache. Without a service, a token MSAL would take from the cache is read without loading MSAL.
  const token = (options.pop ? undefined : await tokenFromAgent(io, options) ?? await cachedToken(io, options))
    ?? await (await import("./token-direct.js")).directToken(io, options);
  if (token.warning) io.stderr.write(`entra-tray: ${token.warning}\n`);
  io.stdout.write(`${formatToken(token, options.json ? "json" : options.header ? "header" : "plain")}\n`);
}

async function tokenFromAgent(io: CliIo, options: TokenOptions): Promise<PrintedToken | undefined> {
  const scopes = scopeList(options.scopes);
  const answer = await askAgent(io, { op: "token", ...profileSelector(options), minValiditySec: options.minValid, ...(scopes && { scopes }) });
  if (!answer) return undefined;
  if (answer.ok) return { ...answer.result, expiresOn: new Date(answer.result.expiresOn) };
  // The service cannot open a browser in this terminal: this process signs in, into the cache the service follows.
  if (maySignIn(io, options, answer.error)) return undefined;
  throw answer.error;
}

async function cachedToken(io: CliIo, options: TokenOptions): Promise<PrintedToken | undefined> {
  const scopes = scopeList(options.scopes);
  const { cachedToken: fromCache } = await import("../../app/cached-token.js");
  return fromCache({ env: io.env, platform: io.platform, selector: profileSelector(options), minValiditySec: options.minValid, ...(scopes && { scopes }) });
}

/**
 * Like `gh` and `az`, a missing or expired sign-in is fixed in the browser when a person is there to use it; when
 * not, the error says how to sign in. Returns whether to sign in; throws the error made for a person otherwise.
 */
export function maySignIn(io: CliIo, options: TokenOptions, error: AuthError): boolean {
  if (error.kind !== "interactionRequired") return false;
  if (options.interactive && browserAvailable(io)) return true;
  // A remedy (sign in as the account named; make storage work) says more than the general action.
  if (error.remedy) throw error;
  throw new AuthError(error.kind, error.message,
    "Run `entra-tray login` with the same profile and scopes (`login --device-code` where no browser can open), then try again.",
    { cause: error });
}
