import { isAuthError, type AuthService, type TokenResult } from "../../core/auth/index.js";
import type { CliIo } from "../cli-io.js";
import { formatToken } from "../format.js";
import { authServiceFor, browserAvailable, chooseProfile, scopeList, type ProfileOptions } from "../session.js";

export interface TokenOptions extends ProfileOptions {
  minValid: number;
  json?: boolean;
  header?: boolean;
  interactive: boolean;
}

export async function tokenCommand(io: CliIo, options: TokenOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = authServiceFor(io, profile);
  await auth.loadAccounts();
  const result = await tokenSigningInIfNeeded(io, auth, options);
  if (result.warning) io.stderr.write(`entra-tray: ${result.warning}\n`);
  io.stdout.write(`${formatToken(result, options.json ? "json" : options.header ? "header" : "plain")}\n`);
}

/** Like `gh` and `az`, a missing or expired sign-in is fixed in the browser when a person is there to use it. */
async function tokenSigningInIfNeeded(io: CliIo, auth: AuthService, options: TokenOptions): Promise<TokenResult> {
  const request = { scopes: scopeList(options.scopes), minValiditySec: options.minValid };
  try {
    return await auth.getToken(request);
  } catch (error) {
    if (!isAuthError(error) || error.kind !== "interactionRequired" || !options.interactive || !browserAvailable(io)) {
      throw error;
    }
    const loginHint = auth.activeAccount?.username;
    io.stderr.write(`Opening the browser to sign in to ${auth.profile.displayName}...\n`);
    await auth.signIn({ signal: io.signal, ...(loginHint !== undefined && { loginHint }) });
    return auth.getToken(request);
  }
}
