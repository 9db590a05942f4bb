import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SETTINGS_FORMAT, type SettingsFormat, openSettings } from "../../src/app/index.js";

// The settings through real conf, in a folder of their own: what a first run gets, what the schema refuses, a
// migration of an older file, and a damaged file set aside.
let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "entra-tray-settings-"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const file = () => path.join(cwd, "settings.json");
const refuseReset = (message: string) => expect.fail(`unexpected reset: ${message}`);

describe("settings", () => {
  it("start on the defaults at the first run, in settings.json beside config.json", async () => {
    const { store, firstRun } = await openSettings({ cwd, onReset: refuseReset });
    expect(firstRun).toBe(true);
    expect(store.path).toBe(file());
    expect(store.store).toEqual({
      activeProfile: null,
      shortcut: "CommandOrControl+Alt+Shift+T",
      clipboardClearSeconds: 30,
      minValiditySeconds: 300,
      startAtLogin: true,
    });
  });

  it("keep what was set, and a later run is not a first run", async () => {
    (await openSettings({ cwd, onReset: refuseReset })).store.set({ activeProfile: "work", clipboardClearSeconds: 0 });
    const { store, firstRun } = await openSettings({ cwd, onReset: refuseReset });
    expect(firstRun).toBe(false);
    expect(store.get("activeProfile")).toBe("work");
    expect(store.get("clipboardClearSeconds")).toBe(0);
  });

  it("refuse values the schema does not allow", async () => {
    const { store } = await openSettings({ cwd, onReset: refuseReset });
    expect(() => store.set("clipboardClearSeconds", -1)).toThrow(/clipboardClearSeconds/);
    expect(() => store.set("activeProfile", "no spaces")).toThrow(/activeProfile/);
    expect(store.get("clipboardClearSeconds")).toBe(30);
  });

  it("migrate a file of an older format once, recording the new format", async () => {
    (await openSettings({ cwd, onReset: refuseReset })).store.set("minValiditySeconds", 60);
    const runs: unknown[] = [];
    const next: SettingsFormat = {
      version: "1.1.0",
      migrations: {
        "1.1.0": (store) => {
          runs.push(store.get("minValiditySeconds"));
          store.set("minValiditySeconds", 120);
        },
      },
    };
    expect((await openSettings({ cwd, onReset: refuseReset, format: next })).store.get("minValiditySeconds")).toBe(120);
    expect((await openSettings({ cwd, onReset: refuseReset, format: next })).store.get("minValiditySeconds")).toBe(120);
    expect(runs).toEqual([60]);
    expect(JSON.parse(readFileSync(file(), "utf8"))).toMatchObject({ __internal__: { migrations: { version: "1.1.0" } } });
    expect(SETTINGS_FORMAT.version).toBe("1.0.0");
  });

  for (const [what, text] of [
    ["not JSON", "{ not json"],
    ["refused by the schema", JSON.stringify({ clipboardClearSeconds: "soon" })],
  ] as const) {
    it(`set a file that is ${what} aside, start on the defaults and say so`, async () => {
      writeFileSync(file(), text);
      const messages: string[] = [];
      const { store, firstRun } = await openSettings({ cwd, onReset: (message) => messages.push(message) });
      expect(firstRun).toBe(false);
      expect(store.get("clipboardClearSeconds")).toBe(30);
      const aside = readdirSync(cwd).filter((name) => name.startsWith("settings.json.corrupt-"));
      expect(aside).toHaveLength(1);
      expect(readFileSync(path.join(cwd, aside[0]!), "utf8")).toBe(text);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(aside[0]);
      expect(messages[0]).toContain("defaults are in use");
      expect(existsSync(file())).toBe(true);
    });
  }
});
