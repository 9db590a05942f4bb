import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ActiveAccounts } from "../../../src/core/cache/active-accounts.js";
import { useTempHomes } from "../../support/temp-homes.js";

const WRITER = fileURLToPath(new URL("support/active-accounts-writer.mjs", import.meta.url));
const home = useTempHomes();

describe("ActiveAccounts", () => {
  it("remembers one account per profile across instances (processes), and forgets it", async () => {
    const dir = await home();
    await ActiveAccounts.in(dir).set("work", "alice-id");
    await ActiveAccounts.in(dir).set("demo", "bob-id");
    expect(await ActiveAccounts.in(dir).get("work")).toBe("alice-id");
    expect(await ActiveAccounts.in(dir).get("demo")).toBe("bob-id");
    await ActiveAccounts.in(dir).clear("work", "someone-else");
    expect(await ActiveAccounts.in(dir).get("work")).toBe("alice-id");
    await ActiveAccounts.in(dir).clear("demo", "bob-id");
    expect(await ActiveAccounts.in(dir).get("demo")).toBeUndefined();
    await ActiveAccounts.in(dir).set("demo", "bob-id");
    await ActiveAccounts.in(dir).clear("work");
    expect(await ActiveAccounts.in(dir).get("work")).toBeUndefined();
    expect(JSON.parse(await readFile(path.join(dir, "active-accounts.json"), "utf8"))).toEqual({ demo: "bob-id" });
  });

  it("treats a missing or corrupt file as nothing remembered, and replaces it on the next set", async () => {
    const dir = await home();
    expect(await ActiveAccounts.in(dir).get("work")).toBeUndefined();
    await writeFile(path.join(dir, "active-accounts.json"), "{not json");
    expect(await ActiveAccounts.in(dir).get("work")).toBeUndefined();
    await ActiveAccounts.in(dir).set("work", "alice-id");
    expect(await ActiveAccounts.in(dir).get("work")).toBe("alice-id");
  });

  it("loses no update when processes write at once: each change is a read-modify-write under a lock", async () => {
    const dir = await home();
    const writers = ["a", "b", "c", "d", "e", "f"];
    await Promise.all(writers.map((prefix) => promisify(execFile)(process.execPath, [WRITER, dir, prefix, "15"])));
    const remembered = JSON.parse(await readFile(path.join(dir, "active-accounts.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(remembered)).toHaveLength(writers.length * 15);
    expect(remembered["d-14"]).toBe("d-account-14");
  });
  it("reads only text ids from an object, anything else as nothing remembered", async () => {
    const dir = await home();
    const file = path.join(dir, "active-accounts.json");
    for (const text of ["[\"work\"]", "null", "\"work\"", "7"]) {
      await writeFile(file, text);
      expect(await ActiveAccounts.in(dir).get("0"), text).toBeUndefined();
    }
    await writeFile(file, JSON.stringify({ work: 5, demo: "bob-id" }));
    expect([await ActiveAccounts.in(dir).get("work"), await ActiveAccounts.in(dir).get("demo")]).toEqual([undefined, "bob-id"]);
  });

  it("writes readable JSON, 0644, in a private folder it makes, and leaves the file alone when nothing changes", async () => {
    const dir = path.join(await home(), "new", "home");
    const file = path.join(dir, "active-accounts.json");
    await ActiveAccounts.in(dir).clear("work");
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
    await ActiveAccounts.in(dir).set("work", "alice-id");
    expect(await readFile(file, "utf8")).toBe('{\n  "work": "alice-id"\n}\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // The file is replaced on each write, so the same inode shows that none happened.
    const { ino } = await stat(file);
    await ActiveAccounts.in(dir).set("work", "alice-id");
    await ActiveAccounts.in(dir).clear("demo");
    expect((await stat(file)).ino).toBe(ino);
  });
});
