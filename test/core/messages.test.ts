import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Core's messages reach people through the CLI and the tray alike: they say what to do in terms of the profile, the
// account and the settings, and each surface adds its own how-to. This reads every string core can show.
const CORE = path.resolve(import.meta.dirname, "../../src/core");
const CLI_WORDS = /entra-tray (login|logout|token|whoami|status|demo-idp)|--(profile|pop|account|authority|client-id|scopes|min-valid|device-code|no-browser|all|json|ca-file|graph-url|tenant-type|login-hint|select-account|no-interactive|timeout|url|method|shr-nonce|port|external-id)\b/;

const STRINGS = new Set([ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail]);

/** The texts of a file's string and template literals (comments are not tokens the scanner returns). */
function stringsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (STRINGS.has(node.kind)) found.push((node as ts.LiteralLikeNode).text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("core's messages", () => {
  it("name no CLI command or flag", () => {
    const files = readdirSync(CORE, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"));
    const offending = files.flatMap((name) => stringsOf(path.join(CORE, name)).filter((text) => CLI_WORDS.test(text)).map((text) => `${name}: ${text}`));
    expect(files.length).toBeGreaterThan(40);
    expect(offending).toEqual([]);
  });
});
