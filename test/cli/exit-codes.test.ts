import { describe, expect, it } from "vitest";
import type { AuthErrorKind } from "../../src/core/errors/auth-error.js";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";

// The README's CLI contract, "Exit codes": scripts branch on these numbers, so each one is pinned here.
const DOCUMENTED: Record<AuthErrorKind, number> = {
  unexpected: 1,
  config: 2,
  unreachable: 3,
  timeout: 3,
  brokerUnavailable: 3,
  interactionRequired: 4,
  denied: 4,
  cancelled: 4,
  secureStorageUnavailable: 5,
};

describe("the CLI's exit codes", () => {
  it.each(Object.entries(DOCUMENTED))("a %s error exits %i", (kind, code) => {
    expect(exitCodeFor(kind as AuthErrorKind)).toBe(code);
  });

  it("ok is 0, a usage error 2, an interruption 130 (as shells report SIGINT)", () => {
    expect([ExitCode.ok, ExitCode.usage, ExitCode.interrupted]).toEqual([0, 2, 130]);
  });
});
