// Lint enforces the import directions of ../shared/DESIGN.md, so the layering cannot rot.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const electronModules = ["electron", "electron/*", "menubar", "electron-store"];
const layer = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Plain JavaScript here (test helpers run as `$BROWSER` programs, this config) runs under Node.
  { files: ["**/*.js", "**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          layer(electronModules, "src/core runs under plain Node: it never imports Electron."),
          layer(["**/main/**", "**/preload/**", "**/renderer/**", "**/cli/**", "**/demo-idp/**", "**/ipc/**"],
            "src/core imports only Node and libraries (DESIGN.md: core -> node + libraries)."),
        ],
      }],
    },
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          layer(electronModules, "The CLI runs under plain Node: it never imports Electron."),
          layer(["**/main/**", "**/preload/**", "**/renderer/**", "**/ipc/**"],
            "The CLI imports core (and the demo IdP it can start), never the app's processes."),
        ],
      }],
    },
  },
  {
    files: ["src/demo-idp/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          layer(electronModules, "The demo IdP is a plain Node server."),
          layer(["**/core/**", "**/main/**", "**/preload/**", "**/renderer/**", "**/cli/**", "**/ipc/**"],
            "The demo IdP stands alone: it imports only its own dependencies."),
        ],
      }],
    },
  },
  {
    files: ["src/renderer/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          layer(["node:*", "fs", "path", "child_process", "os", "crypto", ...electronModules, "@azure/*"],
            "The renderer is a sandboxed web page: no Node, no Electron, no MSAL."),
          layer(["**/core/**", "**/main/**", "**/preload/**", "**/cli/**", "**/demo-idp/**"],
            "The renderer imports only src/ipc and its own files."),
        ],
      }],
    },
  },
);
