/** A row of a results table: one trained model (or checkpoint) with its sizes and metric values. */
export type ScalingPoint = Readonly<Record<string, unknown>>;

/** x and y columns read out of plain records, checked, in raw units. */
export interface LawColumns {
  /** One array per x axis (size; or size and data). */
  readonly x: readonly Float64Array[];
  readonly y: Float64Array;
}

/**
 * Reads the x field(s) and the y field of every point as numbers, refusing anything a power law cannot
 * take: missing fields, NaN or infinite values, and x ≤ 0 (power laws need positive sizes).
 *
 * @example lawColumns([{ N: 1e6, ndcg: 0.3 }], ["N"], "ndcg", "fit").y // Float64Array [0.3]
 */
export function lawColumns(
  points: readonly ScalingPoint[],
  xFields: readonly string[],
  yField: string,
  caller: string,
): LawColumns {
  if (!Array.isArray(points) || points.length === 0) {
    throw new Error(`${caller}: no points to fit. Pass an array of records such as { nonEmbeddingParams: 1e6, "ndcg@10": 0.31 }.`);
  }
  const read = (point: ScalingPoint, index: number, field: string): number => {
    const value = point[field];
    if (value === undefined) {
      const fields = Object.keys(point).slice(0, 8).join(", ");
      throw new Error(`${caller}: point ${index} has no field "${field}" (its fields: ${fields}). Check the x/y field names.`);
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(
        `${caller}: point ${index} has ${field} = ${typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value)}; every point needs a finite number. ` +
          `Drop or fix that point before fitting.`,
      );
    }
    return value;
  };
  const x = xFields.map((field) =>
    Float64Array.from(points, (point, index) => {
      const value = read(point, index, field);
      if (value <= 0) {
        throw new Error(`${caller}: point ${index} has ${field} = ${value}; power laws need x > 0. Drop that point or use a positive unit.`);
      }
      return value;
    }),
  );
  const y = Float64Array.from(points, (point, index) => read(point, index, yField));
  return { x, y };
}
