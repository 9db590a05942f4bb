import { claimInfo, LEADING_CLAIMS, type ClaimInfo } from "./claim-catalog.js";
import { formatInstant, type TimeFormatOptions } from "./time-format.js";

/**
 * One claim as the popover shows it. Every string is plain text: renderers must insert it as text
 * (textContent), never as HTML, because users choose their own display names in External ID.
 */
export interface ClaimRow {
  key: string;
  /** Readable name for well-known claims; the key itself otherwise. */
  label: string;
  value: string;
  description?: string;
  kind: "time" | "text" | "list" | "json";
  time?: { epochSec: number; iso: string; relative: string };
}

export interface ClaimRowsOptions extends TimeFormatOptions {
  /** Reference point of relative times ("in 42 min."). */
  now: Date;
}

type Rendered = Pick<ClaimRow, "value" | "kind" | "time">;

const isPrimitive = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function renderPlain(value: unknown): Rendered {
  if (isPrimitive(value)) return { value: String(value), kind: "text" };
  if (Array.isArray(value) && value.every(isPrimitive)) return { value: value.map(String).join(", "), kind: "list" };
  return { value: JSON.stringify(value), kind: "json" };
}

function renderTime(epochSec: number, options: ClaimRowsOptions): Rendered | undefined {
  const instant = formatInstant(epochSec, options.now, options);
  if (!instant) return undefined;
  return {
    value: `${instant.local} (${instant.relative})`,
    kind: "time",
    time: { epochSec: instant.epochSec, iso: instant.iso, relative: instant.relative },
  };
}

function render(value: unknown, format: ClaimInfo["format"], options: ClaimRowsOptions): Rendered {
  if (format === "time" && typeof value === "number") return renderTime(value, options) ?? renderPlain(value);
  if (format === "spaceList" && typeof value === "string") {
    return { value: value.split(/\s+/).filter(Boolean).join(", "), kind: "list" };
  }
  return renderPlain(value);
}

const leadingRank = new Map(LEADING_CLAIMS.map((key, index) => [key, index]));

/** Well-known claims first in LEADING_CLAIMS order, then the rest by key in code-unit order (same on every locale). */
function compareKeys(a: string, b: string): number {
  const rankA = leadingRank.get(a) ?? Infinity;
  const rankB = leadingRank.get(b) ?? Infinity;
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Turns a token's claims into display rows: every claim is kept (unknown ones under their own key), times become
 * local date and time plus a relative phrase, lists are joined, objects shown as compact JSON.
 */
export function claimRows(claims: Record<string, unknown>, options: ClaimRowsOptions): ClaimRow[] {
  return Object.keys(claims)
    .filter((key) => claims[key] !== undefined)
    .sort(compareKeys)
    .map((key) => {
      const info = claimInfo(key);
      const row: ClaimRow = { key, label: info?.label ?? key, ...render(claims[key], info?.format, options) };
      if (info) row.description = info.description;
      return row;
    });
}
