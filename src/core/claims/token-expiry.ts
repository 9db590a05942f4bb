import { relativeTime } from "./time-format.js";

/** A token's expiry in the shape a countdown needs; recompute it each tick with a new `now`. */
export interface TokenExpiry {
  /** UTC, ISO 8601. */
  expiresOn: string;
  /** Whole seconds left, never negative. */
  secondsLeft: number;
  expired: boolean;
  /** e.g. "expires in 42 min." or "expired 3 min. ago". */
  label: string;
}

export function tokenExpiry(expiresOn: Date, now: Date, options: { locale?: string } = {}): TokenExpiry {
  const deltaSec = (expiresOn.getTime() - now.getTime()) / 1000;
  const expired = deltaSec <= 0;
  const relative = relativeTime(deltaSec, options.locale);
  return {
    expiresOn: expiresOn.toISOString(),
    secondsLeft: Math.max(0, Math.floor(deltaSec)),
    expired,
    label: expired ? `expired ${relative}` : `expires ${relative}`,
  };
}
