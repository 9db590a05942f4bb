import { readFile } from "node:fs/promises";
import path from "node:path";
import { makeFolder, writeFileAtomically } from "../errors/atomic-write.js";
import { FileLock, type FileLockOptions } from "./file-lock.js";
import { acquireActiveAccountsLock } from "./lock-waits.js";

/**
 * Remembers which account is active in each profile, across processes (the tray app and every CLI call), as
 * `gh auth switch` does. Account ids are not secrets, so this is a plain JSON file next to the config:
 * `{ "<profile>": "<homeAccountId>" }`. A missing or unreadable file means "nothing remembered". Each change reads,
 * modifies and replaces the file under a lock, so writers in parallel processes lose none of each other's changes;
 * readers need no lock, as the file is replaced atomically.
 */
export class ActiveAccounts {
  constructor(readonly file: string, private readonly lockOptions?: FileLockOptions) {}

  static in(home: string, lockOptions?: FileLockOptions): ActiveAccounts {
    return new ActiveAccounts(path.join(home, "active-accounts.json"), lockOptions);
  }

  async get(profile: string): Promise<string | undefined> {
    return (await this.read())[profile];
  }

  set(profile: string, homeAccountId: string): Promise<void> {
    return this.update((all) => (all[profile] === homeAccountId ? undefined : { ...all, [profile]: homeAccountId }));
  }

  /** Forgets the profile's active account, or only `homeAccountId` if that is the one remembered. */
  clear(profile: string, homeAccountId?: string): Promise<void> {
    return this.update(({ [profile]: current, ...rest }) =>
      (current === undefined || (homeAccountId !== undefined && current !== homeAccountId) ? undefined : rest));
  }

  /** Replaces the file with what `change` makes of its content (nothing when it returns undefined), under the lock. */
  private async update(change: (all: Record<string, string>) => Record<string, string> | undefined): Promise<void> {
    await makeFolder(path.dirname(this.file), 0o700);
    const lock = new FileLock(`${this.file}.lock`, this.lockOptions);
    await acquireActiveAccountsLock(lock);
    try {
      const changed = change(await this.read());
      if (changed) await this.write(changed);
    } finally {
      await lock.release();
    }
  }

  private async read(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, "utf8"));
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    } catch {
      return {}; // missing, unreadable or not JSON: nothing remembered
    }
  }

  private write(all: Record<string, string>): Promise<void> {
    return writeFileAtomically(this.file, `${JSON.stringify(all, null, 2)}\n`, 0o644);
  }
}
