import { describe, expect, it } from "vitest";
import { emptyDocument, mergeDocuments, parseDocument } from "../../../src/core/cache/cache-document.js";
import type { CacheDocument } from "../../../src/core/cache/cache-document.js";

const json = (value: unknown) => JSON.stringify(value);
const account = { home_account_id: "alice-id", username: "alice@example.com" };
const token = { secret: "at-1", expires_on: "100" };

describe("parseDocument", () => {
  it("reads nothing stored, or only whitespace, as an empty document", () => {
    expect(parseDocument(null)).toStrictEqual({ version: 1, profiles: {} });
    expect(parseDocument("")).toStrictEqual({ version: 1, profiles: {} });
    expect(parseDocument("  \n\t ")).toStrictEqual({ version: 1, profiles: {} });
  });

  it("returns a valid document with version 1 and its profiles, other top-level keys dropped", () => {
    const profiles = { work: { Account: { a: account }, AccessToken: { t: token } }, demo: {} };
    expect(parseDocument(json({ version: 1, profiles, written: "by a newer build" }))).toStrictEqual({ version: 1, profiles });
    expect(parseDocument(json({ profiles, version: 1 }))).toStrictEqual({ version: 1, profiles });
  });

  it("accepts empty profiles, empty sections and empty kinds", () => {
    expect(parseDocument(json({ version: 1, profiles: {} }))).toStrictEqual({ version: 1, profiles: {} });
    expect(parseDocument(json({ version: 1, profiles: { work: {} } }))).toStrictEqual({ version: 1, profiles: { work: {} } });
    expect(parseDocument(json({ version: 1, profiles: { work: { Account: {} } } })))
      .toStrictEqual({ version: 1, profiles: { work: { Account: {} } } });
  });

  it.each([
    ["invalid JSON", "{not json"],
    ["a truncated document", '{"version":1,"profiles":{'],
    ["an array", "[]"],
    ["an array holding a document", json([{ version: 1, profiles: {} }])],
    ["null", "null"],
    ["a number", "1"],
    ["a string", json("document")],
    ["version 2", json({ version: 2, profiles: {} })],
    ['version "1"', json({ version: "1", profiles: {} })],
    ["no version", json({ profiles: {} })],
    ["no profiles", json({ version: 1 })],
    ["profiles as an array", json({ version: 1, profiles: [] })],
    ["profiles null", json({ version: 1, profiles: null })],
    ["profiles as a string", json({ version: 1, profiles: "work" })],
  ])("rejects %s", (_name, text) => {
    expect(parseDocument(text)).toBeUndefined();
  });

  it.each([
    ["a section that is a string", "not a cache"],
    ["a section that is a number", 5],
    ["a section that is null", null],
    ["a section that is an array", []],
    ["a kind that is a number", { Account: 5 }],
    ["a kind that is a string", { Account: "x" }],
    ["a kind that is null", { Account: null }],
    ["a kind that is an empty array", { Account: [] }],
    ["a kind that is an array of entries", { Account: [account] }],
    ["an entry that is a number", { Account: { a: 5 } }],
    ["an entry that is a string", { Account: { a: "alice" } }],
    ["an entry that is null", { Account: { a: null } }],
    ["an entry that is an array", { Account: { a: [] } }],
    ["one bad entry among good ones", { Account: { a: account, b: null, c: account } }],
    ["one bad kind among good ones", { Account: { a: account }, AccessToken: 5, IdToken: {} }],
  ])("rejects %s", (_name, section) => {
    expect(parseDocument(json({ version: 1, profiles: { work: section } }))).toBeUndefined();
  });

  it("rejects a document where any profile is bad, not only the first", () => {
    expect(parseDocument(json({ version: 1, profiles: { demo: {}, work: { Account: { a: account } }, other: 5 } }))).toBeUndefined();
    expect(parseDocument(json({ version: 1, profiles: { bad: [], demo: {} } }))).toBeUndefined();
  });
});

describe("emptyDocument", () => {
  it("is version 1 with no profiles", () => {
    expect(emptyDocument()).toStrictEqual({ version: 1, profiles: {} });
  });

  it("is a fresh object each call", () => {
    const first = emptyDocument();
    first.profiles.work = { Account: { a: account } };
    expect(emptyDocument()).toStrictEqual({ version: 1, profiles: {} });
    expect(emptyDocument()).not.toBe(emptyDocument());
    expect(emptyDocument().profiles).not.toBe(emptyDocument().profiles);
  });
});

describe("mergeDocuments", () => {
  const into: CacheDocument = {
    version: 1,
    profiles: {
      kept: { Account: { a: account } },
      shared: {
        Account: { a: account, b: { username: "bob-old" } },
        RefreshToken: { r: { secret: "rt-into" } },
      },
    },
  };
  const from: CacheDocument = {
    version: 1,
    profiles: {
      added: { AccessToken: { t: token } },
      shared: {
        Account: { b: { username: "bob-new" }, c: { username: "carol" } },
        AccessToken: { t: token },
      },
    },
  };

  it("keeps into's profiles, adds from's, and joins a shared profile kind by kind with from winning an entry", () => {
    expect(mergeDocuments(into, from)).toStrictEqual({
      version: 1,
      profiles: {
        kept: { Account: { a: account } },
        added: { AccessToken: { t: token } },
        shared: {
          Account: { a: account, b: { username: "bob-new" }, c: { username: "carol" } },
          RefreshToken: { r: { secret: "rt-into" } },
          AccessToken: { t: token },
        },
      },
    });
  });

  it("leaves both inputs as they were", () => {
    const intoBefore = structuredClone(into);
    const fromBefore = structuredClone(from);
    const merged = mergeDocuments(into, from);
    expect(into).toStrictEqual(intoBefore);
    expect(from).toStrictEqual(fromBefore);
    expect(merged).not.toBe(into);
    expect(merged.profiles).not.toBe(into.profiles);
    expect(merged.profiles.shared).not.toBe(into.profiles.shared);
  });

  it("is always version 1, even from empty documents", () => {
    expect(mergeDocuments(emptyDocument(), emptyDocument())).toStrictEqual({ version: 1, profiles: {} });
    expect(mergeDocuments(into, emptyDocument())).toStrictEqual(into);
    expect(mergeDocuments(emptyDocument(), from)).toStrictEqual(from);
  });

  it("keeps an empty section that only from holds", () => {
    expect(mergeDocuments(emptyDocument(), { version: 1, profiles: { fresh: {} } })).toStrictEqual({ version: 1, profiles: { fresh: {} } });
  });
});
