import type { Plugin } from "vitest/config";
import { defineConfig } from "vitest/config";

/** The tests `npm run mutate` reruns against each mutant (stryker.config.mjs picks them by group). */
export default defineConfig({
  plugins: [forks()],
  test: {
    include: ["test/**/*.test.ts"],
    // As in vitest.config.ts, less the build of dist/ (scripts/mutate.sh builds it before Stryker copies the tree).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests that must wait out a long real interval skip themselves here (they would rerun for every mutant).
    env: { ENTRA_TRAY_MUTATION_RUN: "1" },
    // Only the config group mutates the schema; the others need not load it (and zod) before each test file.
    setupFiles: [undefined, "all", "config"].includes(process.env.MUTATE_GROUP) ? ["test/support/mutate-setup.ts"] : [],
  },
});

/**
 * Stryker's vitest runner forces worker threads, where the keyring tests cannot point libsecret at their private
 * D-Bus session (a thread's process.env is its own copy) and seteuid is missing: back to child processes.
 */
function forks(): Plugin {
  return {
    name: "entra-tray:forks-for-stryker",
    configureVitest({ project }) {
      project.config.pool = "forks";
    },
  };
}
