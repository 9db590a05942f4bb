import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isGuid } from "../../../src/core/config/authority.js";
import { checkProfile } from "../../../src/core/config/checked-parse.js";
import { loadProfile } from "../../../src/core/config/load-config.js";
import { GUID, expectConfigError, makeHome } from "./fixtures.js";

// The schema's successes are remembered in the app home, so a later process need not load zod; what it remembers
// must never change an answer: a changed input is checked afresh, and a failure is never remembered.
const work = { authority: "https://contoso.ciamlogin.com/", clientId: GUID };
const memoOf = async (home: string) => JSON.parse(await readFile(path.join(home, "checked-config.json"), "utf8")) as Record<string, Record<string, unknown>>;

describe("the schema's remembered successes", () => {
  it("a second load is answered from the memo (shown by an entry edited in place); an edited config is checked afresh", async () => {
    const { home, file } = await makeHome({ profiles: { work } });
    const first = await loadProfile({ home, name: "work" });
    const memo = await memoOf(home);
    expect(Object.keys(memo)).toHaveLength(2); // the file's outer shape, and the profile
    const [profileKey] = Object.entries(memo).find(([, value]) => "clientId" in value) ?? [];
    await writeFile(path.join(home, "checked-config.json"), JSON.stringify({ ...memo, [profileKey as string]: { ...memo[profileKey as string], displayName: "from the memo" } }));
    expect(await loadProfile({ home, name: "work" })).toEqual({ ...first, displayName: "from the memo" });

    await writeFile(file, JSON.stringify({ profiles: { work: { ...work, displayName: "edited" } } }));
    expect((await loadProfile({ home, name: "work" })).displayName).toBe("edited");
  });

  it("a failure is never remembered: the same broken profile fails from the schema each time", async () => {
    const { home } = await makeHome({ profiles: { work: { ...work, clientId: "not a guid" } } });
    for (let i = 0; i < 2; i++) await expectConfigError(loadProfile({ home, name: "work" }), ['clientId "not a guid" is not a GUID'], ["Application (client) ID"]);
    expect(Object.values(await memoOf(home)).some((value) => "clientId" in value)).toBe(false);
  });

  it("a memo that is not JSON is ignored and replaced", async () => {
    const { home } = await makeHome({ profiles: { work } });
    await writeFile(path.join(home, "checked-config.json"), "{ not json");
    expect((await loadProfile({ home, name: "work" })).clientId).toBe(GUID);
    expect(Object.keys(await memoOf(home))).toHaveLength(2);
  });

  it.each([["null", "null"], ["a list", "[]"], ["a number", "5"]])("a memo that is %s is ignored and replaced", async (_case, text) => {
    const { home } = await makeHome({ profiles: { work } });
    await writeFile(path.join(home, "checked-config.json"), text);
    expect((await loadProfile({ home, name: "work" })).clientId).toBe(GUID);
    expect(Object.keys(await memoOf(home))).toHaveLength(2);
  });

  it("keeps the 32 newest successes, dropping the oldest", async () => {
    const { home } = await makeHome();
    const names = Array.from({ length: 40 }, (_, i) => `profile ${i}`);
    for (const displayName of names) await checkProfile(home, { ...work, displayName }, "test");
    const kept = Object.values(await memoOf(home)).map((value) => value.displayName);
    expect(kept).toEqual(names.slice(-32));
  });

  it("isGuid, which no longer loads zod, agrees with z.guid()", () => {
    for (const value of [GUID, GUID.toUpperCase(), `${GUID}x`, GUID.replace(/-/g, ""), "", "00000000-0000-0000-0000-000000000000", "g".repeat(8) + GUID.slice(8)]) {
      expect(isGuid(value)).toBe(z.guid().safeParse(value).success);
    }
  });
});
