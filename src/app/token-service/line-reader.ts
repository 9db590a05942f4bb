/**
 * Cuts a byte stream into lines of at most `maxBytes` (newline excluded). A longer line is reported once as
 * oversized and skipped up to its newline, so one bad frame never desynchronises the ones after it, and a peer
 * that never sends a newline cannot make us buffer more than `maxBytes`.
 */
export class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversized: () => void,
  ) {}

  push(data: Buffer): void {
    let start = 0;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      this.take(data.subarray(start, newline));
      if (!this.skipping) this.onLine(Buffer.concat(this.chunks).toString("utf8"));
      this.chunks = [];
      this.size = 0;
      this.skipping = false;
      start = newline + 1;
    }
    this.take(data.subarray(start));
  }

  private take(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    if (this.size + part.length > this.maxBytes) {
      this.chunks = [];
      this.size = 0;
      this.skipping = true;
      this.onOversized();
      return;
    }
    this.chunks.push(part);
    this.size += part.length;
  }
}
