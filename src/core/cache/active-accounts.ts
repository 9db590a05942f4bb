import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Remembers which account is active in each profile, across processes (the tray app and every CLI call), as
 * `gh auth switch` does. Account ids are not secrets, so this is a plain JSON file next to the config:
 * `{ "<profile>": "<homeAccountId>" }`. A missing or unreadable file means "nothing remembered"; writes replace
 * the file atomically, and the last writer wins.
 */
export class ActiveAccounts {
  constructor(readonly file: string) {}

  static in(home: string): ActiveAccounts {
    return new ActiveAccounts(path.join(home, "active-accounts.json"));
  }

  async get(profile: string): Promise<string | undefined> {
    return (await this.read())[profile];
  }

  async set(profile: string, homeAccountId: string): Promise<void> {
    const all = await this.read();
    if (all[profile] === homeAccountId) return;
    await this.write({ ...all, [profile]: homeAccountId });
  }

  /** Forgets the profile's active account, or only `homeAccountId` if that is the one remembered. */
  async clear(profile: string, homeAccountId?: string): Promise<void> {
    const { [profile]: current, ...rest } = await this.read();
    if (current === undefined || (homeAccountId !== undefined && current !== homeAccountId)) return;
    await this.write(rest);
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    } catch {
      return {};
    }
  }

  private async write(all: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(all, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}
