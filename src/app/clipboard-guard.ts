/**
 * What ClipboardGuard needs of the OS clipboard (Electron's in the tray app, a fake in tests). Electron's calls are
 * asynchronous since Electron 44: the guard compares the awaited text.
 */
export interface SecretClipboard {
  /** Writes `text`, marked as a secret for clipboard managers and history where the platform allows it. */
  writeSecret(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export interface ClipboardGuardOptions {
  /** Seconds after which a copied secret is cleared; 0 never clears it. Read at each copy (a setting may change). */
  clearAfterSec: () => number;
  /** Default setTimeout; tests fire the timer themselves. */
  setTimer?: (run: () => void, ms: number) => unknown;
  cancelTimer?: (timer: unknown) => void;
}

/**
 * Copies secrets the way password managers do: cleared after a delay, and on sign-out and quit, but only while the
 * clipboard still holds what was put there (whatever the person copied since is theirs).
 */
export class ClipboardGuard {
  private copied: string | undefined;
  private timer: unknown;
  /** Copies and clears run one after another, so a clear never misses a copy still being written. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly setTimer: NonNullable<ClipboardGuardOptions["setTimer"]>;
  private readonly cancelTimer: NonNullable<ClipboardGuardOptions["cancelTimer"]>;

  constructor(private readonly clipboard: SecretClipboard, private readonly options: ClipboardGuardOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.cancelTimer = options.cancelTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  /** Puts `secret` on the clipboard; returns the seconds until it is cleared, or undefined when it never is. */
  copy(secret: string): Promise<number | undefined> {
    return this.inTurn(() => this.write(secret));
  }

  /** Clears the clipboard if it still holds the last secret copied; says whether it did. */
  clear(): Promise<boolean> {
    return this.inTurn(() => this.clearNow());
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(secret: string): Promise<number | undefined> {
    this.cancelTimer(this.timer);
    await this.clipboard.writeSecret(secret);
    this.copied = secret;
    const seconds = this.options.clearAfterSec();
    if (seconds <= 0) return undefined;
    const timer = this.setTimer(() => void this.clear().catch(() => undefined), seconds * 1000);
    // A pending clear must not keep a quitting process alive; quit clears at once anyway.
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
    return seconds;
  }

  private async clearNow(): Promise<boolean> {
    this.cancelTimer(this.timer);
    const copied = this.copied;
    this.copied = undefined;
    if (copied === undefined || (await this.clipboard.readText()) !== copied) return false;
    await this.clipboard.clear();
    return true;
  }
}
