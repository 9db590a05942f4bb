import os from "node:os";

/** The q-quantile (0..1) of the samples by the nearest-rank method. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error("No samples to summarise.");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** A number with about three significant digits, e.g. 0.0412, 3.17, 812, 12345. */
export function fmt(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  return Number(value.toPrecision(3)).toString();
}

export const ratio = (value: number, base: number): string => `${fmt(value / base)}x`;

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

/** A plain-text table: numbers line up on the right, words on the left. */
export function renderTable({ title, columns, rows, notes = [] }: Table): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = columns.map((_, i) => rows.every((row) => /^[\d.,x%~ -]*$/.test(row[i] ?? "")));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(" | ").trimEnd();
  return [
    title,
    line(columns),
    widths.map((width) => "-".repeat(width)).join("-|-"),
    ...rows.map(line),
    ...notes.map((note) => `  ${note}`),
  ].join("\n");
}

export function machineInfo(): string {
  const cpus = os.cpus();
  const [load1, load5] = os.loadavg();
  return [
    `date:    ${new Date().toISOString()}`,
    `cpu:     ${cpus[0]?.model ?? "unknown"} x ${os.availableParallelism()} (load average ${fmt(load1 ?? 0)} / ${fmt(load5 ?? 0)} over 1 / 5 min)`,
    `memory:  ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `os:      ${os.type()} ${os.release()} ${os.arch()}`,
    `node:    ${process.version}`,
  ].join("\n");
}
