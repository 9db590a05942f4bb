import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppContext, ensureConfigFile } from "../../src/app/index.js";
import { useTempHomes } from "../e2e/support/demo-env.js";

const newHome = useTempHomes();

describe("ensureConfigFile", () => {
  it("creates a config.json the app can load, and never overwrites one", async () => {
    const home = path.join(await newHome(), "not-yet");
    const file = ensureConfigFile(home);
    expect(file).toBe(path.join(home, "config.json"));
    expect(await new AppContext({ env: { ...process.env, ENTRA_TRAY_HOME: home }, watchIntervalMs: false }).profiles()).toEqual([]);
    await writeFile(file, '{"profiles": {"mine": {"authority": "contoso", "clientId": "x"}}}');
    ensureConfigFile(home);
    expect(await readFile(file, "utf8")).toContain('"mine"');
  });
});
