import { AuthError } from "../../app/index.js";
import type { CliIo } from "../cli-io.js";
import { accountJson } from "../format.js";
import { openSession, warnAboutStorage, type ProfileOptions } from "../context.js";

export interface WhoamiOptions extends ProfileOptions {
  json?: boolean;
}

export async function whoamiCommand(io: CliIo, options: WhoamiOptions): Promise<void> {
  const session = await openSession(io, options);
  const { displayName } = session.profile;
  const account = await session.useAccount(options.account);
  if (!account) {
    throw new AuthError("interactionRequired", `No account is signed in to ${displayName}.`, "Run `entra-tray login` to sign in.");
  }
  await warnAboutStorage(io);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ account: accountJson(account), idTokenClaims: await session.idTokenClaims() }, null, 2)}\n`);
    return;
  }
  const rows = await session.idTokenClaimRows();
  const width = Math.max(0, ...rows.map((row) => `${row.label} (${row.key})`.length));
  io.stdout.write(`${displayName}: ${account.username}\n`);
  for (const row of rows) {
    const name = row.label === row.key ? row.key : `${row.label} (${row.key})`;
    io.stdout.write(`  ${name.padEnd(width)}  ${row.value}\n`);
  }
}
