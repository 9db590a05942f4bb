import { AuthError, withStorageProblem } from "../../app/errors.js";
import type { CliIo } from "../cli-io.js";
import { askAgent } from "../agent-client.js";
import { accountJson } from "../format.js";
import { profileSelector, warnAboutStorage, type ProfileOptions } from "../options.js";

export interface WhoamiOptions extends ProfileOptions {
  json?: boolean;
}

export async function whoamiCommand(io: CliIo, options: WhoamiOptions): Promise<void> {
  const answer = await askAgent(io, { op: "whoami", ...profileSelector(options) });
  if (answer && !answer.ok) throw answer.error;
  const { displayName, account, idTokenClaims, rows, storage } = answer?.result ?? await (await import("./whoami-direct.js")).directWhoami(io, options);
  if (!account) {
    throw withStorageProblem(new AuthError("interactionRequired", `No account is signed in to ${displayName}.`, "Run `entra-tray login` to sign in."), storage);
  }
  warnAboutStorage(io, storage);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ account: accountJson(account), idTokenClaims }, null, 2)}\n`);
    return;
  }
  const width = Math.max(0, ...rows.map((row) => `${row.label} (${row.key})`.length));
  io.stdout.write(`${displayName}: ${account.username}\n`);
  for (const row of rows) {
    const name = row.label === row.key ? row.key : `${row.label} (${row.key})`;
    io.stdout.write(`  ${name.padEnd(width)}  ${row.value}\n`);
  }
}
