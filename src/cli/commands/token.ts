import { AuthError, isAuthError, type AuthService, type TokenResult } from "../../core/auth/index.js";
import { ConfigError } from "../../core/errors/config-error.js";
import type { CliIo } from "../cli-io.js";
import { formatToken } from "../format.js";
import { activateAccount, authServiceFor, browserAvailable, chooseProfile, rememberActive, scopeList, type ProfileOptions } from "../session.js";

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

export async function tokenCommand(io: CliIo, options: TokenOptions): Promise<void> {
  if (options.pop && options.url === undefined) {
    throw new ConfigError("--pop was given without --url.", "Name the request the token will sign: --pop --method GET --url https://api.example.com/items.");
  }
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  const result = await tokenSigningInIfNeeded(io, auth, options);
  if (result.warning) io.stderr.write(`entra-tray: ${result.warning}\n`);
  io.stdout.write(`${formatToken(result, options.json ? "json" : options.header ? "header" : "plain")}\n`);
}

/** Like `gh` and `az`, a missing or expired sign-in is fixed in the browser when a person is there to use it. */
async function tokenSigningInIfNeeded(io: CliIo, auth: AuthService, options: TokenOptions): Promise<TokenResult> {
  const pop = options.pop && options.url !== undefined
    ? { pop: { method: options.method, url: options.url, ...(options.shrNonce !== undefined && { shrNonce: options.shrNonce }) } }
    : {};
  const request = { scopes: scopeList(options.scopes), minValiditySec: options.minValid, ...pop };
  try {
    await activateAccount(io, auth, options.account);
    return await auth.getToken(request);
  } catch (error) {
    if (!isAuthError(error) || error.kind !== "interactionRequired") throw error;
    if (!options.interactive || !browserAvailable(io)) {
      throw new AuthError(error.kind, error.message,
        "Run `entra-tray login` with the same profile and scopes (`login --device-code` where no browser can open), then try again.",
        { cause: error });
    }
    const loginHint = options.account ?? auth.activeAccount?.username;
    io.stderr.write(`Opening the browser to sign in to ${auth.profile.displayName}...\n`);
    const account = await auth.signIn({
      signal: io.signal,
      timeoutMs: options.timeout * 1000,
      ...(request.scopes && { scopes: request.scopes }),
      ...(loginHint !== undefined && { loginHint }),
    });
    await rememberActive(io, auth, account);
    return auth.getToken(request);
  }
}
