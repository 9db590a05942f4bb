import type { BrowserOpener } from "./browser-opener.js";

export type StopReason = "timeout" | "cancelled";

/**
 * Adds the timeout and cancel that MSAL's acquireTokenInteractive lacks (it waits forever, its loopback listener
 * open). Hand `openBrowser` to MSAL. On stop: if the browser is not open yet, `openBrowser` rejects (MSAL then
 * closes its listener and rethrows); once it is, an `error` answer with the request's `state` is posted to the
 * loopback listener, which MSAL treats as the IdP's reply and so ends the flow and closes the listener.
 */
export class InteractiveGuard {
  private reason: StopReason | undefined;
  private authUrl: string | undefined;
  private rejectOpening: ((error: Error) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.stop("cancelled");

  constructor(
    private readonly opener: BrowserOpener,
    timeoutMs: number,
    private readonly signal?: AbortSignal,
    /** Runs before the browser opens (and is stopped with it): rejecting ends the sign-in without opening it. */
    private readonly beforeOpening: (url: string) => Promise<void> = () => Promise.resolve(),
  ) {
    this.timer = setTimeout(() => this.stop("timeout"), timeoutMs);
    if (signal?.aborted) this.reason = "cancelled";
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Why the flow was stopped, if it was. */
  get stopReason(): StopReason | undefined {
    return this.reason;
  }

  readonly openBrowser = async (url: string): Promise<void> => {
    if (this.reason) throw new Error(`interactive sign-in stopped: ${this.reason}`);
    this.authUrl = url;
    await new Promise<void>((resolve, reject) => {
      this.rejectOpening = reject;
      const settle = (error?: Error) => {
        this.rejectOpening = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
      // A stop during beforeOpening has already rejected this call: the browser must then not open.
      this.beforeOpening(url).then(() => (this.reason ? undefined : this.opener(url))).then(() => settle(),
        (error: unknown) => settle(error instanceof Error ? error : new Error("browser opener failed", { cause: error })));
    });
  };

  /** Clears the timer and the abort listener; call when the MSAL call has settled. */
  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this.onAbort);
  }

  private stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.rejectOpening) {
      this.rejectOpening(new Error(`interactive sign-in stopped: ${reason}`));
    } else if (this.authUrl) {
      void answerLoopback(this.authUrl, reason);
    }
  }
}

/** Posts `error=<reason>&state=<state>` to the loopback redirect named in the authorization URL. */
async function answerLoopback(authUrl: string, reason: StopReason): Promise<void> {
  const params = new URL(authUrl).searchParams;
  const redirect = new URL(params.get("redirect_uri") ?? "");
  // MSAL listens on 127.0.0.1 while naming the redirect `localhost`; go to the address it binds.
  const target = `http://127.0.0.1:${redirect.port}/`;
  try {
    await fetch(target, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ error: reason, state: params.get("state") ?? "" }).toString(),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    // The listener is already gone: the flow ended on its own at the same moment.
  }
}
