import { describe, expect, it } from "vitest";
import { claimRows, type ClaimRow } from "../../../src/core/claims/claim-rows.js";

// 2026-03-04T14:00:00Z
const NOW_SEC = 1_772_632_800;
const now = new Date(NOW_SEC * 1000);
const utc = { now, locale: "en-GB", timeZone: "UTC" };

const rowFor = (rows: ClaimRow[], key: string): ClaimRow => {
  const row = rows.find((candidate) => candidate.key === key);
  if (!row) throw new Error(`no row for claim ${key}`);
  return row;
};

/** A v2.0 Entra ID token as Microsoft documents it, plus an External ID custom attribute and an unknown claim. */
const entraIdToken = {
  ver: "2.0",
  iss: "https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0",
  sub: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
  aud: "6cb04018-a3f5-46a7-b995-940c78f5aef3",
  exp: NOW_SEC + 42 * 60,
  iat: NOW_SEC - 18 * 60,
  nbf: NOW_SEC - 18 * 60,
  auth_time: NOW_SEC - 3 * 3600,
  name: "Abe Lincoln",
  preferred_username: "AbeLi@microsoft.com",
  oid: "00000000-0000-0000-66f3-3332eca7ea81",
  tid: "9122040d-6c67-4c5b-b112-36a304b66dad",
  roles: ["Reader", "Task.Write"],
  amr: ["pwd", "mfa"],
  login_hint: "O.CiQ3YmFhZmQxYi1kNTJm",
  sid: "0b5a4c34-7fd1-4c71-9a47-d2b77bc7a0b5",
  xms_pl: "en-us",
  xms_something_new: "x",
  extension_8d5e1a2b3c4d5e6f7a8b9c0d1e2f3a4b_loyaltyTier: "gold",
  _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/x/getMemberObjects" } },
  zz_custom: { nested: [1, "two"], flag: true },
  a_custom: 7,
};

describe("claimRows", () => {
  it("labels and describes the well-known claims and keeps unknown ones under their own key", () => {
    const rows = claimRows(entraIdToken, utc);

    expect(rows).toHaveLength(Object.keys(entraIdToken).length);
    expect(rowFor(rows, "oid")).toMatchObject({ label: "Object ID", value: entraIdToken.oid, kind: "text" });
    expect(rowFor(rows, "oid").description).toMatch(/Graph/);
    expect(rowFor(rows, "preferred_username")).toMatchObject({ label: "Username", value: "AbeLi@microsoft.com" });
    expect(rowFor(rows, "xms_pl")).toMatchObject({ label: "User language", value: "en-us" });
    expect(rowFor(rows, "xms_something_new").description).toMatch(/Microsoft-specific/);
    expect(rowFor(rows, "extension_8d5e1a2b3c4d5e6f7a8b9c0d1e2f3a4b_loyaltyTier"))
      .toMatchObject({ label: "Custom attribute: loyaltyTier", value: "gold" });
    expect(rowFor(rows, "a_custom")).toEqual({ key: "a_custom", label: "a_custom", value: "7", kind: "text" });
  });

  it("has a description for every claim the issue names", () => {
    const named = ["aud", "iss", "iat", "nbf", "exp", "auth_time", "name", "given_name", "family_name",
      "preferred_username", "email", "oid", "sub", "tid", "upn", "roles", "groups", "scp", "amr", "acr", "idp",
      "login_hint", "sid", "ver", "azp", "appid", "nonce", "uti", "rh", "at_hash", "c_hash", "xms_cc"];
    const rows = claimRows(Object.fromEntries(named.map((key) => [key, "v"])), utc);
    const undescribed = rows.filter((row) => !row.description || row.label === row.key).map((row) => row.key);
    expect(undescribed).toEqual([]);
  });

  it("shows times as local date and time plus a relative phrase, in the requested locale and zone", () => {
    const rows = claimRows(entraIdToken, utc);

    expect(rowFor(rows, "exp")).toEqual({
      key: "exp",
      label: "Expires",
      description: expect.any(String),
      value: "4 Mar 2026, 14:42:00 UTC (in 42 min)",
      kind: "time",
      time: { epochSec: NOW_SEC + 2520, iso: "2026-03-04T14:42:00.000Z", relative: "in 42 min" },
    });
    expect(rowFor(rows, "auth_time").time?.relative).toBe("3 hr ago");
    expect(rowFor(rows, "iat").value).toBe("4 Mar 2026, 13:42:00 UTC (18 min ago)");

    const berlin = claimRows({ exp: NOW_SEC + 2520 }, { now, locale: "de-DE", timeZone: "Europe/Berlin" });
    expect(berlin[0]?.value).toBe("04.03.2026, 15:42:00 MEZ (in 42 Min.)");
  });

  it("switches relative units at a minute, an hour and two days", () => {
    const at = (offsetSec: number) => claimRows({ exp: NOW_SEC + offsetSec }, utc)[0]?.time?.relative;
    expect([at(0), at(59), at(-90), at(90), at(3599), at(47 * 3600), at(-49 * 3600), at(10 * 86400)])
      .toEqual(["now", "in 59 sec", "2 min ago", "in 2 min", "in 1 hr", "in 47 hr", "2 days ago", "in 10 days"]);
  });

  it("falls back to the raw value when a time claim is not a usable NumericDate", () => {
    const rows = claimRows({ exp: "tomorrow", nbf: 1e20 }, utc);
    expect(rowFor(rows, "exp")).toMatchObject({ value: "tomorrow", kind: "text" });
    expect(rowFor(rows, "nbf")).toMatchObject({ value: "100000000000000000000", kind: "text" });
    expect(rows.every((row) => row.time === undefined)).toBe(true);
  });

  it("joins arrays and space-separated scope strings, and shows objects as compact JSON", () => {
    const rows = claimRows({
      ...entraIdToken,
      scp: "User.Read  Mail.Send openid",
      scope: "openid offline_access",
      groups: [],
    }, utc);

    expect(rowFor(rows, "roles")).toMatchObject({ value: "Reader, Task.Write", kind: "list" });
    expect(rowFor(rows, "scp")).toMatchObject({ label: "Scopes", value: "User.Read, Mail.Send, openid", kind: "list" });
    expect(rowFor(rows, "scope")).toMatchObject({ value: "openid, offline_access", kind: "list" });
    expect(rowFor(rows, "groups")).toMatchObject({ value: "", kind: "list" });
    expect(rowFor(rows, "zz_custom")).toMatchObject({ value: '{"nested":[1,"two"],"flag":true}', kind: "json" });
    expect(rowFor(rows, "_claim_sources").kind).toBe("json");
    expect(claimRows({ mixed: [1, { a: 2 }], nothing: null }, utc).map((row) => [row.value, row.kind]))
      .toEqual([['[1,{"a":2}]', "json"], ["null", "json"]]);
  });

  it("orders identity claims first, then issuer and audience, validity, permissions, then the rest by key", () => {
    const keys = claimRows(entraIdToken, utc).map((row) => row.key);
    expect(keys).toEqual([
      "name", "preferred_username", "oid", "sub", "tid", "iss", "aud", "exp", "iat", "nbf", "auth_time", "roles", "amr",
      "_claim_sources", "a_custom", "extension_8d5e1a2b3c4d5e6f7a8b9c0d1e2f3a4b_loyaltyTier", "login_hint", "sid",
      "ver", "xms_pl", "xms_something_new", "zz_custom",
    ]);
    const shuffled = Object.fromEntries(Object.entries(entraIdToken).reverse());
    expect(claimRows(shuffled, utc).map((row) => row.key)).toEqual(keys);
  });

  it("returns markup in claim values verbatim, as text", () => {
    const hostile = '<img src=x onerror="alert(document.cookie)">&amp; <script>x()</script>';
    const rows = claimRows({ name: hostile, roles: [hostile], custom: { html: hostile } }, utc);

    expect(rowFor(rows, "name").value).toBe(hostile);
    expect(rowFor(rows, "roles").value).toBe(hostile);
    expect(JSON.parse(rowFor(rows, "custom").value)).toEqual({ html: hostile });
  });

  it("does not mistake inherited object properties for well-known claims", () => {
    const rows = claimRows(JSON.parse('{"constructor":"c","toString":"t","__proto__":"p"}') as Record<string, unknown>, utc);
    expect(rows.map((row) => [row.key, row.label, row.description])).toEqual([
      ["__proto__", "__proto__", undefined],
      ["constructor", "constructor", undefined],
      ["toString", "toString", undefined],
    ]);
  });
});
