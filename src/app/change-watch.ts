import { stat } from "node:fs/promises";

/**
 * Calls `onChange` when any of `files` is written, created or deleted, by this process or another: the token cache
 * (its keyring stamp or file) and the remembered active accounts, so a running tray app follows what
 * `entra-tray login` did in a terminal. Polls file times, which works on every platform and file system the
 * token cache lives on (fs.watch does not on network homes), at the cost of a few stat calls every interval.
 */
export class ChangeWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly files: string[],
    private readonly intervalMs: number,
    private readonly onChange: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.signature().then((signature) => (this.last ??= signature));
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    // A CLI process ends when its command is done, whatever is being watched.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  /** Looks now rather than at the next interval; callers at the same time share one look. */
  check(): Promise<void> {
    return (this.checking ??= this.compare().finally(() => (this.checking = undefined)));
  }

  private async compare(): Promise<void> {
    const signature = await this.signature();
    if (this.last !== undefined && signature !== this.last) await this.onChange();
    this.last = signature;
  }

  private async signature(): Promise<string> {
    const stamps = await Promise.all(this.files.map((file) =>
      stat(file).then((found) => `${found.mtimeMs}:${found.size}:${found.ino}`, () => "-")));
    return stamps.join("|");
  }
}
