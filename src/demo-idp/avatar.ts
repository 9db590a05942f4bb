import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

const GRID = 5;
const CELL = 24;
const MARGIN = 12;
const SIZE = GRID * CELL + 2 * MARGIN;

/**
 * A profile photo for a demo user: a symmetric 5x5 identicon derived from `seed`, as a 144x144 PNG.
 * Generated in code so the project ships no binary assets; the same seed always gives the same bytes.
 */
export function identiconPng(seed: string): Buffer {
  const hash = createHash("sha256").update(seed).digest();
  const ink = [hash[0] ?? 0, hash[1] ?? 0, hash[2] ?? 0].map((c) => 60 + (c % 140));
  const paper = [240, 242, 246];
  const filled = (col: number, row: number): boolean => {
    const mirrored = col < 3 ? col : GRID - 1 - col;
    return ((hash[3 + row * 3 + mirrored] ?? 0) & 1) === 1;
  };

  const stride = 1 + SIZE * 3; // a filter byte, then RGB
  const pixels = Buffer.alloc(stride * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inGrid = x >= MARGIN && y >= MARGIN && x < SIZE - MARGIN && y < SIZE - MARGIN;
      const on = inGrid && filled(Math.floor((x - MARGIN) / CELL), Math.floor((y - MARGIN) / CELL));
      const color = on ? ink : paper;
      pixels.set(color, y * stride + 1 + x * 3);
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
