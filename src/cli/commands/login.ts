import type { AccountSummary, ProfileSession } from "../../app/index.js";
import { browserNotices } from "../browser-notices.js";
import type { CliIo } from "../cli-io.js";
import { appContext, openSession } from "../context.js";
import { scopeList, warnAboutStorage, type ProfileOptions } from "../options.js";

export interface LoginOptions extends ProfileOptions {
  deviceCode?: boolean;
  selectAccount?: boolean;
  loginHint?: string;
  timeout: number;
}

export async function loginCommand(io: CliIo, options: LoginOptions): Promise<void> {
  const session = await openSession(io, options);
  const account = await signIn(io, session, options);
  io.stderr.write(`Signed in to ${session.profile.displayName} as ${account.username}.\n`);
  // Without a keyring this sign-in ends with this process: say so now rather than at the next command.
  warnAboutStorage(io, await appContext(io).storage());
}

function signIn(io: CliIo, session: ProfileSession, options: LoginOptions): Promise<AccountSummary> {
  const scopes = scopeList(options.scopes);
  const common = { timeoutMs: options.timeout * 1000, signal: io.signal, ...(scopes && { scopes }) };
  if (options.deviceCode) {
    return session.signInWithDeviceCode({ ...common, onCode: ({ message }) => io.stderr.write(`${message}\n`) });
  }
  return session.signIn({
    ...common,
    ...browserNotices(io, session.profile.displayName),
    ...(options.selectAccount && { selectAccount: true }),
    ...(options.loginHint !== undefined && { loginHint: options.loginHint }),
  });
}
