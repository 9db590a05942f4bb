import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A new config.json: no profile yet (the README's "Configuration" shows one; the file is strict JSON). */
const TEMPLATE = `${JSON.stringify({ profiles: {} }, null, 2)}\n`;

/** The app home's config.json, created empty when there is none yet (so "Settings" opens something to edit). */
export function ensureConfigFile(home: string): string {
  const file = path.join(home, "config.json");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, TEMPLATE, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return file;
}
