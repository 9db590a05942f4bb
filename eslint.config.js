// Lint enforces the import directions of the README's architecture section, so the layering cannot rot.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import layers from "./eslint-rules/layers.js";

const MSAL = ["@azure/msal-node", "@azure/msal-node-extensions"];
// keytar: the keyring binding msal-node-extensions uses, read directly where loading the extensions costs too much.
const core = (imports, why) => ({ imports, packages: [...MSAL, "keytar", "jose", "jsonc-parser", "zod"], node: true, why });

/**
 * Each folder of src and what it may import: other layers (`core/*` is all of core), packages, and Node's own
 * modules. Anything not listed is refused, dynamic `import()` included. Inside core each folder imports only
 * folders below it; errors is the bottom.
 */
const LAYERS = {
  "core/errors": core([], "core/errors is the bottom layer: it imports nothing of ours."),
  "core/config": core(["core/errors"], "core/config stands on core/errors only."),
  "core/net": core(["core/errors"], "core/net stands on core/errors only."),
  "core/broker": core(["core/errors", "core/config"], "core/broker shapes requests for auth: it stands on errors and config."),
  "core/auth": core(["core/errors", "core/config", "core/net", "core/broker"], "core/auth uses the layers below it, never cache, tokens, graph or claims."),
  "core/cache": core(["core/errors"], "core/cache stands on core/errors only."),
  "core/tokens": core(["core/errors"], "core/tokens works over a token source interface: it stands on core/errors only."),
  "core/graph": core(["core/errors", "core/config", "core/net"], "core/graph stands on errors, config and net."),
  "core/claims": core(["core/errors"], "core/claims turns claims into rows: it stands on core/errors only."),
  app: { imports: ["core/*", "demo-idp"], packages: ["conf"], node: true, why: "src/app composes core (plain Node, never Electron)." },
  cli: { imports: ["app", "demo-idp"], packages: ["commander"], node: true, why: "The CLI is flags and output over src/app." },
  "demo-idp": { imports: [], packages: ["oidc-provider", "jose", "@peculiar/x509", "reflect-metadata"], node: true, why: "The demo IdP stands alone." },
  main: { imports: ["app", "ipc"], packages: ["electron", "menubar", "electron-store"], node: true, why: "The main process adapts src/app to Electron." },
  preload: { imports: ["ipc"], packages: ["electron"], node: false, why: "The preload is sandboxed: Electron's bridge and the IPC contract only." },
  renderer: { imports: ["ipc"], packages: [], node: false, why: "The renderer is a web page: it sees only the IPC contract." },
  ipc: { imports: [], packages: [], node: false, why: "The IPC contract is plain types, shared by main, preload and renderer." },
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "test-results/**", ".stryker-tmp/**", "reports/**"] },
  js.configs.recommended,
  // Type-aware: a promise left floating (a sign-out whose failure never reaches the caller) or handed where nothing
  // awaits it is an error, which only the types can show.
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  // Plain JavaScript here (test helpers run as `$BROWSER` programs, this config) runs under Node, outside tsconfig.
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  { files: ["**/*.js", "**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "dev/**/*.ts"],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringMatching, ...) are typed `any` by design.
      "@typescript-eslint/no-unsafe-assignment": "off",
      // Fakes implement async interfaces with bodies that have nothing to await.
      "@typescript-eslint/require-await": "off",
      // The real module downloads a binary and cannot run under Node: tests take Electron's types through the code
      // under test (its parameters) and hand it fakes; `vi.mock("electron", ...)` guards against a run-time import.
      "no-restricted-imports": ["error", { paths: [{ name: "electron", message: "Take Electron's types through the code under test (e.g. Parameters<typeof f>[0]) and hand it a fake." }] }],
    },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/**"],
    plugins: { local: { rules: { layers } } },
    rules: { "local/layers": ["error", { src: "src", layers: LAYERS }] },
  },
);
