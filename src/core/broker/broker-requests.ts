import { secondsText } from "../errors/time-units.js";

/**
 * The broker keeps its own token cache and ignores `forceRefresh`. Asking for claims makes it fetch a new token,
 * which is how VS Code's Microsoft sign-in forces a refresh through the broker too. The requested claims are left
 * as they are when the caller already asked for some.
 */
export function claimsForcingRefresh(claims: string | undefined): string {
  if (!claims) return FORCE_REFRESH_CLAIMS;
  const parsed = JSON.parse(claims) as Record<string, unknown>;
  return JSON.stringify({ access_token: {}, ...parsed });
}

const FORCE_REFRESH_CLAIMS = JSON.stringify({ access_token: {} });

/** The broker did not answer an interactive sign-in in time (msal-js #8483, #8369: it can hang). */
export class BrokerTimeoutError extends Error {
  override readonly name = "BrokerTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`The native broker did not finish the sign-in within ${secondsText(timeoutMs)}.`);
  }
}

/**
 * Races a broker call against a timer. The broker cannot be cancelled: a late answer is ignored (its account is
 * the broker's and shows up in the account list if it succeeded).
 */
export async function withBrokerTimeout<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** MSAL's code when the user closed the broker's window: a cancel, not a reason to try the browser. */
const USER_CANCELLED = "user_canceled";

/** Whether a failed broker sign-in should be retried in the browser (anything but the user cancelling). */
export function shouldFallBackToBrowser(error: unknown): boolean {
  return (error as { errorCode?: unknown }).errorCode !== USER_CANCELLED;
}

/** What to tell the user when the browser takes over from the broker. */
export function brokerFallbackNotice(error: unknown): string {
  const what = error instanceof BrokerTimeoutError
    ? error.message.replace(/\.$/, "")
    : `The native broker failed (${error instanceof Error ? error.message : String(error)})`;
  return `${what}; continuing the sign-in in the browser.`;
}
