import { fitColumns } from "./fit";
import type { FitRecord, ScalingFit } from "./scaling-fit";
import type { ParameterBounds } from "./scaling-law";

/** Relative agreement required between a stored fit's parameters and the refit (the optimizer's stopping rule). */
export const RESTORE_TOLERANCE = 1e-6;

/**
 * Rebuilds a ScalingFit (with `predict`, `ci`, charts) from its stored record (`fit.toJSON()`): refits the
 * recorded data with the recorded law, direction, loss, bounds and rescaling — fits are deterministic — and
 * checks that the parameters agree with the stored ones. A truncated, edited or mismatched record throws
 * instead of producing a different law under the old name.
 *
 * @example restoreFit(JSON.parse(fs.readFileSync("fits/ndcg-saturating.json", "utf8"))).predict(1e9)
 */
export function restoreFit(record: FitRecord): ScalingFit {
  const where = "restoreFit";
  if (!record || typeof record !== "object" || !record.data || !Array.isArray(record.data.y) || !record.scaled?.params) {
    throw new Error(`${where}: not a fit record (needs law, data, scaled.params); write it with JSON.stringify(fit) or fit.toJSON().`);
  }
  const bounds: Record<string, ParameterBounds> = Object.fromEntries(
    Object.entries(record.scaled.bounds ?? {}).map(([name, [lower, upper]]) => [name, [lower ?? -Infinity, upper ?? Infinity]]),
  );
  const columns = { x: record.data.x.map((axis) => Float64Array.from(axis)), y: Float64Array.from(record.data.y) };
  const restored = fitColumns(columns, {
    law: record.law,
    x: record.x,
    y: record.y,
    direction: record.direction,
    loss: record.loss,
    huberDelta: record.huberDelta,
    xScale: record.scaled.xScale,
    bounds,
  });
  for (const [name, stored] of Object.entries(record.scaled.params)) {
    const refitted = restored.scaled.params[name];
    if (refitted === undefined || !(Math.abs(refitted - stored) <= RESTORE_TOLERANCE * Math.max(1, Math.abs(stored)))) {
      throw new Error(`${where}: the record's ${name} = ${stored} does not reproduce (refit gives ${refitted}); the record was edited, truncated or made by another version. Refit from the points.`);
    }
  }
  return restored;
}
