import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "../..");

/** One layering violation of each kind, as a file planted in a copy of src. */
const PLANTS: Record<string, string> = {
  "src/core/config/planted-upward.ts": 'import { AuthService } from "../auth/auth-service.js";\nexport const x = AuthService;\n',
  "src/core/errors/planted-type.ts": 'import type { Profile } from "../config/profile.js";\nexport type X = Profile;\n',
  "src/core/net/planted-dynamic.ts": 'export const load = () => import("../auth/auth-service.js");\n',
  "src/core/tokens/planted-reexport.ts": 'export { GraphClient } from "../graph/graph-client.js";\n',
  "src/core/cache/planted-import-type.ts": 'export type X = import("../auth/auth-service.js").AuthService;\n',
  "src/core/claims/planted-electron.ts": 'import "electron";\n',
  "src/core/graph/planted-app.ts": 'import "../../app/index.js";\n',
  "src/app/planted-electron.ts": 'import { app } from "electron";\nexport const x = app;\n',
  "src/app/planted-cli.ts": 'export const load = () => import("../cli/run-cli.js");\n',
  "src/app/planted-computed.ts": 'export const load = (name: string) => import(name);\n',
  "src/cli/planted-main.ts": 'import "../main/index.js";\n',
  "src/cli/planted-core.ts": 'export const load = () => import("../core/auth/auth-service.js");\n',
  "src/demo-idp/planted-core.ts": 'import "../core/errors/auth-error.js";\n',
  "src/main/planted-cli.ts": 'import "../cli/run-cli.js";\n',
  "src/main/planted-core.ts": 'import "../core/auth/auth-service.js";\n',
  "src/preload/planted-node.ts": 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
  "src/preload/planted-app.ts": 'import "../app/index.js";\n',
  "src/ipc/planted-core.ts": 'import type { AuthError } from "../core/errors/auth-error.js";\nexport type X = AuthError;\n',
  "src/renderer/planted-node.ts": 'import path from "path";\nexport const x = path;\n',
  "src/renderer/planted-msal.ts": 'import "@azure/msal-node";\n',
  "src/renderer/planted-preload.ts": 'import "../preload/index.js";\n',
  "src/tools/planted-no-layer.ts": "export const x = 1;\n",
  "src/core/auth/planted-outside.ts": 'import "../../../test/support/file-fixture.js";\n',
};

describe("the layering lint rule (eslint.config.js), on a copy of the repository", () => {
  let copy: string;
  let results: ESLint.LintResult[];

  beforeAll(async () => {
    copy = await mkdtemp(path.join(tmpdir(), "entra-tray-lint-"));
    for (const entry of ["eslint.config.js", "eslint-rules", "package.json", "tsconfig.json", "src"]) {
      await cp(path.join(repo, entry), path.join(copy, entry), { recursive: true });
    }
    await symlink(path.join(repo, "node_modules"), path.join(copy, "node_modules"), "dir");
    for (const [file, text] of Object.entries(PLANTS)) {
      await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
      await writeFile(path.join(copy, file), text);
    }
    results = await new ESLint({ cwd: copy }).lintFiles(["src"]);
  });

  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  const layeringErrors = (file: string) =>
    results.find((result) => result.filePath === path.join(copy, file))?.messages.filter((m) => m.ruleId === "local/layers") ?? [];

  it.each(Object.keys(PLANTS))("fails on %s", (file) => {
    const errors = layeringErrors(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe(2);
  });

  it("finds nothing else: the real sources keep the layering", () => {
    const others = results.filter((result) => !Object.keys(PLANTS).some((file) => result.filePath === path.join(copy, file)));
    expect(others.flatMap((result) => result.messages.map((m) => `${result.filePath}: ${m.message}`))).toEqual([]);
  });

  it("refuses a test that imports electron, even for its types", async () => {
    const file = path.join(copy, "test", "planted-electron.test.ts");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'import type { App } from "electron";\nexport type X = App;\n');
    const [result] = await new ESLint({ cwd: copy }).lintFiles([file]);
    expect(result?.messages.map((m) => m.ruleId)).toEqual(["no-restricted-imports"]);
    expect(result?.messages[0]?.message).toMatch(/through the code under test/);
  });

  it("explains each refusal with the layer's reason", () => {
    expect(layeringErrors("src/core/config/planted-upward.ts")[0]?.message)
      .toBe("core/config may not import core/auth (../auth/auth-service.js). core/config stands on core/errors only.");
    expect(layeringErrors("src/tools/planted-no-layer.ts")[0]?.message).toMatch(/in no layer/);
    expect(layeringErrors("src/app/planted-computed.ts")[0]?.message).toMatch(/computed/);
  });
});
