/**
 * What a script reading this JSON depends on: every key, in order, down to the type of each value
 * ("string", "number", "boolean", "null"), arrays element by element.
 */
export function jsonShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonShape);
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, jsonShape(each)]));
}
