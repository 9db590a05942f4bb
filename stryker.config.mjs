// Mutation testing, `npm run mutate` (not part of `npm test`): the modules where a slip costs users most, one
// group at a time. Stryker reruns every related test for a mutant in module-level code (a table, a schema), so a
// group's related tests are kept to its own: all groups at once made those reruns take most of an hour.
// scripts/mutate.sh (`npm run mutate [group...]`) runs each group as `MUTATE_GROUP=<group> npx stryker run`.

/** Group -> the files it mutates and the tests that run them in their own process (where a mutant can be active). */
export const GROUPS = {
  cli: { mutate: ["src/cli/exit-codes.ts"], testFiles: ["test/cli/exit-codes.test.ts"] },
  auth: {
    mutate: ["src/core/auth/{error-mapping,authorization-probe}.ts"],
    testFiles: ["test/core/auth/{error-mapping,authorization-probe}.test.ts"],
  },
  tokens: { mutate: ["src/core/tokens/*.ts"], testFiles: ["test/core/tokens/*.test.ts"] },
  config: { mutate: ["src/core/config/*.ts"], testFiles: ["test/core/config/*.test.ts"] },
  graph: { mutate: ["src/core/graph/*.ts"], testFiles: ["test/core/graph/*.test.ts"] },
  // The cache's locks and remembered accounts, whose own tests are quick. Not token-cache-store.ts: most of it is
  // Windows' and macOS's storage, and its Linux half is reached only through the keyring tests' real sign-ins,
  // several seconds a mutant (its slips are left to those tests).
  cache: {
    mutate: ["src/core/cache/{file-lock,lock-record,break-turns,lock-waits,active-accounts}.ts"],
    testFiles: ["test/core/cache/{file-lock,break-turns,lock-waits,active-accounts}.test.ts"],
  },
  // The shared cache document, its plugin under real MSAL, the plaintext file and the storage failure messages, by
  // their own in-process tests. Not the keyring tests: they reach the same code through real sign-ins in headless
  // Chromium, about half a minute a mutant.
  keyring: {
    mutate: ["src/core/cache/{shared-cache-plugin,cache-document,storage-problem,plaintext-file}.ts"],
    testFiles: ["test/core/cache/{shared-cache-plugin,cache-document,storage-problem,plaintext-file}.test.ts"],
  },
};

const group = process.env.MUTATE_GROUP ?? "all";
if (group !== "all" && !(group in GROUPS)) throw new Error(`MUTATE_GROUP must be one of ${Object.keys(GROUPS).join(", ")}, not ${group}.`);
const chosen = group === "all" ? Object.values(GROUPS) : [GROUPS[group]];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  coverageAnalysis: "perTest",
  // Mutants in module-level code (tables, schemas, helpers defined once) are not reliably switched on by this runner
  // under vitest 4.1: in error-mapping.ts all 33 "survived", even removing a code its tests map. Left out, not counted.
  ignoreStatic: true,
  mutate: [...chosen.flatMap((each) => each.mutate), "!src/**/index.ts"],
  testFiles: chosen.flatMap((each) => each.testFiles),
  concurrency: 2,
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  incremental: true,
  incrementalFile: `reports/mutation/${group}-incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
