import type { DeviceCodeRequest } from "@azure/msal-node";

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  /** A sentence to show the user, e.g. "To sign in, open ... and enter the code ...". */
  message: string;
  expiresOn: Date;
}

/** Why a device-code flow stopped before the user finished: ours, or the IdP gave no code to show. */
export type DeviceCodeStop = "timeout" | "cancelled" | "noCode";

/**
 * One device-code request for MSAL with the timeout and cancel it lacks: MSAL reads the request's `cancel`
 * flag before each poll of the token endpoint, so setting it ends the flow within one polling interval.
 */
export class DeviceCodeRun {
  readonly request: DeviceCodeRequest;
  private reason: DeviceCodeStop | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.stop("cancelled");

  constructor(
    scopes: string[],
    onCode: (info: DeviceCodeInfo) => void,
    timeoutMs: number | undefined,
    private readonly signal?: AbortSignal,
  ) {
    this.request = {
      scopes,
      cancel: signal?.aborted === true,
      deviceCodeCallback: (response) => {
        if (this.reason) return; // stopped while the code was being fetched: show nothing
        if (!response.userCode || !response.verificationUri) {
          this.stop("noCode");
          return;
        }
        onCode({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message ||
            `To sign in, open ${response.verificationUri} and enter the code ${response.userCode}.`,
          expiresOn: new Date(Date.now() + response.expiresIn * 1000),
        });
      },
    };
    if (signal?.aborted) this.reason = "cancelled";
    this.timer = timeoutMs === undefined ? undefined : setTimeout(() => this.stop("timeout"), timeoutMs);
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  get stopReason(): DeviceCodeStop | undefined {
    return this.reason;
  }

  /** Clears the timer and the abort listener; call when the MSAL call has settled. */
  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this.onAbort);
  }

  private stop(reason: DeviceCodeStop): void {
    this.reason ??= reason;
    this.request.cancel = true;
  }
}
