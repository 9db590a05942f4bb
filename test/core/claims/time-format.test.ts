import { describe, expect, it } from "vitest";
import { relativeTime } from "../../../src/core/claims/time-format.js";

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("relativeTime", () => {
  it.each([
    [0, "now"],
    [29.6, "in 30 sec."],
    [-59.4, "59 sec. ago"],
    [90, "in 2 min."],
    [-90, "2 min. ago"],
    [59 * MIN + 29, "in 59 min."],
    [59 * MIN + 31, "in 1 hr."],
    [2.4 * HOUR, "in 2 hr."],
    [2.6 * HOUR, "in 3 hr."],
    [47 * HOUR + 29 * MIN, "in 47 hr."],
    [47 * HOUR + 31 * MIN, "in 2 days"],
    [2.9 * DAY, "in 3 days"],
    [-2.9 * DAY, "3 days ago"],
    [3.4 * DAY, "in 3 days"],
  ])("%f s reads %j, each unit rounded to the nearest", (deltaSec, text) => {
    expect(relativeTime(deltaSec, "en")).toBe(text);
  });
});
