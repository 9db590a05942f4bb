import type { AccountSummary, AuthService } from "../../core/auth/index.js";
import type { CliIo } from "../cli-io.js";
import { authServiceFor, chooseProfile, rememberActive, scopeList, warnAboutStorage, type ProfileOptions } from "../session.js";

export interface LoginOptions extends ProfileOptions {
  deviceCode?: boolean;
  selectAccount?: boolean;
  loginHint?: string;
  timeout: number;
}

export async function loginCommand(io: CliIo, options: LoginOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  const account = await signIn(io, auth, options);
  await rememberActive(io, auth, account);
  io.stderr.write(`Signed in to ${profile.displayName} as ${account.username}.\n`);
  // Without a keyring this sign-in ends with this process: say so now rather than at the next command.
  await warnAboutStorage(io);
}

function signIn(io: CliIo, auth: AuthService, options: LoginOptions): Promise<AccountSummary> {
  const scopes = scopeList(options.scopes);
  const common = { timeoutMs: options.timeout * 1000, signal: io.signal, ...(scopes && { scopes }) };
  if (options.deviceCode) {
    return auth.signInWithDeviceCode({ ...common, onCode: ({ message }) => io.stderr.write(`${message}\n`) });
  }
  io.stderr.write(`Opening the browser to sign in to ${auth.profile.displayName}...\n`);
  return auth.signIn({
    ...common,
    ...(options.selectAccount && { selectAccount: true }),
    ...(options.loginHint !== undefined && { loginHint: options.loginHint }),
  });
}
