import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";

// electron-builder.json against electron-builder's own schema, offline, so a misspelt key fails here rather than
// half-way through a release build; and the choices the installers rely on.
const root = path.resolve(import.meta.dirname, "..", "..");
const require = createRequire(import.meta.url);
const scheme = require("app-builder-lib/scheme.json") as object;
const text = () => readFileSync(path.join(root, "electron-builder.json"), "utf8");
const config = (json = text()) => JSON.parse(json) as {
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  mac: { extendInfo: Record<string, unknown>; icon: string };
  linux: { target: string[]; maintainer: string };
};

// The schema marks function-valued options with ajv-keywords' `typeof`; a JSON file cannot hold functions anyway.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addKeyword({ keyword: "typeof", schemaType: "string", validate: (type: string, data: unknown) => typeof data === type });
const validate = ajv.compile(scheme);

describe("electron-builder.json", () => {
  it("meets electron-builder's schema", () => {
    expect(validate(config()), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("fails the schema with a misspelt key", () => {
    expect(validate(config(text().replace('"extendInfo"', '"extendinfo"')))).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: "/mac", params: { additionalProperty: "extendinfo" } }));
  });

  it("turns off the fuses an attacker could use and loads the app only from its asar", () => {
    expect(config().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it("ships the page, the preload, the main process and the tray icons where main looks for them", () => {
    const { files } = config();
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { main: string };
    expect(pkg.main).toBe("dist/main/main.js");
    // main.ts reads the icons from <app>/assets/tray: inside the asar, beside dist/.
    expect(files).toEqual(expect.arrayContaining(["dist/**/*", "assets/tray/**/*"]));
    expect(existsSync(path.join(root, "assets", "tray", "signedIn.png"))).toBe(true);
    expect(existsSync(path.join(root, config().mac.icon))).toBe(true);
  });

  it("keeps the native modules out of the asar", () => {
    for (const module of ["keytar", "@azure/msal-node-runtime"]) {
      expect(config().asarUnpack).toContain(`node_modules/${module}/**/*`);
      expect(existsSync(path.join(root, "node_modules", module, "package.json"))).toBe(true);
    }
  });

  it("runs as a menu-bar app on macOS and builds AppImage and deb on Linux, the deb with a maintainer and homepage", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { homepage?: string };
    expect(config().mac.extendInfo.LSUIElement).toBe(true);
    expect(config().linux.target).toEqual(["AppImage", "deb"]);
    expect(config().linux.maintainer).toMatch(/^.+ <.+@.+>$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });
});
