import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real browser sign-ins take a few seconds each; the two cores here are shared by every worker.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    globalSetup: ["./test/support/build-cli.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Packages that import electron themselves go through vitest, so that a test's vi.mock("electron") reaches them
    // (test/main/main-entry.test.ts); outside that test nothing imports them.
    server: { deps: { inline: ["electron-store", "menubar"] } },
  },
});
