import { AuthError, ConfigError, isAuthError, type ProfileSession, type TokenResult } from "../../app/index.js";
import type { CliIo } from "../cli-io.js";
import { formatToken } from "../format.js";
import { browserAvailable, openSession, scopeList, type ProfileOptions } from "../context.js";

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
  const session = await openSession(io, options);
  const result = await tokenSigningInIfNeeded(io, session, options);
  if (result.warning) io.stderr.write(`entra-tray: ${result.warning}\n`);
  io.stdout.write(`${formatToken(result, options.json ? "json" : options.header ? "header" : "plain")}\n`);
}

/** Like `gh` and `az`, a missing or expired sign-in is fixed in the browser when a person is there to use it. */
async function tokenSigningInIfNeeded(io: CliIo, session: ProfileSession, options: TokenOptions): Promise<TokenResult> {
  const scopes = scopeList(options.scopes);
  const request = {
    minValiditySec: options.minValid,
    ...(scopes && { scopes }),
    ...(options.pop && options.url !== undefined && {
      pop: { method: options.method, url: options.url, ...(options.shrNonce !== undefined && { shrNonce: options.shrNonce }) },
    }),
  };
  try {
    await session.useAccount(options.account);
    return await session.currentToken(request);
  } catch (error) {
    if (!isAuthError(error) || error.kind !== "interactionRequired") throw error;
    if (!options.interactive || !browserAvailable(io)) {
      throw new AuthError(error.kind, error.message,
        "Run `entra-tray login` with the same profile and scopes (`login --device-code` where no browser can open), then try again.",
        { cause: error });
    }
    const loginHint = options.account ?? session.state.account?.username;
    io.stderr.write(`Opening the browser to sign in to ${session.profile.displayName}...\n`);
    await session.signIn({
      signal: io.signal,
      timeoutMs: options.timeout * 1000,
      ...(scopes && { scopes }),
      ...(loginHint !== undefined && { loginHint }),
    });
    return session.currentToken(request);
  }
}
