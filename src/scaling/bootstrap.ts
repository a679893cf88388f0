import { quantileSorted } from "simple-statistics";
import { Random } from "../random";
import type { ScalingPoint } from "./law-columns";
import { lawData } from "./fit";
import { minimizeLoss } from "./minimize-loss";
import type { ScalingFit } from "./scaling-fit";

/** Picks a key from a point: a field name, or a function of the point and its index. */
export type PointKey = string | ((point: ScalingPoint, index: number) => string | number);

export interface BootstrapOptions {
  /** Number of bootstrap replicates (default 1000). */
  resamples?: number;
  /**
   * The resampling unit. Points with the same key (a run, or a seed) are drawn together, so correlated
   * checkpoints of one run never count as independent evidence. Default: every point is its own unit —
   * right only when each point is a separate run.
   */
  groupBy?: PointKey;
  /**
   * Draw units within strata (e.g. the model size) so that every replicate keeps the design: each
   * stratum contributes as many units as it has. A unit belongs to the stratum of its first point.
   * Default: no strata (units drawn from the whole pool).
   */
  stratifyBy?: PointKey;
  /**
   * Field holding per-query values of the metric (number[] aligned by query, or { queryId: value }).
   * Queries are then resampled — one draw shared by every point, since all models are scored on the same
   * queries — and y is recomputed as the mean over the drawn queries.
   */
  perQuery?: string;
  /** Seed of the generator (default 1). */
  seed?: number;
}

export interface BootstrapResult {
  unit: "point" | "group" | "query" | "group+query";
  /** Number of units resampled (points, groups, or queries). */
  units: number;
  resamples: number;
  /** Replicates whose refit failed or did not converge (left out of the intervals). */
  failures: number;
  /** Raw-unit parameters of every successful replicate, by name. */
  replicates: Record<string, number[]>;
  /** Standard deviation of each parameter over the replicates. */
  standardErrors: Record<string, number>;
  /** Percentile intervals of the parameters. */
  ci(level?: number): Record<string, [number, number]>;
  /** The full fit's value at x with a percentile interval of the law's value over the replicates. */
  predict(x: number | readonly number[], options?: { interval?: number }): { value: number; lower: number; upper: number; level: number };
}

/**
 * Bootstrap of a fit: resamples whole runs (groupBy), or queries through per-query metrics, refits the
 * law warm-started from the full fit, and returns percentile intervals.
 *
 * Reference: Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13 (percentile intervals)
 * and §8.4 (resample the independent unit); Davison & Hinkley 1997, §3.8 (stratified and clustered data).
 * @example bootstrap(fitted, { groupBy: "runId", stratifyBy: "nonEmbeddingParams", resamples: 1000 }).ci(0.95)
 */
export function bootstrap(fitted: ScalingFit, options: BootstrapOptions = {}): BootstrapResult {
  const resamples = options.resamples ?? 1000;
  if (!(Number.isInteger(resamples) && resamples >= 2)) throw new Error(`bootstrap: resamples must be an integer >= 2, got ${resamples}.`);
  const { points, columns, bounds, huberDelta, scaledParams } = fitted.source;
  const count = columns.y.length;
  if ((options.groupBy || options.stratifyBy || options.perQuery) && points.length !== count) {
    throw new Error(`bootstrap: groupBy, stratifyBy and perQuery need the fit's points; fit with scaling.fit(points, ...) rather than from bare columns.`);
  }
  const law = fitted.scalingLaw();
  const size = law.parameterNames.length;
  const random = new Random(options.seed ?? 1);
  const fullData = lawData(columns, fitted.scaled.xScale);

  // 1. Units (groups of point indices) and strata of units.
  const unitOf = keyReader(options.groupBy, points, count, (_, index) => index);
  const units = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const key = String(unitOf(i));
    const members = units.get(key);
    if (members) members.push(i);
    else units.set(key, [i]);
  }
  const unitList = [...units.values()];
  const stratumOf = keyReader(options.stratifyBy, points, count, () => 0);
  const strata = new Map<string, number[][]>();
  for (const members of unitList) {
    const key = String(stratumOf(members[0]!));
    const list = strata.get(key);
    if (list) list.push(members);
    else strata.set(key, [members]);
  }
  const queryValues = options.perQuery ? perQueryMatrix(points, options.perQuery, columns.y) : undefined;

  // 2. Replicates.
  const replicates: number[][] = law.parameterNames.map(() => []);
  const scaledReplicates: Float64Array[] = [];
  let failures = 0;
  for (let replicate = 0; replicate < resamples; replicate++) {
    const indices: number[] = [];
    for (const stratum of strata.values()) {
      for (let k = 0; k < stratum.length; k++) indices.push(...stratum[random.int(stratum.length)]!);
    }
    let y: Float64Array;
    if (queryValues) {
      const queryCount = queryValues[0]!.length;
      const draws = new Float64Array(queryCount);
      for (let k = 0; k < queryCount; k++) draws[random.int(queryCount)]! += 1 / queryCount;
      y = Float64Array.from(indices, (i) => {
        let mean = 0;
        const values = queryValues[i]!;
        for (let q = 0; q < queryCount; q++) mean += draws[q]! * values[q]!;
        return mean;
      });
    } else {
      y = Float64Array.from(indices, (i) => columns.y[i]!);
    }
    const data = { count: indices.length, logX: fullData.logX.map((axis) => Float64Array.from(indices, (i) => axis[i]!)) };
    const result = minimizeLoss({ law, data, y, bounds }, scaledParams, fitted.loss, huberDelta, { relativeTolerance: 1e-10 });
    if (!result.converged || !Number.isFinite(result.objective)) {
      failures++;
      continue;
    }
    scaledReplicates.push(result.params);
    const raw = law.rawParameters(result.params, fitted.scaled.xScale);
    for (let j = 0; j < size; j++) replicates[j]!.push(raw[j]!);
  }
  if (failures > resamples / 2) {
    throw new Error(`bootstrap: ${failures} of ${resamples} refits failed; the law is not identifiable on resampled data. Stratify by size (stratifyBy) or fit a simpler law.`);
  }

  // 3. Summaries.
  const sorted = replicates.map((values) => Float64Array.from(values).sort());
  const names = law.parameterNames;
  const standardErrors = Object.fromEntries(names.map((name, j) => [name, standardDeviation(replicates[j]!)]));
  const unit = options.perQuery ? (options.groupBy ? "group+query" : "query") : options.groupBy ? "group" : "point";
  return {
    unit,
    units: options.perQuery && !options.groupBy ? queryValues![0]!.length : unitList.length,
    resamples,
    failures,
    replicates: Object.fromEntries(names.map((name, j) => [name, replicates[j]!])),
    standardErrors,
    ci(level = 0.95) {
      return Object.fromEntries(names.map((name, j) => [name, percentileInterval(sorted[j]!, level)]));
    },
    predict(x, predictOptions = {}) {
      const level = predictOptions.interval ?? 0.95;
      const coordinates = typeof x === "number" ? [x] : Array.from(x);
      const logX = coordinates.map((value, axis) => Float64Array.of(Math.log(value / fitted.scaled.xScale[axis]!)));
      const point = { count: 1, logX };
      const value = new Float64Array(1);
      const predictions = Float64Array.from(scaledReplicates, (params) => {
        law.evaluate(params, point, value);
        return value[0]!;
      });
      predictions.sort();
      const [lower, upper] = percentileInterval(predictions, level);
      return { value: fitted.predict(x).value, lower, upper, level };
    },
  };
}

function keyReader(key: PointKey | undefined, points: readonly ScalingPoint[], count: number, fallback: (point: ScalingPoint | undefined, index: number) => string | number) {
  if (key === undefined) return (index: number) => fallback(points[index], index);
  if (typeof key === "function") return (index: number) => key(points[index]!, index);
  for (let i = 0; i < count; i++) {
    const value = points[i]![key];
    if (value === undefined || value === null) throw new Error(`bootstrap: point ${i} has no field "${key}" to group or stratify by.`);
  }
  return (index: number) => String(points[index]![key]);
}

function perQueryMatrix(points: readonly ScalingPoint[], field: string, y: Float64Array): Float64Array[] {
  let queryIds: string[] | undefined;
  return points.map((point, index) => {
    const value = point[field];
    let values: Float64Array;
    if (Array.isArray(value)) {
      values = Float64Array.from(value as number[]);
    } else if (value && typeof value === "object") {
      const byQuery = value as Record<string, number>;
      queryIds ??= Object.keys(byQuery).sort();
      const missing = queryIds.find((queryId) => byQuery[queryId] === undefined);
      if (missing !== undefined || Object.keys(byQuery).length !== queryIds.length) {
        throw new Error(`bootstrap: point ${index} has per-query values for a different set of queries (e.g. "${missing ?? "extra"}"); every point must be scored on the same queries.`);
      }
      values = Float64Array.from(queryIds, (queryId) => byQuery[queryId]!);
    } else {
      throw new Error(`bootstrap: point ${index} has no per-query values in "${field}" (need number[] or { queryId: value }).`);
    }
    if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`bootstrap: point ${index} has empty or non-finite per-query values in "${field}".`);
    }
    let mean = 0;
    for (const v of values) mean += v / values.length;
    if (Math.abs(mean - y[index]!) > 1e-6 * Math.max(1, Math.abs(mean))) {
      throw new Error(`bootstrap: point ${index}'s y (${y[index]}) is not the mean of its per-query values (${mean}); pass the per-query values of the fitted metric.`);
    }
    return values;
  });
}

function percentileInterval(sorted: Float64Array, level: number): [number, number] {
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: the interval level must lie in (0, 1), got ${level}.`);
  if (sorted.length === 0) return [NaN, NaN];
  const values = Array.from(sorted);
  return [quantileSorted(values, (1 - level) / 2), quantileSorted(values, (1 + level) / 2)];
}

function standardDeviation(values: number[]): number {
  if (values.length < 2) return NaN;
  let mean = 0;
  for (const value of values) mean += value / values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}
