import { brokenProfileState, type ProfileSession, type SessionState } from "../../app/index.js";
import type { CliIo } from "../cli-io.js";
import { appContext, openSession, type ProfileOptions } from "../context.js";

export interface StatusOptions extends ProfileOptions {
  json?: boolean;
}

/** The state of one profile: the session's own, the one the tray app shows. */
async function stateOf(opening: Promise<ProfileSession>, wanted: string | undefined): Promise<SessionState> {
  const session = await opening;
  await session.useAccount(wanted).catch(() => undefined);
  return session.state;
}

/** One profile when the flags name one, else every profile: the config file's and the built-in demo. */
export async function statusCommand(io: CliIo, options: StatusOptions): Promise<void> {
  const context = appContext(io);
  const named = options.profile !== undefined || options.authority !== undefined || options.clientId !== undefined;
  const states = named
    ? [await stateOf(openSession(io, options), options.account)]
    : await Promise.all((await context.profiles()).map((entry) => ("error" in entry
      ? Promise.resolve(brokenProfileState(entry.name, entry.error))
      : stateOf(context.openSession(entry.profile), undefined))));
  const { problem, ...storage } = await context.storage();
  if (options.json) {
    // The contract's names for the session state's fields: `state` is its status, `error` its problem.
    const profiles = states.map(({ authorityKind: _kind, status, problem: error, account, accounts, signIn, ...profile }) => ({
      ...profile,
      state: status,
      ...(account && { account }),
      accounts,
      ...(signIn && { signIn }),
      ...(error && { error }),
    }));
    io.stdout.write(`${JSON.stringify({ storage: { ...storage, ...(problem && { problem }) }, profiles }, null, 2)}\n`);
    return;
  }
  io.stdout.write(`storage\t${storage.kind}\t${storage.description}${problem ? ` ${problem.action}` : ""}\n`);
  for (const { name, authorityKind, tenantId, status, problem: error, account, accounts, signIn } of states) {
    const others = accounts.filter((each) => !each.active).map((each) => each.username);
    const detail = error ? `${error.message} ${error.action}`
      : [account?.username, others.length ? `(also signed in: ${others.join(", ")})` : ""].filter(Boolean).join(" ");
    const tenant = authorityKind !== "entraExternalId" ? "" : `\ttenant: ${tenantId ?? "learnt at the first sign-in"}`;
    io.stdout.write(`${name}\t${status}\t${detail}\t${signIn ? `sign-in: ${signIn.method}` : ""}${tenant}\n`);
  }
}
