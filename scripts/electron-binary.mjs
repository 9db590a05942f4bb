// Where the Electron binary is, found as the electron package finds it but without importing the package (under
// plain Node that starts a download). Used by `npm start` and the real-Electron test.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const electronPackageDir = path.dirname(createRequire(import.meta.url).resolve("electron/package.json"));

/** The binary's path when it is there (the package's path.txt names it once installed), else undefined. */
export function installedElectron() {
  const pathFile = path.join(electronPackageDir, "path.txt");
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(electronPackageDir, "dist"), readFileSync(pathFile, "utf8"));
  return existsSync(binary) ? binary : undefined;
}
