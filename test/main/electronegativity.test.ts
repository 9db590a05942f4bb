import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loopbackNamesEnv } from "../support/loopback-names.js";
import { useTempHomes } from "../e2e/support/demo-env.js";

// Doyensec's electronegativity over src/, Electron's known misconfigurations and anti-patterns. Its command line
// always exits 0 (and breaks on the commander this tree has), so its runner is called directly, in a child process
// whose outside names fail at once (it would look up Electron's releases and translations online).
const newDir = useTempHomes();

interface Finding { id: string; file: string; sample: string }

/** Each finding we reviewed, why it is fine here, and what it must match. */
const REVIEWED: { id: string; file?: RegExp; why: string }[] = [
  { id: "OPEN_EXTERNAL_JS_CHECK", file: /src\/main\/main\.ts$/, why: "the URL is vetted first (vetExternalUrl: https, the identity providers' hosts only)" },
  { id: "CSP_GLOBAL_CHECK", why: "'self' in script-src is risky where a host serves JSONP or uploads; app:// serves only our built page files" },
];

const SCAN = `
  const run = require("@doyensec/electronegativity/dist/runner.js");
  run({ input: process.argv[1], electronVersionOverride: "45.5.0", parserPlugins: [] }).then((result) => {
    process.stdout.write("\\nREPORT " + JSON.stringify({ checks: result.atomicChecks + result.globalChecks, errors: result.errors.length,
      findings: result.issues.map((issue) => ({ id: issue.id, file: issue.file, sample: issue.sample ?? "" })) }));
  });`;

describe("electronegativity over src/", () => {
  it("finds nothing but the reviewed findings", async () => {
    const env = { ...process.env, ...loopbackNamesEnv([], `${await newDir()}/dns.log`) };
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", SCAN, "src"], { env, maxBuffer: 16 * 1024 * 1024 });
    // It prints its own notes on stdout too: the report is the line we marked.
    const report = JSON.parse(stdout.slice(stdout.lastIndexOf("\nREPORT ") + 8)) as { checks: number; errors: number; findings: Finding[] };
    expect(report.checks).toBeGreaterThan(20);
    expect(report.errors).toBe(0);
    const unreviewed = report.findings.filter((finding) => !REVIEWED.some((ok) => ok.id === finding.id && (!ok.file || ok.file.test(finding.file))));
    expect(unreviewed).toEqual([]);
    // It did read our TypeScript: the one openExternal call is found.
    expect(report.findings.map((finding) => finding.id)).toContain("OPEN_EXTERNAL_JS_CHECK");
  });
});
