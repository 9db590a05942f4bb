import type { IncomingMessage } from "node:http";

const LIMIT_BYTES = 64 * 1024;

/** Reads a whole request body (small forms only: anything over 64 KiB is refused). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > LIMIT_BYTES) throw Object.assign(new Error("request body too large"), { status: 413, expose: true });
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString("utf8"));
}
