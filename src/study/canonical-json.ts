import { createHash } from "node:crypto";

/**
 * JSON text of a plain value with object keys sorted at every level, so that two equal configs always give the
 * same text (and the same hash) whatever order their keys were written in. Arrays keep their order.
 * Non-finite numbers are refused: JSON would silently turn them into null.
 *
 * Reference: RFC 8785 (JSON Canonicalization Scheme), key sorting only.
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, "$"));
}

/** First `hexChars` hex digits of the sha256 of `canonicalJson(value)`. @example canonicalHash({ a: 1 }, 8) // "015abd7f" */
export function canonicalHash(value: unknown, hexChars = 12): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, hexChars);
}

function sortKeys(value: unknown, where: string): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`canonicalJson: ${where} is ${value}, which JSON cannot hold. Use a finite number or null.`);
  }
  if (Array.isArray(value)) return value.map((item, index) => sortKeys(item, `${where}[${index}]`));
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item, `${where}.${key}`);
    }
    return sorted;
  }
  return value;
}
