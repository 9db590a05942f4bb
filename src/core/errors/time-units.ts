// Durations travel as milliseconds inside the code; people read seconds (and minutes) in messages.

export const MS_PER_SECOND = 1000;

/** "0.3 s", "30 s": a deadline in the words of the error messages. */
export const secondsText = (ms: number): string => `${Number((ms / MS_PER_SECOND).toFixed(1))} s`;

/** "4.5 s", "45 s", "5 minutes": a wait a person sat through. */
export function durationText(ms: number): string {
  const seconds = ms / MS_PER_SECOND;
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} minutes`;
}
