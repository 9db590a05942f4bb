/** Formatting of instants for people: a local date and time plus a relative phrase, all through Intl. */
export interface TimeFormatOptions {
  /** BCP 47 locale; the system's when absent. */
  locale?: string;
  /** IANA time zone; the system's when absent. */
  timeZone?: string;
}

export interface FormattedInstant {
  epochSec: number;
  /** UTC, ISO 8601. */
  iso: string;
  /** Local date and time with the zone, e.g. "Mar 4, 2026, 2:03:22 PM UTC". */
  local: string;
  /** e.g. "in 42 min.", "3 hr. ago", "now". */
  relative: string;
}

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "in 42 min." / "3 hr. ago". Units switch at 60 s, 60 min and 48 h: a token expiring tomorrow morning reads
 * better in hours than as "tomorrow", and anything further out in days.
 */
export function relativeTime(deltaSec: number, locale?: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { style: "short", numeric: "auto" });
  // Round the magnitude so that 90 s ahead and 90 s ago both read as 2 min (Math.round(-1.5) is -1).
  const sign = deltaSec < 0 ? -1 : 1;
  const seconds = Math.round(Math.abs(deltaSec));
  if (seconds < MINUTE) return format.format(sign * seconds, "second");
  const minutes = Math.round(seconds / MINUTE);
  if (minutes < 60) return format.format(sign * minutes, "minute");
  const hours = Math.round(seconds / HOUR);
  if (hours < 48) return format.format(sign * hours, "hour");
  return format.format(sign * Math.round(seconds / DAY), "day");
}

/** Undefined when the instant is outside what a Date can hold, so callers fall back to showing the raw number. */
export function formatInstant(epochSec: number, now: Date, options: TimeFormatOptions = {}): FormattedInstant | undefined {
  const date = new Date(epochSec * 1000);
  if (!Number.isFinite(date.getTime())) return undefined;
  const local = new Intl.DateTimeFormat(options.locale, {
    dateStyle: "medium",
    timeStyle: "long",
    timeZone: options.timeZone,
  }).format(date);
  return {
    epochSec,
    iso: date.toISOString(),
    local,
    relative: relativeTime((date.getTime() - now.getTime()) / 1000, options.locale),
  };
}
