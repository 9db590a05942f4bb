import { brokenProfileState, type ProfileSession, type SessionState } from "../../app/index.js";
import type { StatusResult } from "../../app/token-service/index.js";
import type { CliIo } from "../cli-io.js";
import { appContext, openSession } from "../context.js";
import type { ProfileOptions } from "../options.js";

/** The state of one profile: the session's own, the one the tray app shows. */
async function stateOf(opening: Promise<ProfileSession>, wanted: string | undefined): Promise<SessionState> {
  const session = await opening;
  await session.useAccount(wanted).catch(() => undefined);
  return session.state;
}

/** Each profile's state (the one the flags name, else all) and the storage, read by this process. */
export async function directStatus(io: CliIo, options: ProfileOptions, named: boolean): Promise<StatusResult> {
  const context = appContext(io);
  const profiles = named
    ? [await stateOf(openSession(io, options), options.account)]
    : await Promise.all((await context.profiles()).map((entry) => ("error" in entry
      ? Promise.resolve(brokenProfileState(entry.name, entry.error))
      : stateOf(context.openSession(entry.profile), undefined))));
  return { storage: await context.storage(), profiles };
}
