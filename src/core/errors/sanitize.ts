/** Keeps a detail safe to show: no query strings (state, codes, hints), nothing token-shaped, one short line. */
export function sanitize(text: string): string {
  const oneLine = text
    .replace(/\b(https?:\/\/[^\s?#'"]+)[?#][^\s'"]*/g, "$1")
    .replace(/\beyJ[\w-]+\.[\w-]+(\.[\w-]*)?/g, "[token]")
    .replace(/\b[\w-]{40,}\b/g, "[redacted]")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\.$/, "");
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

/** A thrown thing's message, made safe to show. */
export const reasonOf = (error: unknown): string => sanitize(error instanceof Error ? error.message : String(error));
