import type { CliIo } from "../cli-io.js";
import { authServiceFor, chooseProfile, tokenCacheStore, type ProfileOptions } from "../session.js";

export interface LoginOptions extends ProfileOptions {
  deviceCode?: boolean;
  selectAccount?: boolean;
  loginHint?: string;
  timeout: number;
}

export async function loginCommand(io: CliIo, options: LoginOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  const timeoutMs = options.timeout * 1000;
  const account = options.deviceCode
    ? await auth.signInWithDeviceCode({ onCode: ({ message }) => io.stderr.write(`${message}\n`), timeoutMs, signal: io.signal })
    : await (io.stderr.write(`Opening the browser to sign in to ${profile.displayName}...\n`), auth.signIn({
      timeoutMs,
      signal: io.signal,
      ...(options.selectAccount && { selectAccount: true }),
      ...(options.loginHint !== undefined && { loginHint: options.loginHint }),
    }));
  io.stderr.write(`Signed in to ${profile.displayName} as ${account.username}.\n`);
  // Without a keyring this sign-in ends with this process: say so now rather than at the next command.
  const { persistent, warning, problem } = (await tokenCacheStore(io)).status;
  if (!persistent) io.stderr.write(`entra-tray: warning: ${warning ?? ""} ${problem ? `${problem.message} ${problem.action}` : ""}\n`);
}
