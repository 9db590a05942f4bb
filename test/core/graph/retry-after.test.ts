import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../../src/core/graph/retry-after.js";

const NOW = Date.UTC(2026, 10, 21, 9, 0, 0);

describe("retryAfterMs", () => {
  it("reads delay-seconds", () => {
    expect(retryAfterMs("0", NOW)).toBe(0);
    expect(retryAfterMs(" 17 ", NOW)).toBe(17_000);
  });

  it("reads an HTTP-date (and the obsolete RFC 850 form) as the time left until then", () => {
    expect(retryAfterMs("Sat, 21 Nov 2026 09:00:30 GMT", NOW)).toBe(30_000);
    expect(retryAfterMs("Saturday, 21-Nov-26 09:01:00 GMT", NOW)).toBe(60_000);
  });

  it("treats a date in the past as 'now'", () => {
    expect(retryAfterMs("Sat, 21 Nov 2026 08:59:00 GMT", NOW)).toBe(0);
  });

  it("ignores what is absent or unreadable, so the caller backs off by itself", () => {
    // "21 Nov 2026 ..." parses as a date, but every HTTP-date starts with the day's name.
    for (const header of [undefined, "", "soon", "1.5", "-3", "Sat, 99 Nov 2026 09:00:30 GMT", "21 Nov 2026 09:00:30 GMT"]) {
      expect(retryAfterMs(header, NOW), String(header)).toBeUndefined();
    }
  });
});
