import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authorityEndpoints, fileAuthorityMetadataStore } from "../../../src/core/auth/authority-metadata.js";

const home = mkdtempSync(join(tmpdir(), "entra-tray-metadata-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const AUTHORITY = "https://contoso.ciamlogin.com/";
const document = {
  issuer: "https://0f1e2d3c.ciamlogin.com/0f1e2d3c/v2.0",
  authorization_endpoint: "https://contoso.ciamlogin.com/0f1e2d3c/oauth2/v2.0/authorize",
  token_endpoint: "https://contoso.ciamlogin.com/0f1e2d3c/oauth2/v2.0/token",
  jwks_uri: "https://contoso.ciamlogin.com/0f1e2d3c/discovery/v2.0/keys",
  end_session_endpoint: "https://contoso.ciamlogin.com/0f1e2d3c/oauth2/v2.0/logout",
};

describe("fileAuthorityMetadataStore", () => {
  it("saves under <home>/authority-metadata/<sha256 of the authority URL>.json and loads it back", () => {
    const store = fileAuthorityMetadataStore(home);
    expect(store.load(AUTHORITY)).toBeUndefined();
    store.save(AUTHORITY, JSON.stringify(document));
    const file = join(home, "authority-metadata", `${createHash("sha256").update(AUTHORITY).digest("hex")}.json`);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(document);
    expect(store.load(AUTHORITY)).toBe(JSON.stringify(document));
    expect(store.load("https://other.example/")).toBeUndefined();
  });

  it("replaces a saved document whole and leaves no temporary file behind", () => {
    const store = fileAuthorityMetadataStore(home);
    store.save(AUTHORITY, "{\"first\":true}");
    store.save(AUTHORITY, "{\"second\":true}");
    expect(store.load(AUTHORITY)).toBe("{\"second\":true}");
    expect(readdirSync(join(home, "authority-metadata")).filter((name) => !name.endsWith(".json"))).toEqual([]);
  });

  it("removes a document, and removing one that is not there is fine", () => {
    const store = fileAuthorityMetadataStore(home);
    store.save(AUTHORITY, "{}");
    store.remove(AUTHORITY);
    expect(store.load(AUTHORITY)).toBeUndefined();
    expect(() => store.remove(AUTHORITY)).not.toThrow();
  });

  it("says why when the folder cannot be read (it is a file here)", () => {
    const broken = mkdtempSync(join(tmpdir(), "entra-tray-metadata-broken-"));
    fileAuthorityMetadataStore(broken).save("x", "{}");
    const store = fileAuthorityMetadataStore(join(broken, "authority-metadata", `${createHash("sha256").update("x").digest("hex")}.json`));
    expect(() => store.load("y")).toThrow(/ENOTDIR/);
    rmSync(broken, { recursive: true, force: true });
  });
});

describe("authorityEndpoints", () => {
  it("keeps what MSAL reads and the logout endpoint, nothing else", () => {
    expect(authorityEndpoints({ ...document, claims_supported: ["sub"], response_modes_supported: ["form_post"] })).toEqual(document);
  });

  it("the logout endpoint is optional", () => {
    const { end_session_endpoint: _dropped, ...rest } = document;
    expect(authorityEndpoints(rest)).toEqual(rest);
  });

  it.each([
    ["not an object", "text"],
    ["null", null],
    ["a required endpoint missing", { ...document, token_endpoint: undefined }],
    ["a required endpoint not https", { ...document, authorization_endpoint: "http://contoso.ciamlogin.com/authorize" }],
    ["a required endpoint not a URL", { ...document, jwks_uri: "keys" }],
  ])("rejects %s", (_name, value) => {
    expect(authorityEndpoints(value)).toBeUndefined();
  });
});
