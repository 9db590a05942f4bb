import { describe, expect, it } from "vitest";
import { tokenExpiry } from "../../../src/core/claims/token-expiry.js";

const now = new Date("2026-03-04T14:00:00.000Z");
const after = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("tokenExpiry", () => {
  it("counts down whole seconds to a future expiry", () => {
    expect(tokenExpiry(after(2520.9), now, { locale: "en-GB" })).toEqual({
      expiresOn: "2026-03-04T14:42:00.900Z",
      secondsLeft: 2520,
      expired: false,
      label: "expires in 42 min",
    });
    expect(tokenExpiry(after(0.5), now, { locale: "en-GB" })).toMatchObject({ secondsLeft: 0, expired: false });
  });

  it("marks an expiry that is now or past as expired with no seconds left", () => {
    expect(tokenExpiry(now, now, { locale: "en-GB" })).toMatchObject({ secondsLeft: 0, expired: true });
    expect(tokenExpiry(after(-180), now, { locale: "en-GB" })).toEqual({
      expiresOn: "2026-03-04T13:57:00.000Z",
      secondsLeft: 0,
      expired: true,
      label: "expired 3 min ago",
    });
  });
});
