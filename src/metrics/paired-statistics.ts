import { Random } from "../random";
import { regularizedIncompleteBeta } from "../scaling/distributions";

/**
 * Statistics over per-query values, to compare systems and to put intervals on means:
 * paired t-test, paired randomization (sign-flip) test, percentile bootstrap intervals, Holm correction.
 * Inputs are per-query values in the same query order (e.g. from `evaluate(...).perQuery`).
 */

/** Per-query values of two systems on one measure, aligned on the queries both have. */
export interface AlignedValues {
  queryIds: string[];
  a: number[];
  b: number[];
  /** Queries only one of the two systems has (left out). */
  unmatchedQueryIds: string[];
}

/**
 * Aligns two `evaluate(...).perQuery` maps on one measure, for the paired tests and intervals below.
 * Queries present in only one map are left out and listed, never filled with zeros.
 * @example const { a, b } = alignPerQuery(reranker.perQuery, bm25.perQuery, "ndcg@10"); pairedTTest(a, b)
 */
export function alignPerQuery(
  perQueryA: ReadonlyMap<string, Readonly<Record<string, number>>>,
  perQueryB: ReadonlyMap<string, Readonly<Record<string, number>>>,
  measure: string,
): AlignedValues {
  const aligned: AlignedValues = { queryIds: [], a: [], b: [], unmatchedQueryIds: [] };
  for (const [queryId, valuesA] of perQueryA) {
    const valuesB = perQueryB.get(queryId);
    if (!valuesB) {
      aligned.unmatchedQueryIds.push(queryId);
      continue;
    }
    const a = valuesA[measure];
    const b = valuesB[measure];
    if (a === undefined || b === undefined) {
      throw new Error(
        `alignPerQuery: query "${queryId}" has no value for "${measure}" (present: ${Object.keys(a === undefined ? valuesA : valuesB).join(", ")}). ` +
          `Pass a canonical name such as "ndcg@10".`,
      );
    }
    aligned.queryIds.push(queryId);
    aligned.a.push(a);
    aligned.b.push(b);
  }
  for (const queryId of perQueryB.keys()) if (!perQueryA.has(queryId)) aligned.unmatchedQueryIds.push(queryId);
  return aligned;
}

function checkPaired(name: string, a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw new Error(`${name}: the two systems need values for the same queries, got ${a.length} and ${b.length}. Align them by query id first.`);
  }
  if (a.length < 2) throw new Error(`${name}: needs at least 2 queries, got ${a.length}.`);
  const differences = a.map((value, i) => value - b[i]!);
  if (differences.some((value) => !Number.isFinite(value))) throw new Error(`${name}: values must be finite numbers.`);
  return differences;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Two-sided p-value of Student's t with `degreesOfFreedom`: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
}

export interface PairedTestResult {
  /** Mean of a − b over queries. */
  meanDifference: number;
  /** Test statistic (t for the t-test; the mean difference for the randomization test). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  queryCount: number;
}

/**
 * Paired two-sided t-test of a − b over queries (H0: mean difference 0), df = n − 1.
 * All-equal differences give t = ±Infinity (p = 0) or NaN when they are all 0, as scipy does.
 *
 * Reference: scipy.stats.ttest_rel.
 * @example pairedTTest([1, 2, 3, 4, 5, 6, 7, 8], [1.5, 1.8, 3.7, 3.9, 5.8, 5.9, 7.4, 8.6]).pValue // 0.0547
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTestResult {
  const differences = checkPaired("pairedTTest", a, b);
  const n = differences.length;
  const meanDifference = mean(differences);
  let squares = 0;
  for (const value of differences) squares += (value - meanDifference) ** 2;
  const standardError = Math.sqrt(squares / (n - 1) / n);
  const statistic = meanDifference / standardError;
  return { meanDifference, statistic, pValue: studentTTwoSidedPValue(statistic, n - 1), queryCount: n };
}

/** Options of {@link pairedRandomizationTest}. */
export interface RandomizationTestOptions {
  /** Random sign flips when the exact test is too large (default 10,000). */
  trialCount?: number;
  /** Seed of the flips (default 0). */
  seed?: number;
  /** Enumerate all 2^n sign assignments when 2^n ≤ this (default 2^16). */
  exactLimit?: number;
}

/**
 * Paired randomization test (sign flip) of the mean of a − b, two-sided: under H0 each query's difference is as
 * likely to have either sign. With n queries and 2^n ≤ exactLimit, every sign assignment is enumerated and
 * p = #{|mean*| ≥ |mean|} / 2^n (scipy's exact permutation_test); otherwise `trialCount` random flips give
 * p = (#{|mean*| ≥ |mean|} + 1) / (trialCount + 1). Ties in |mean| are counted with a relative tolerance of 1e-14.
 *
 * Reference: Smucker, Allan & Carterette 2007 (CIKM), "A comparison of statistical significance tests for IR
 * evaluation"; scipy.stats.permutation_test(permutation_type="samples").
 */
export function pairedRandomizationTest(a: readonly number[], b: readonly number[], options: RandomizationTestOptions = {}): PairedTestResult {
  const differences = checkPaired("pairedRandomizationTest", a, b);
  const n = differences.length;
  const observed = mean(differences);
  const threshold = Math.abs(observed) * (1 - 1e-14);
  const exactLimit = options.exactLimit ?? 2 ** 16;
  let extreme = 0;
  let pValue: number;
  if (2 ** n <= exactLimit) {
    const assignments = 2 ** n;
    for (let mask = 0; mask < assignments; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -differences[i]! : differences[i]!;
      if (Math.abs(sum / n) >= threshold) extreme++;
    }
    pValue = extreme / assignments;
  } else {
    const trialCount = options.trialCount ?? 10_000;
    const random = new Random(options.seed ?? 0);
    for (let trial = 0; trial < trialCount; trial++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += random.next() < 0.5 ? -differences[i]! : differences[i]!;
      if (Math.abs(sum / n) >= threshold) extreme++;
    }
    pValue = (extreme + 1) / (trialCount + 1);
  }
  return { meanDifference: observed, statistic: observed, pValue, queryCount: n };
}

/** Options of the bootstrap intervals. */
export interface BootstrapOptions {
  /** Resamples of the queries (default 10,000). */
  resampleCount?: number;
  /** Confidence level (default 0.95). */
  confidence?: number;
  /** Seed (default 0). */
  seed?: number;
}

export interface BootstrapInterval {
  /** The statistic on the original sample (the mean). */
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  resampleCount: number;
}

/** Percentile `q` (0..1) of sorted values, linear interpolation between order statistics (numpy's default). */
function percentileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * Percentile bootstrap confidence interval of a mean over queries: resample queries with replacement, take the
 * (1−c)/2 and (1+c)/2 percentiles of the resampled means. Queries are treated as independent draws.
 *
 * Reference: Efron & Tibshirani 1993, ch. 13; scipy.stats.bootstrap(method="percentile").
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval {
  if (values.length < 2) throw new Error(`bootstrapMeanInterval: needs at least 2 values, got ${values.length}.`);
  if (values.some((value) => !Number.isFinite(value))) throw new Error("bootstrapMeanInterval: values must be finite numbers.");
  const resampleCount = options.resampleCount ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new Error(`bootstrapMeanInterval: confidence must be in (0, 1), got ${confidence}.`);
  const random = new Random(options.seed ?? 0);
  const n = values.length;
  const means = new Float64Array(resampleCount);
  for (let r = 0; r < resampleCount; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[random.int(n)]!;
    means[r] = sum / n;
  }
  means.sort();
  return {
    estimate: mean(values),
    low: percentileOfSorted(means, (1 - confidence) / 2),
    high: percentileOfSorted(means, (1 + confidence) / 2),
    confidence,
    resampleCount,
  };
}

/**
 * Percentile bootstrap interval of the mean paired difference a − b over queries (queries resampled together).
 * An interval that excludes 0 suggests a real difference at that confidence.
 */
export function bootstrapPairedDifferenceInterval(a: readonly number[], b: readonly number[], options: BootstrapOptions = {}): BootstrapInterval {
  return bootstrapMeanInterval(checkPaired("bootstrapPairedDifferenceInterval", a, b), options);
}

/**
 * Holm–Bonferroni step-down adjusted p-values, in the input order: sort ascending, multiply the i-th smallest
 * (0-based) by m − i, carry the running maximum, cap at 1. Reject H_j at level α when adjusted[j] ≤ α.
 *
 * Reference: Holm 1979, "A simple sequentially rejective multiple test procedure"; statsmodels multipletests(method="holm").
 * @example holmAdjustedPValues([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holmAdjustedPValues(pValues: readonly number[]): number[] {
  if (pValues.some((p) => !(p >= 0 && p <= 1))) throw new Error(`holmAdjustedPValues: p-values must lie in [0, 1], got [${pValues.join(", ")}].`);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]!);
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach((index, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
