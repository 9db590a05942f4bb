import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addProfile } from "../../../src/core/config/add-profile.js";
import { loadProfile, loadProfiles } from "../../../src/core/config/load-config.js";
import { ConfigError } from "../../../src/core/errors/config-error.js";
import { mountReadOnly } from "../../support/mounts.js";

// Adding a profile to the real config.json on disk, read back by the same loader the CLI uses.
let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), "entra-tray-add-profile-"));
});
afterEach(() => rm(home, { recursive: true, force: true }));

const file = () => path.join(home, "config.json");
const contoso = { authority: "https://contoso.ciamlogin.com/", clientId: "4a8f1c2e-3d7b-4c59-9a0e-5b8d2f71e2a4", scopes: ["User.Read"] };

async function refusal(name: string, raw: Parameters<typeof addProfile>[2]): Promise<ConfigError> {
  const error = await addProfile(home, name, raw).then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("addProfile", () => {
  it("creates config.json (0600) with the profile as its default, which the CLI's loader then uses", async () => {
    await addProfile(home, "work", contoso);
    const text = await readFile(file(), "utf8");
    expect(text).toBe(`${JSON.stringify({ profiles: { work: contoso }, defaultProfile: "work" }, null, 2)}\n`);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect(await loadProfile({ home })).toMatchObject({ name: "work", clientId: contoso.clientId, authority: { kind: "entraExternalId" } });
  });

  it("keeps what the file already holds, and its default", async () => {
    const before = { defaultProfile: "demo-like", allowPlaintextCache: true, profiles: { "demo-like": { authority: "https://idp.example.test", clientId: "x" } } };
    await writeFile(file(), JSON.stringify(before, null, 2));
    await addProfile(home, "work", contoso);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ ...before, profiles: { ...before.profiles, work: contoso } });
    expect((await loadProfiles({ home })).map((entry) => entry.name)).toEqual(["demo-like", "work"]);
  });

  it("refuses, naming the field, a bad name, a name in use, and the values the file's own profiles may not have", async () => {
    await addProfile(home, "work", contoso);
    expect(await refusal("my work", contoso)).toMatchObject({ field: "name", message: expect.stringContaining('"my work" may contain only letters') });
    expect(await refusal("work", contoso)).toMatchObject({ field: "name", message: `There is already a profile named "work" in ${file()}.` });
    expect(await refusal("other", { ...contoso, clientId: "abc" })).toMatchObject({ field: "clientId", message: expect.stringContaining('clientId "abc" is not a GUID') });
    expect(await refusal("other", { ...contoso, authority: "http://contoso.example" })).toMatchObject({ field: "authority" });
    expect(await refusal("other", { authority: "https://idp.example.test", clientId: "my app" })).toMatchObject({ field: "clientId" });
    expect(await refusal("other", { ...contoso, scopes: ["User.Read,Mail.Read"] })).toMatchObject({ field: "scopes", message: expect.stringContaining("comma-separated") });
    expect(await refusal("other", { ...contoso, authority: "" })).toMatchObject({ field: "authority", message: 'New profile "other": authority is empty.' });
    expect(Object.keys((JSON.parse(await readFile(file(), "utf8")) as { profiles: object }).profiles)).toEqual(["work"]);
  });

  it("leaves a config.json that does not parse as it is, and says what to fix", async () => {
    await writeFile(file(), '{ "profiles": { } ');
    expect(await refusal("work", contoso)).toMatchObject({ message: expect.stringMatching(/is not valid JSON/) });
    expect(await readFile(file(), "utf8")).toBe('{ "profiles": { } ');
  });

  it("on a disk that refuses the write says so and what to do, and changes nothing", async (context) => {
    await addProfile(home, "work", contoso);
    const unmount = mountReadOnly(home);
    if (typeof unmount === "string") return context.skip(unmount);
    try {
      expect(await refusal("other", contoso)).toMatchObject({
        message: `The profile could not be added: ${file()} could not be written (the file system is read-only (EROFS)).`,
        action: expect.stringContaining("ENTRA_TRAY_HOME"),
        cause: expect.objectContaining({ code: "EROFS" }),
      });
    } finally {
      unmount();
    }
    expect(Object.keys((JSON.parse(await readFile(file(), "utf8")) as { profiles: object }).profiles)).toEqual(["work"]);
  });

  it("writes JSON as a person would, two spaces deep and ending in a newline, dropping a byte-order mark", async () => {
    await writeFile(file(), '\uFEFF{"profiles": {}}\n');
    await addProfile(home, "work", contoso);
    const text = await readFile(file(), "utf8");
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(JSON.parse(text)).toEqual({ profiles: { work: contoso }, defaultProfile: "work" });
  });

  it("makes the new profile the default only of a file without profiles, replacing a default that named nothing", async () => {
    await writeFile(file(), JSON.stringify({ profiles: { home: contoso } }));
    await addProfile(home, "work", contoso);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ profiles: { home: contoso, work: contoso } });
    await writeFile(file(), JSON.stringify({ defaultProfile: "gone", profiles: {} }));
    await addProfile(home, "work", contoso, ["demo"]);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ defaultProfile: "work", profiles: { work: contoso } });
    expect(await loadProfile({ home })).toMatchObject({ name: "work" });
  });

  it("keeps a default that chooses a built-in profile", async () => {
    await writeFile(file(), JSON.stringify({ defaultProfile: "demo", profiles: {} }));
    await addProfile(home, "work", contoso, ["demo"]);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual({ defaultProfile: "demo", profiles: { work: contoso } });
  });

  it("says how to fix a bad or taken name", async () => {
    expect((await refusal("my work", contoso)).action).toBe('Choose a name such as "work" or "contoso-test".');
    await addProfile(home, "work", contoso);
    expect((await refusal("work", contoso)).action).toBe("Choose another name, or edit that profile in config.json.");
  });
});
