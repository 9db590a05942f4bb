import { isAuthError } from "../../app/errors.js";
import type { ProfileSession } from "../../app/index.js";
import { browserNotices } from "../browser-notices.js";
import type { CliIo } from "../cli-io.js";
import { openSession } from "../context.js";
import type { PrintedToken } from "../format.js";
import { scopeList, warnAboutStorage } from "../options.js";
import { maySignIn, type TokenOptions } from "./token.js";

/** The token from this process: the token cache through MSAL, signing in first when needed and possible. */
export async function directToken(io: CliIo, options: TokenOptions): Promise<PrintedToken> {
  const session = await openSession(io, options);
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
    if (!isAuthError(error) || !maySignIn(io, options, error)) throw error;
    return signInFor(io, session, options, request);
  }
}

async function signInFor(io: CliIo, session: ProfileSession, options: TokenOptions, request: Parameters<ProfileSession["currentToken"]>[0]): Promise<PrintedToken> {
  const loginHint = session.state.account?.username;
  await session.signIn({
    ...browserNotices(io, session.profile.displayName),
    signal: io.signal,
    timeoutMs: options.timeout * 1000,
    ...(request?.scopes && { scopes: request.scopes }),
    // --account: a sign-in as anyone else must not hand out their token.
    ...(options.account !== undefined ? { forAccount: options.account } : loginHint !== undefined && { loginHint }),
  });
  // As after `login`: a sign-in kept in memory only ends with this process, which the next command would not explain.
  warnAboutStorage(io, await session.storage());
  return session.currentToken(request);
}
