import { solveSymmetric } from "./small-matrix";

/**
 * What a fitted law must provide to the fitter. Laws are evaluated on rescaled inputs — each axis is
 * divided by an `xScale` (a power of ten near the data's geometric mean), so that `b` stays near the
 * metric's own magnitude instead of reaching 10⁹ — and report their parameters back in raw units.
 */
export type LawName = "saturating" | "pure" | "joint" | "kaplan";

/** Whether the metric improves by rising (NDCG, MAP) or by falling (contrastive entropy, loss). */
export type MetricDirection = "rising" | "falling";

/** Inclusive lower and upper bound of one parameter, in the law's rescaled units. */
export type ParameterBounds = readonly [number, number];

/** Observations prepared for fitting: `logX[axis][i] = ln(x / xScale[axis])`. */
export interface LawData {
  readonly count: number;
  readonly logX: readonly Float64Array[];
}

export interface ScalingLaw {
  readonly name: LawName;
  /** The formula in raw units, as it is printed. */
  readonly formula: string;
  /** Number of x axes: 1 (size) or 2 (size and data). */
  readonly axes: 1 | 2;
  readonly parameterNames: readonly string[];
  /** Default bounds for the direction; `yRange` is [min, max] of the observed metric. */
  defaultBounds(direction: MetricDirection, yRange: readonly [number, number]): ParameterBounds[];
  /** Candidate starting points (rescaled units), best first or unordered; the fitter refines several. */
  startingPoints(data: LawData, y: Float64Array, bounds: readonly ParameterBounds[], direction: MetricDirection): Float64Array[];
  /** Writes f(x_i) into `values`, and when `jacobian` is given also ∂f/∂θ_j at row i (row-major count × parameters). */
  evaluate(params: Float64Array, data: LawData, values: Float64Array, jacobian?: Float64Array): void;
  /** Parameters in raw units of x, from parameters in rescaled units. */
  rawParameters(params: Float64Array, xScale: readonly number[]): Float64Array;
  /** d raw / d rescaled (row-major), to carry a covariance into raw units by the delta method. */
  rawParameterJacobian(params: Float64Array, xScale: readonly number[]): Float64Array;
}

/** Exponents tried as starting points (their sign is set by the bounds). */
export const EXPONENT_GRID: readonly number[] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1, 1.5, 2, 3, 5];

/** The exponent grid mapped into the bounds of one exponent parameter, duplicates removed. */
export function exponentCandidates(bounds: ParameterBounds): number[] {
  const [low, high] = bounds;
  const sign = high <= 0 ? -1 : 1;
  const values = EXPONENT_GRID.map((magnitude) => Math.min(high, Math.max(low, sign * magnitude)));
  return [...new Set(values)].filter((value) => value !== 0);
}

/** Clips a starting point into the bounds. */
export function clipToBounds(params: Float64Array, bounds: readonly ParameterBounds[]): Float64Array {
  return params.map((value, i) => Math.min(bounds[i]![1], Math.max(bounds[i]![0], value)));
}

/**
 * Least-squares coefficients of y on the given basis columns (normal equations, tiny ridge for safety);
 * undefined when the basis is degenerate. Used to solve the linear parameters exactly for fixed exponents
 * (variable projection), which makes the grid of starting points cheap and good.
 */
export function linearLeastSquares(columns: readonly Float64Array[], y: Float64Array): Float64Array | undefined {
  const size = columns.length;
  const gram = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      const ci = columns[i]!;
      const cj = columns[j]!;
      for (let k = 0; k < y.length; k++) sum += ci[k]! * cj[k]!;
      gram[i * size + j] = sum;
      gram[j * size + i] = sum;
    }
    let sum = 0;
    for (let k = 0; k < y.length; k++) sum += columns[i]![k]! * y[k]!;
    rhs[i] = sum;
  }
  for (let i = 0; i < size; i++) gram[i * size + i] *= 1 + 1e-12;
  return solveSymmetric(gram, rhs, size);
}
