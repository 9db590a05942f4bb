import type { AccountSummary, AuthService } from "../../core/auth/index.js";
import type { CliIo } from "../cli-io.js";
import { activateAccount, authServiceFor, chooseProfile, forgetActive, type ProfileOptions } from "../session.js";

export interface LogoutOptions extends ProfileOptions {
  browser: boolean;
  all?: boolean;
}

export async function logoutCommand(io: CliIo, options: LogoutOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  const active = await activateAccount(io, auth, options.account);
  const accounts = options.all ? await auth.accounts() : active ? [active] : [];
  if (accounts.length === 0) {
    io.stderr.write(`No account is signed in to ${profile.displayName}; nothing to sign out.\n`);
    return;
  }
  for (const account of accounts) await signOut(io, auth, account, options.browser);
}

async function signOut(io: CliIo, auth: AuthService, account: AccountSummary, openBrowser: boolean): Promise<void> {
  const { logoutUrl, warning } = await auth.signOut({ account, openBrowser });
  await forgetActive(io, auth, account);
  io.stderr.write(`Signed out of ${auth.profile.displayName} as ${account.username}.\n`);
  if (warning) io.stderr.write(`entra-tray: ${warning}\n`);
  // Asked for with --no-browser: the user opens it where the identity provider's browser session lives.
  if (!openBrowser && logoutUrl) io.stdout.write(`${logoutUrl}\n`);
}
