import type { CliIo } from "../cli-io.js";
import { openSession } from "../context.js";
import type { ProfileOptions } from "../options.js";

export interface LogoutOptions extends ProfileOptions {
  browser: boolean;
  all?: boolean;
}

export async function logoutCommand(io: CliIo, options: LogoutOptions): Promise<void> {
  const session = await openSession(io, options);
  const active = await session.useAccount(options.account);
  const accounts = options.all ? await session.accounts() : active ? [active] : [];
  const { displayName } = session.profile;
  if (accounts.length === 0) {
    io.stderr.write(`No account is signed in to ${displayName}; nothing to sign out.\n`);
    return;
  }
  for (const account of accounts) {
    const [{ logoutUrl, warning } = {}] = await session.signOut({ account, openBrowser: options.browser });
    io.stderr.write(`Signed out of ${displayName} as ${account.username}.\n`);
    if (warning) io.stderr.write(`entra-tray: ${warning}\n`);
    // Asked for with --no-browser: the user opens it where the identity provider's browser session lives.
    if (!options.browser && logoutUrl) io.stdout.write(`${logoutUrl}\n`);
  }
}
