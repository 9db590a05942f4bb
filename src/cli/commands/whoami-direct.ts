import type { WhoamiResult } from "../../app/token-service/index.js";
import type { CliIo } from "../cli-io.js";
import { openSession } from "../context.js";
import type { ProfileOptions } from "../options.js";

/** The account, its ID-token claims and where tokens are kept, read by this process from the token cache. */
export async function directWhoami(io: CliIo, options: ProfileOptions): Promise<WhoamiResult> {
  const session = await openSession(io, options);
  await session.useAccount(options.account);
  const [idTokenClaims, rows, storage] = await Promise.all([session.idTokenClaims(), session.idTokenClaimRows(), session.storage()]);
  const { account } = session.state;
  return { displayName: session.profile.displayName, ...(account && { account }), idTokenClaims, rows, storage };
}
