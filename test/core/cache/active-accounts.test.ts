import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ActiveAccounts } from "../../../src/core/cache/active-accounts.js";

const home = () => mkdtemp(path.join(tmpdir(), "entra-tray-active-"));

describe("ActiveAccounts", () => {
  it("remembers one account per profile across instances (processes), and forgets it", async () => {
    const dir = await home();
    await ActiveAccounts.in(dir).set("work", "alice-id");
    await ActiveAccounts.in(dir).set("demo", "bob-id");
    expect(await ActiveAccounts.in(dir).get("work")).toBe("alice-id");
    expect(await ActiveAccounts.in(dir).get("demo")).toBe("bob-id");
    await ActiveAccounts.in(dir).clear("work", "someone-else");
    expect(await ActiveAccounts.in(dir).get("work")).toBe("alice-id");
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
});
