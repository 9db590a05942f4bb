import type { CliIo } from "../cli-io.js";
import { authServiceFor, chooseProfile, type ProfileOptions } from "../session.js";

export interface LogoutOptions extends ProfileOptions {
  browser: boolean;
}

export async function logoutCommand(io: CliIo, options: LogoutOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  await auth.loadAccounts();
  const account = auth.activeAccount;
  if (!account) {
    io.stderr.write(`No account is signed in to ${profile.displayName}; nothing to sign out.\n`);
    return;
  }
  const { logoutUrl, warning } = await auth.signOut({ account, openBrowser: options.browser });
  io.stderr.write(`Signed out of ${profile.displayName} as ${account.username}.\n`);
  if (warning) io.stderr.write(`entra-tray: ${warning}\n`);
  // Asked for with --no-browser: the user opens it where the identity provider's browser session lives.
  if (!options.browser && logoutUrl) io.stdout.write(`${logoutUrl}\n`);
}
