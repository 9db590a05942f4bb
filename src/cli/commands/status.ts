import type { AccountSummary, AuthState } from "../../core/auth/index.js";
import type { ProfileEntry } from "../../core/config/load-config.js";
import type { Profile } from "../../core/config/profile.js";
import type { CliIo } from "../cli-io.js";
import { accountJson } from "../format.js";
import type { BrokerChoice } from "../../core/broker/index.js";
import { activateAccount, allProfiles, chooseProfile, sessionFor, tokenCacheStore, type ProfileOptions } from "../session.js";

export interface StatusOptions extends ProfileOptions {
  json?: boolean;
}

interface Row {
  name: string;
  profile?: Profile;
  state: AuthState;
  /** The active account. */
  account?: AccountSummary;
  /** Every account signed in to the profile, the active one among them. */
  accounts: AccountSummary[];
  signIn?: BrokerChoice;
  /** External ID: the tenant whose issuer the profile trusts, once known. */
  tenantId?: string;
}

async function rowFor(io: CliIo, entry: ProfileEntry, wanted: string | undefined): Promise<Row> {
  if ("error" in entry) return { name: entry.name, state: { status: "error", error: entry.error }, accounts: [] };
  const { auth, signIn } = await sessionFor(io, entry.profile);
  const account = await activateAccount(io, auth, wanted).catch(() => undefined);
  const accounts = await auth.accounts().catch(() => []);
  const tenantId = auth.trustedTenantId;
  return { name: entry.name, profile: entry.profile, state: auth.state, signIn, accounts, ...(account && { account }), ...(tenantId && { tenantId }) };
}

/** One profile when the flags name one, else every profile: the config file's and the built-in demo. */
export async function statusCommand(io: CliIo, options: StatusOptions): Promise<void> {
  const named = options.profile !== undefined || options.authority !== undefined || options.clientId !== undefined;
  const entries: ProfileEntry[] = named
    ? [await chooseProfile(io, options).then((profile) => ({ name: profile.name, profile }))]
    : await allProfiles(io);
  const rows = await Promise.all(entries.map((entry) => rowFor(io, entry, named ? options.account : undefined)));
  const { problem, ...storage } = (await tokenCacheStore(io)).status;
  if (options.json) {
    const profiles = rows.map(({ name, profile, state, account, accounts, signIn, tenantId }) => ({
      name,
      ...(profile && { displayName: profile.displayName, authority: profile.authority.url }),
      ...(tenantId && { tenantId }),
      state: state.status,
      ...(account && { account: accountJson(account) }),
      accounts: accounts.map((each) => ({ ...accountJson(each), active: each.homeAccountId === account?.homeAccountId })),
      ...(signIn && { signIn: { method: signIn.method, reason: signIn.reason } }),
      ...(state.status === "error" && { error: { kind: state.error.kind, message: state.error.message, action: state.error.action } }),
    }));
    const storageJson = { ...storage, ...(problem && { problem: { kind: problem.kind, message: problem.message, action: problem.action } }) };
    io.stdout.write(`${JSON.stringify({ storage: storageJson, profiles }, null, 2)}\n`);
    return;
  }
  io.stdout.write(`storage\t${storage.kind}\t${storage.description}${problem ? ` ${problem.action}` : ""}\n`);
  for (const { name, profile, state, account, accounts, signIn, tenantId } of rows) {
    const others = accounts.filter((each) => each.homeAccountId !== account?.homeAccountId).map((each) => each.username);
    const detail = state.status === "error" ? `${state.error.message} ${state.error.action}`
      : [account?.username, others.length ? `(also signed in: ${others.join(", ")})` : ""].filter(Boolean).join(" ");
    const tenant = profile?.authority.kind !== "entraExternalId" ? "" : `\ttenant: ${tenantId ?? "learnt at the first sign-in"}`;
    io.stdout.write(`${name}\t${state.status}\t${detail}\t${signIn ? `sign-in: ${signIn.method}` : ""}${tenant}\n`);
  }
}
