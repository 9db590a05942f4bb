import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";

// The workflow runs only on GitHub: here it is at least parsed, and held to running on the three desktops.
interface Job {
  "runs-on": string;
  strategy?: { matrix: { include: { os: string }[] } };
  steps: { run?: string; uses?: string }[];
}
const workflow = load(readFileSync(path.resolve(import.meta.dirname, "..", "..", ".github", "workflows", "ci.yml"), "utf8")) as {
  jobs: Record<string, Job>;
};

describe("ci.yml", () => {
  const jobs = Object.values(workflow.jobs);
  const runnersOf = (job: Job) => job.strategy?.matrix.include.map(({ os }) => os) ?? [job["runs-on"]];
  const commands = (job: Job) => job.steps.map((step) => step.run ?? "").join("\n");

  it("runs on Linux, Windows and macOS", () => {
    const runners = jobs.flatMap(runnersOf);
    for (const desktop of [/^ubuntu-/, /^windows-/, /^macos-/]) expect(runners).toContainEqual(expect.stringMatching(desktop));
  });

  it("installs Electron's binary, tests, and keeps installers in every job", () => {
    for (const job of jobs) {
      expect(commands(job)).toContain("node node_modules/electron/install.js");
      expect(commands(job)).toMatch(/npm test|vitest run test\/electron/);
      expect(commands(job)).toContain("npm run dist");
      expect(job.steps.map((step) => step.uses)).toContainEqual(expect.stringMatching(/^actions\/upload-artifact@/));
    }
  });
});
