import { EncryptJWT, SignJWT, generateKeyPair, generateSecret } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeJwtClaims } from "../../../src/core/claims/decode-jwt-claims.js";

const payload = { scp: "User.Read", oid: "00000000-0000-0000-66f3-3332eca7ea81", name: "<b>Ada</b>" };

describe("decodeJwtClaims", () => {
  afterEach(() => vi.restoreAllMocks());

  it("reads the claims of a signed JWT access token without verifying it", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", typ: "at+jwt" })
      .setIssuer("https://idp.example")
      .setIssuedAt(1_772_632_800)
      .setExpirationTime(1_772_636_400)
      .sign(privateKey);

    expect(decodeJwtClaims(token)).toEqual({ ...payload, iss: "https://idp.example", iat: 1_772_632_800, exp: 1_772_636_400 });
  });

  it("gives undefined for encrypted, opaque and malformed tokens, and says nothing about them", async () => {
    const console_ = ["log", "info", "warn", "error", "debug"] as const;
    const spies = console_.map((method) => vi.spyOn(console, method));
    const jwe = await new EncryptJWT(payload)
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .encrypt(await generateSecret("A256GCM"));
    const notJson = `${Buffer.from("{}").toString("base64url")}.${Buffer.from("not json").toString("base64url")}.sig`;
    const arrayPayload = `e30.${Buffer.from("[1]").toString("base64url")}.sig`;

    for (const token of [jwe, "EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ", "", "a.b", notJson, arrayPayload, "a.!!!.c"]) {
      expect(decodeJwtClaims(token), `token shaped like ${token.split(".").length} parts`).toBeUndefined();
    }
    expect(decodeJwtClaims(undefined as unknown as string)).toBeUndefined();
    expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
  });
});
