import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { useTempHomes } from "../e2e/support/demo-env.js";

// The tray icons in assets/ are what scripts/make-icons.mjs draws: committed, and the same bytes on every run.
const ASSETS = path.resolve("assets");
const STATES = ["signedOut", "signedIn", "refreshing", "attention"];
const newDir = useTempHomes();

/** Width, height and RGBA rows of one of our PNGs (8-bit RGBA, filter 0 on every row: how the script writes them). */
function decode(file: string): { width: number; height: number; pixels: Buffer } {
  const bytes = readFileSync(file);
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idat = bytes.subarray(33 + 8, bytes.length - 12 - 4);
  const rows = inflateSync(idat);
  const pixels = Buffer.concat(Array.from({ length: height }, (_, y) => rows.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))));
  return { width, height, pixels };
}

describe("tray icons", () => {
  it("are exactly what the script draws", async () => {
    const dir = await newDir();
    execFileSync(process.execPath, ["scripts/make-icons.mjs", dir]);
    const drawn = [...readdirSync(path.join(dir, "tray")).map((name) => `tray/${name}`), "icon.png"].sort();
    expect(drawn).toHaveLength(STATES.length * 5 + 1);
    for (const name of drawn) expect(readFileSync(path.join(ASSETS, name)).equals(readFileSync(path.join(dir, name))), name).toBe(true);
  });

  it("come in every state at the sizes each desktop wants; macOS templates are black with alpha only", () => {
    for (const state of STATES) {
      for (const [file, size] of [[`${state}Template.png`, 16], [`${state}Template@2x.png`, 32], [`${state}.png`, 22], [`${state}@2x.png`, 44]] as const) {
        const { width, height, pixels } = decode(path.join(ASSETS, "tray", file));
        expect([width, height], file).toEqual([size, size]);
        const visible = pixels.filter((_, i) => i % 4 === 3 && pixels[i] !== 0).length;
        expect(visible, `${file} draws something`).toBeGreaterThan(size);
        if (file.includes("Template")) expect(pixels.every((value, i) => i % 4 === 3 || value === 0), file).toBe(true);
      }
      const ico = readFileSync(path.join(ASSETS, "tray", `${state}.ico`));
      expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 4]);
      expect([0, 1, 2, 3].map((i) => ico[6 + 16 * i])).toEqual([16, 24, 32, 48]);
    }
  });
});
