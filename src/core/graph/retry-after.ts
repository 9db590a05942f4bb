/**
 * The wait a `Retry-After` header asks for, in ms (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or undefined
 * when the header is absent or unreadable. A date in the past means "now" (0); clock skew can make it so.
 */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the day's name; Date.parse alone would also take "1.5" or "-3" as dates.
  if (!/^[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
