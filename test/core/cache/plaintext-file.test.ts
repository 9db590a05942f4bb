import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openPlaintextFile, removeAsideCopies, timestamp } from "../../../src/core/cache/plaintext-file.js";
import { AuthError } from "../../../src/core/errors/auth-error.js";
import { mountReadOnly } from "../../support/mounts.js";
import { useTempHomes } from "../../support/temp-homes.js";

const folder = useTempHomes();

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const errno = (code: string, message: string) => Object.assign(new Error(message), { code });
const ASIDE_NAME = /^tokens\.json\.unreadable-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** The copies keepAside left beside `file`, by name. */
const asideNames = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith("tokens.json.unreadable-"));

describe("openPlaintextFile", () => {
  it("creates the file at once, empty and readable only by its owner", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    expect(await readFile(file, "utf8")).toBe("");
    expect(await modeOf(file)).toBe(0o600);
    expect(await backend.load()).toBe("");
  });

  it("keeps an existing file's content", async () => {
    const file = path.join(await folder(), "tokens.json");
    await writeFile(file, '{"version":1,"profiles":{}}', { mode: 0o600 });
    const backend = await openPlaintextFile(file);
    expect(await readFile(file, "utf8")).toBe('{"version":1,"profiles":{}}');
    expect(await backend.load()).toBe('{"version":1,"profiles":{}}');
  });

  it("throws when the folder does not exist", async () => {
    const file = path.join(await folder(), "missing", "tokens.json");
    await expect(openPlaintextFile(file)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("throws when the path is a folder", async () => {
    const dir = await folder();
    await expect(openPlaintextFile(dir)).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("never reads a failing load as an undecryptable copy", async () => {
    const backend = await openPlaintextFile(path.join(await folder(), "tokens.json"));
    expect(backend.unreadableWhenLoadFails).toBe(false);
  });
});

describe("the plaintext backend's load", () => {
  it("returns the file's text", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    await writeFile(file, "some text ✓");
    expect(await backend.load()).toBe("some text ✓");
  });

  it("returns null once the file is gone", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    await rm(file);
    expect(await backend.load()).toBeNull();
  });

  it("fails any other way as a storage problem that says the file could not be read", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    await rm(file);
    await mkdir(file);
    const failure = backend.load();
    await expect(failure).rejects.toBeInstanceOf(AuthError);
    await expect(failure).rejects.toMatchObject({
      kind: "secureStorageUnavailable", cause: expect.objectContaining({ code: "EISDIR" }),
      message: `The plaintext token file ${file} could not be read: EISDIR: illegal operation on a directory, read.`,
      action: "Check that you own the token-cache folder in the entra-tray home and may read the file.",
    });
  });
});

describe("the plaintext backend's save", () => {
  it("writes the whole text, owner-only, and leaves no temporary file", async () => {
    const dir = await folder();
    const file = path.join(dir, "tokens.json");
    const backend = await openPlaintextFile(file);
    await backend.save('{"version":1,"profiles":{"work":{}}}');
    expect(await readFile(file, "utf8")).toBe('{"version":1,"profiles":{"work":{}}}');
    await backend.save("short");
    expect(await readFile(file, "utf8")).toBe("short");
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(["tokens.json"]);
  });

  it("replaces a file others could read with an owner-only one", async () => {
    const dir = await folder();
    const file = path.join(dir, "tokens.json");
    await writeFile(file, "old");
    await chmod(file, 0o644);
    const backend = await openPlaintextFile(file);
    expect(await modeOf(file)).toBe(0o644);
    await backend.save("new");
    expect(await readFile(file, "utf8")).toBe("new");
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(["tokens.json"]);
  });
});

describe("the plaintext backend's describeFailure", () => {
  it("passes an AuthError through unchanged", async () => {
    const backend = await openPlaintextFile(path.join(await folder(), "tokens.json"));
    const error = new AuthError("config", "bad", "fix it");
    expect(backend.describeFailure(error)).toBe(error);
  });

  it("names a known write failure and its fix", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    const error = errno("ENOSPC", "ENOSPC: no space left on device, write");
    const problem = backend.describeFailure(error);
    expect(problem).toBeInstanceOf(AuthError);
    expect(problem.kind).toBe("secureStorageUnavailable");
    expect(problem.message).toBe(`The plaintext token file ${file} could not be written: the disk is full (ENOSPC); the sign-ins saved before are intact.`);
    expect(problem.action).toBe("Free some space on that disk, then try again.");
    expect(problem.cause).toBe(error);
  });

  it("names another known failure by its own words", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    const problem = backend.describeFailure(errno("EROFS", "EROFS: read-only file system"));
    expect(problem.message).toBe(`The plaintext token file ${file} could not be written: the file system is read-only (EROFS); the sign-ins saved before are intact.`);
    expect(problem.action).toBe("Choose a writable folder as the app home with ENTRA_TRAY_HOME, or make this one writable.");
  });

  it("gives an unknown failure's innermost reason and a general fix", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    for (const error of [new Error("Error: something\nbroke."), errno("EIO", "Error: something broke")]) {
      const problem = backend.describeFailure(error);
      expect(problem.kind).toBe("secureStorageUnavailable");
      expect(problem.message).toBe(`The plaintext token file ${file} could not be written: something broke; the sign-ins saved before are intact.`);
      expect(problem.action).toBe("Check that you own the token-cache folder in the entra-tray home and that its disk has room.");
      expect(problem.cause).toBe(error);
    }
  });

  it("describes a non-Error value too", async () => {
    const file = path.join(await folder(), "tokens.json");
    const backend = await openPlaintextFile(file);
    const problem = backend.describeFailure("disk gone");
    expect(problem.message).toBe(`The plaintext token file ${file} could not be written: disk gone; the sign-ins saved before are intact.`);
    expect(problem.cause).toBe("disk gone");
  });
});

describe("the plaintext backend's keepAside", () => {
  const keepAside = async (text: string | undefined) => {
    const dir = await folder();
    const file = path.join(dir, "tokens.json");
    const backend = await openPlaintextFile(file);
    const where = await backend.keepAside(text);
    const names = await asideNames(dir);
    expect(names).toHaveLength(1);
    const aside = path.join(dir, names[0] ?? "");
    return { dir, file, where, aside, content: await readFile(aside, "utf8") };
  };

  it("writes an owner-only copy beside the file and says where", async () => {
    const { dir, file, where, aside, content } = await keepAside('{"version":1}');
    expect(path.basename(aside)).toMatch(ASIDE_NAME);
    expect(where).toBe(`at ${aside}, its token values removed`);
    expect(content).toBe('{"version":1}');
    expect(await modeOf(aside)).toBe(0o600);
    // The file itself is left alone, and no temporary file is left behind.
    expect(await readFile(file, "utf8")).toBe("");
    expect((await readdir(dir)).sort()).toEqual(["tokens.json", path.basename(aside)].sort());
  });

  it("writes an empty copy when there is no text", async () => {
    const { content, where, aside } = await keepAside(undefined);
    expect(content).toBe("");
    expect(where).toBe(`at ${aside}, its token values removed`);
  });

  it("removes every secret value and keeps the rest byte for byte", async () => {
    const text = '{\n  "AccessToken": {\n    "k1": { "secret":"at-1", "home_account_id": "alice" },\n' +
      '    "k2": { "secret"  :  "at-2", "not_secret": "kept", "secretive": "kept too" }\n  },\n' +
      '  "RefreshToken": { "k3": { "secret": "rt-\\"quoted\\"-\\\\tail" } }\n}\n';
    const { content } = await keepAside(text);
    expect(content).toBe('{\n  "AccessToken": {\n    "k1": { "secret":"(removed)", "home_account_id": "alice" },\n' +
      '    "k2": { "secret"  :  "(removed)", "not_secret": "kept", "secretive": "kept too" }\n  },\n' +
      '  "RefreshToken": { "k3": { "secret": "(removed)" } }\n}\n');
  });

  it("removes a secret that a torn copy ends inside", async () => {
    const { content } = await keepAside('{"Account":{"a":{"username":"alice"}},"RefreshToken":{"r":{"secret":"0.AbC-dEf');
    expect(content).toBe('{"Account":{"a":{"username":"alice"}},"RefreshToken":{"r":{"secret":"(removed)"');
  });

  it("fails naming the copy and why when the copy cannot be written (read by the plugin inside its own warning)", async (context) => {
    const dir = await folder();
    const file = path.join(dir, "tokens.json");
    const backend = await openPlaintextFile(file);
    const unmount = mountReadOnly(dir);
    if (typeof unmount === "string") return context.skip(unmount);
    try {
      const failure = await backend.keepAside("{}").then(() => expect.unreachable("the copy was written"), (error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthError);
      expect(failure).toMatchObject({
        kind: "secureStorageUnavailable", cause: expect.objectContaining({ code: "EROFS" }),
        message: expect.stringMatching(/\/tokens\.json\.unreadable-[\dTZ-]+ could not be written: the file system is read-only \(EROFS\)$/),
        action: "Choose a writable folder as the app home with ENTRA_TRAY_HOME, or make this one writable.",
      });
      expect((failure as AuthError).message.startsWith(file)).toBe(true);
    } finally {
      unmount();
    }
  });

  it("removes older copies of this file first, and nothing else", async () => {
    const dir = await folder();
    const file = path.join(dir, "tokens.json");
    const backend = await openPlaintextFile(file);
    const older = "tokens.json.unreadable-2020-01-01T00-00-00-000Z";
    const others = ["other.json.unreadable-2020-01-01T00-00-00-000Z", "tokens.json.bak", "notes.txt"];
    await writeFile(path.join(dir, older), '{"secret":"rt-whole"}');
    await Promise.all(others.map((name) => writeFile(path.join(dir, name), name)));
    await backend.keepAside("{}");
    const names = await readdir(dir);
    expect(names).not.toContain(older);
    const [aside, ...more] = names.filter((name) => name.startsWith("tokens.json.unreadable-"));
    expect(more).toEqual([]);
    expect(aside).toMatch(ASIDE_NAME);
    expect(names.sort()).toEqual(["tokens.json", aside, ...others].sort());
    for (const name of others) expect(await readFile(path.join(dir, name), "utf8")).toBe(name);
  });
});

describe("removeAsideCopies", () => {
  it("deletes the copies set aside from a file in another folder, leaving the rest", async () => {
    const dir = path.join(await folder(), "sub");
    await mkdir(dir);
    const file = path.join(dir, "tokens.json");
    const keep = ["tokens.json", "tokens.json.unreadable", "x.tokens.json.unreadable-1"];
    await Promise.all([...keep, "tokens.json.unreadable-1", "tokens.json.unreadable-2"].map((name) => writeFile(path.join(dir, name), "")));
    await removeAsideCopies(file);
    expect((await readdir(dir)).sort()).toEqual(keep.sort());
  });

  it("does nothing when the folder does not exist", async () => {
    const file = path.join(await folder(), "missing", "tokens.json");
    await expect(removeAsideCopies(file)).resolves.toBeUndefined();
  });
});

describe("timestamp", () => {
  it("is an ISO time safe in a file name", () => {
    const stamp = timestamp();
    expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
    expect(stamp).not.toContain(":");
    expect(stamp).not.toContain(".");
  });
});
