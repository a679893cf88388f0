/**
 * `steps` values spaced evenly in log between `low` and `high` inclusive (the x grid of a power-law curve).
 * @example logSpaced(1, 100, 3) // [1, 10, 100]
 */
export function logSpaced(low: number, high: number, steps: number): number[] {
  if (!(low > 0 && high >= low && Number.isFinite(high))) throw new Error(`logSpaced: need 0 < low <= high, got ${low} and ${high}.`);
  if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`logSpaced: steps must be an integer >= 2, got ${steps}.`);
  return Array.from({ length: steps }, (_, i) => (i === steps - 1 ? high : low * (high / low) ** (i / (steps - 1))));
}

/** A number rounded to `digits` significant digits, so chart data stay short and stable across machines. */
export function toSignificant(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
