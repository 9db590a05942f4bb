import { AuthError } from "../../core/auth/index.js";
import { claimRows } from "../../core/claims/index.js";
import type { CliIo } from "../cli-io.js";
import { accountJson } from "../format.js";
import { activateAccount, authServiceFor, chooseProfile, warnAboutStorage, type ProfileOptions } from "../session.js";

export interface WhoamiOptions extends ProfileOptions {
  json?: boolean;
}

export async function whoamiCommand(io: CliIo, options: WhoamiOptions): Promise<void> {
  const profile = await chooseProfile(io, options);
  const auth = await authServiceFor(io, profile);
  const account = await activateAccount(io, auth, options.account);
  if (!account) {
    throw new AuthError("interactionRequired", `No account is signed in to ${profile.displayName}.`,
      "Run `entra-tray login` to sign in.");
  }
  await warnAboutStorage(io);
  const idTokenClaims = (await auth.idTokenClaims(account)) ?? {};
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ account: accountJson(account), idTokenClaims }, null, 2)}\n`);
    return;
  }
  const rows = claimRows(idTokenClaims, { now: new Date() });
  const width = Math.max(0, ...rows.map((row) => `${row.label} (${row.key})`.length));
  io.stdout.write(`${profile.displayName}: ${account.username}\n`);
  for (const row of rows) {
    const name = row.label === row.key ? row.key : `${row.label} (${row.key})`;
    io.stdout.write(`  ${name.padEnd(width)}  ${row.value}\n`);
  }
}
