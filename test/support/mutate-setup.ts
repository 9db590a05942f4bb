// Loaded before each test file in a mutation run only (vitest.mutate.config.ts). The config schema is otherwise
// imported lazily, inside a test (checked-parse.ts keeps zod off the CLI's fast path), and its module-level code
// (the schema, its hints and patterns) would then count as code under test that this runner can never switch a
// mutant on in: loaded here, it counts as static, which the mutation run leaves out (README, Mutation testing).
import "../../src/core/config/profile-schema.js";
