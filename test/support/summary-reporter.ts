import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain `tests: N passed, N failed, N skipped` line, so CI logs say what ran and what did not,
 * after a line per skipped test that said why.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") counts.passed++;
        else if (result.state === "failed") counts.failed++;
        else {
          counts.skipped++;
          if (result.state === "skipped" && result.note) reasons.push(`skipped: ${test.fullName}: ${result.note}`);
        }
      }
    }
    for (const reason of reasons) process.stdout.write(`${reason}\n`);
    process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
