#!/usr/bin/env node
// Draws entra-tray's tray icons for each auth state into assets/ (or the folder given), reproducibly (same bytes on every run): no image
// library, just shapes sampled 4x4 per pixel and written as PNG (zlib + CRC) and ICO (PNG entries).
//   assets/tray/<state>Template.png, @2x      macOS menu bar template images: black and alpha only (the OS tints them)
//   assets/tray/<state>.png, @2x              Linux trays: coloured, 22 px and 44 px
//   assets/tray/<state>.ico                   Windows notification area: 16, 24, 32 and 48 px
//   assets/icon.png                           the app icon, 512 px
// States: signedOut (hollow ring), signedIn (filled disc with a check), refreshing (ring with an arrow head),
// attention (ring with an exclamation mark). Shapes tell the states apart; colour only helps.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const OUT = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "assets"));
const COLOURS = { signedOut: [110, 116, 125], signedIn: [24, 128, 72], refreshing: [26, 115, 232], attention: [214, 120, 0] };

// --- shapes, in a unit square (0..1), as coverage functions (1 inside, 0 outside) ---
const disc = (cx, cy, r) => (x, y) => (Math.hypot(x - cx, y - cy) <= r ? 1 : 0);
const ring = (cx, cy, r, w) => (x, y) => (Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2 ? 1 : 0);
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= w / 2 ? 1 : 0;
};
const union = (...shapes) => (x, y) => Math.max(...shapes.map((shape) => shape(x, y)));
const minus = (shape, hole) => (x, y) => shape(x, y) * (1 - hole(x, y));
const arc = (cx, cy, r, w, from, to) => (x, y) => {
  let angle = Math.atan2(y - cy, x - cx);
  if (angle < from) angle += 2 * Math.PI;
  return angle >= from && angle <= to ? ring(cx, cy, r, w)(x, y) : 0;
};
const triangle = (a, b, c) => (x, y) => {
  const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0) ? 1 : 0;
};

const W = 0.13; // stroke width
const SHAPES = {
  signedOut: ring(0.5, 0.5, 0.36, W),
  signedIn: minus(disc(0.5, 0.5, 0.43), union(segment(0.31, 0.52, 0.45, 0.66, W), segment(0.45, 0.66, 0.7, 0.37, W))),
  refreshing: union(arc(0.5, 0.5, 0.36, W, -Math.PI / 2 + 0.9, 1.5 * Math.PI), triangle([0.5, 0.02], [0.5, 0.3], [0.74, 0.16])),
  attention: union(ring(0.5, 0.5, 0.36, W), segment(0.5, 0.3, 0.5, 0.55, W), disc(0.5, 0.69, W / 1.6)),
};

/** RGBA pixels of `shape` at `size` px, in `rgb`, sampled 4x4 per pixel. */
function rasterize(shape, size, rgb) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) covered += shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
      const offset = (py * size + px) * 4;
      pixels[offset] = rgb[0];
      pixels[offset + 1] = rgb[1];
      pixels[offset + 2] = rgb[2];
      pixels[offset + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(pixels, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header[entry] = size % 256;
    header[entry + 1] = size % 256;
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

mkdirSync(path.join(OUT, "tray"), { recursive: true });
const write = (name, bytes) => writeFileSync(path.join(OUT, name), bytes);
for (const [state, shape] of Object.entries(SHAPES)) {
  const colour = COLOURS[state];
  write(`tray/${state}Template.png`, png(rasterize(shape, 16, [0, 0, 0]), 16));
  write(`tray/${state}Template@2x.png`, png(rasterize(shape, 32, [0, 0, 0]), 32));
  write(`tray/${state}.png`, png(rasterize(shape, 22, colour), 22));
  write(`tray/${state}@2x.png`, png(rasterize(shape, 44, colour), 44));
  write(`tray/${state}.ico`, ico([16, 24, 32, 48].map((size) => ({ size, data: png(rasterize(shape, size, colour), size) }))));
}
write("icon.png", png(rasterize(SHAPES.signedIn, 512, COLOURS.signedIn), 512));
