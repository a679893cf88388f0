import { sampleRankCorrelation } from "simple-statistics";
import { lawColumns, type LawColumns, type ScalingPoint } from "./law-columns";
import type { LevenbergMarquardtOptions } from "./levenberg-marquardt";
import { CHINCHILLA_HUBER_DELTA, minimizeLoss, type FitLoss, type MinimizedLoss } from "./minimize-loss";
import { ScalingFit, type FitDiagnostics } from "./scaling-fit";
import type { LawData, LawName, MetricDirection, ParameterBounds, ScalingLaw } from "./scaling-law";
import { scalingLawByName } from "./scaling-law-by-name";
import { pseudoInverseSymmetric, symmetricEigen } from "./small-matrix";

export interface FitOptions {
  law: LawName;
  /** Field(s) of each point holding x: one for saturating/pure, [size, data] for joint/kaplan. */
  x: string | readonly string[];
  /** Field holding the metric. */
  y: string;
  /** Whether the metric improves upwards (NDCG) or downwards (loss, CE). Default: the sign of y's rank correlation with x. */
  direction?: MetricDirection;
  /**
   * Bounds overriding the law's defaults, by parameter name, in the RESCALED units the optimizer uses
   * (x / xScale): they matter for b and d (and Nc, Dc, fitted as ln of the rescaled value); a and the
   * exponents do not depend on the scale.
   */
  bounds?: Readonly<Record<string, ParameterBounds>>;
  /** Divisor(s) for x before fitting. Default: the power of ten nearest each axis's geometric mean. */
  xScale?: number | readonly number[];
  /** "squares" (default) or "huber" (Huber loss on log residuals, Chinchilla practice; needs y > 0). */
  loss?: FitLoss;
  /** Huber threshold on log residuals (default 1e-3, as Chinchilla). */
  huberDelta?: number;
  /** How many of the best grid starts Levenberg–Marquardt refines (default 6). */
  starts?: number;
  /** Extra starting point(s), rescaled units, refined in addition to the grid. */
  start?: readonly number[];
  optimizer?: LevenbergMarquardtOptions;
}

/** Above this the rescaled JᵀJ is numerically singular: parameters trade off against each other. */
export const ILL_CONDITIONED_THRESHOLD = 1e10;

/**
 * Fits a scaling law to plain records by bounded Levenberg–Marquardt from a grid of starting points
 * (linear parameters solved exactly for each grid exponent), on x rescaled by powers of ten. It throws
 * on input it cannot fit (too few points, constant y, NaN, x ≤ 0) and reports non-convergence, parameters
 * at bounds, disagreeing starts and ill-conditioning in `diagnostics.warnings` instead of hiding them.
 *
 * Reference: the paper's fits use scipy.optimize.curve_fit; Hoffmann et al. 2022 (Huber in log space,
 * grid of starts); Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt".
 * @example fit(points, { law: "saturating", x: "nonEmbeddingParams", y: "ndcg@10" }).params
 *   // { a: 0.4070, b: -304.1, c: -0.4245 } on the scipy reference case "model_size_ndcg" (scipy: a 0.4070, c -0.4245)
 */
export function fit(points: readonly ScalingPoint[], options: FitOptions): ScalingFit {
  const xFields = typeof options.x === "string" ? [options.x] : Array.from(options.x);
  const columns = lawColumns(points, xFields, options.y, "fit");
  return fitColumns(columns, options, points);
}

/** `fit` on columns already read (the CLI and the bootstrap use this). */
export function fitColumns(columns: LawColumns, options: FitOptions, points: readonly ScalingPoint[] = []): ScalingFit {
  const xFields = typeof options.x === "string" ? [options.x] : Array.from(options.x);
  const loss = options.loss ?? "squares";
  const direction = options.direction ?? inferDirection(columns);
  const law = scalingLawByName(options.law, direction);
  const huberDelta = options.huberDelta ?? CHINCHILLA_HUBER_DELTA;
  checkFittable(law, columns, xFields, options.y, loss);

  const xScale = resolveXScale(columns, options.xScale, law.axes);
  const data = lawData(columns, xScale);
  const y = columns.y;
  const yRange: [number, number] = [Math.min(...y), Math.max(...y)];
  const bounds = law.defaultBounds(direction, yRange);
  for (const [name, bound] of Object.entries(options.bounds ?? {})) {
    const index = law.parameterNames.indexOf(name);
    if (index < 0) throw new Error(`fit: no parameter "${name}" in the ${law.name} law; its parameters are ${law.parameterNames.join(", ")}.`);
    if (!(bound[0] <= bound[1])) throw new Error(`fit: bounds for ${name} must be [lower, upper] with lower <= upper, got ${JSON.stringify(bound)}.`);
    bounds[index] = bound;
  }
  const problem = { law, data, y, bounds };

  // 1. Grid of starts, ranked by squared error; the best few are refined.
  const values = new Float64Array(data.count);
  const ranked = law
    .startingPoints(data, y, bounds, direction)
    .map((start) => {
      law.evaluate(start, data, values);
      let cost = 0;
      for (let i = 0; i < data.count; i++) cost += (values[i]! - y[i]!) ** 2;
      return { start, cost: Number.isFinite(cost) ? cost : Infinity };
    })
    .sort((left, right) => left.cost - right.cost)
    .slice(0, options.starts ?? 6)
    .map(({ start }) => start);
  if (options.start) {
    if (options.start.length !== law.parameterNames.length) {
      throw new Error(`fit: start needs ${law.parameterNames.length} values (${law.parameterNames.join(", ")}), got ${options.start.length}.`);
    }
    ranked.unshift(Float64Array.from(options.start));
  }

  // 2. Refine each start; keep the lowest objective.
  const results = ranked.map((start) => minimizeLoss(problem, start, loss, huberDelta, options.optimizer));
  const best = results.reduce((left, right) => (right.objective < left.objective ? right : left));
  if (!Number.isFinite(best.objective)) {
    throw new Error(`fit: no starting point gave a finite ${loss} objective for the ${law.name} law. Check the data, the direction ("${direction}") and the bounds.`);
  }

  // 3. Delta-method covariance and diagnostics.
  law.evaluate(best.params, data, values);
  const { covariance, conditionNumber, atBounds, inert } = deltaMethodCovariance(law, data, y, best.params, bounds);
  const diagnostics = diagnose(law, best, results, atBounds, inert, conditionNumber, loss);
  return new ScalingFit({
    law,
    direction,
    xFields,
    yField: options.y,
    points,
    columns,
    xScale,
    bounds,
    loss,
    huberDelta,
    scaledParams: best.params,
    scaledCovariance: covariance,
    fitted: Float64Array.from(values),
    objective: best.objective,
    diagnostics,
  });
}

/** ln(x / xScale) per axis. */
export function lawData(columns: LawColumns, xScale: readonly number[]): LawData {
  return { count: columns.y.length, logX: columns.x.map((axis, index) => axis.map((value) => Math.log(value / xScale[index]!))) };
}

function resolveXScale(columns: LawColumns, xScale: FitOptions["xScale"], axes: number): number[] {
  if (xScale === undefined) {
    return columns.x.map((axis) => {
      let logSum = 0;
      for (const value of axis) logSum += Math.log10(value);
      return 10 ** Math.round(logSum / axis.length);
    });
  }
  const scales = typeof xScale === "number" ? [xScale] : Array.from(xScale);
  if (scales.length !== axes || !scales.every((scale) => scale > 0 && Number.isFinite(scale))) {
    throw new Error(`fit: xScale needs ${axes} positive number(s), one per x axis, got ${JSON.stringify(xScale)}.`);
  }
  return scales;
}

function inferDirection(columns: LawColumns): MetricDirection {
  // One point has no trend; any direction will do, since checkFittable then says how many points the law needs.
  if (columns.y.length < 2) return "rising";
  let correlation = 0;
  for (const axis of columns.x) {
    const rank = sampleRankCorrelation(Array.from(axis), Array.from(columns.y));
    if (Number.isFinite(rank)) correlation += rank;
  }
  if (correlation === 0) {
    throw new Error(`fit: cannot tell whether the metric rises or falls with x (rank correlation 0). Pass { direction: "rising" } or { direction: "falling" }.`);
  }
  return correlation > 0 ? "rising" : "falling";
}

function checkFittable(law: ScalingLaw, columns: LawColumns, xFields: string[], yField: string, loss: FitLoss): void {
  const size = law.parameterNames.length;
  const count = columns.y.length;
  if (xFields.length !== law.axes) {
    const hint = law.axes === 1 ? `one field, e.g. x: "nonEmbeddingParams"` : `two fields, e.g. x: ["nonEmbeddingParams", "pairsSeen"]`;
    throw new Error(`fit: the ${law.name} law takes ${hint}; got ${JSON.stringify(xFields)}.`);
  }
  if (count <= size) {
    throw new Error(
      `fit: the ${law.name} law has ${size} parameters (${law.parameterNames.join(", ")}) and needs at least ${size + 1} points ` +
        `to fit and estimate its error; got ${count}. Add sizes or seeds, or fit a law with fewer parameters ("pure").`,
    );
  }
  const minimumDistinct = law.axes === 1 ? size : 3;
  columns.x.forEach((axis, index) => {
    const distinct = new Set(axis).size;
    if (distinct < minimumDistinct) {
      throw new Error(`fit: ${xFields[index]} takes ${distinct} distinct value(s); the ${law.name} law needs at least ${minimumDistinct} to identify its exponent(s).`);
    }
  });
  const low = Math.min(...columns.y);
  const high = Math.max(...columns.y);
  if (low === high) {
    throw new Error(`fit: ${yField} is constant (${low}) across all ${count} points; there is no trend to fit. Check the metric (see lintMetrics).`);
  }
  if ((law.name === "pure" || loss === "huber") && low <= 0) {
    const why = law.name === "pure" ? "the pure power law b·x^c is positive" : "the Huber loss works on ln y";
    throw new Error(`fit: ${yField} has a value ${low} <= 0 but ${why}. Use the saturating law or loss "squares".`);
  }
}

function deltaMethodCovariance(
  law: ScalingLaw,
  data: LawData,
  y: Float64Array,
  params: Float64Array,
  bounds: readonly ParameterBounds[],
): { covariance: Float64Array; conditionNumber: number; atBounds: string[]; inert: string[] } {
  const size = law.parameterNames.length;
  const count = data.count;
  const values = new Float64Array(count);
  const jacobian = new Float64Array(count * size);
  law.evaluate(params, data, values, jacobian);
  let sse = 0;
  for (let i = 0; i < count; i++) sse += (values[i]! - y[i]!) ** 2;
  const atBounds = law.parameterNames.filter((_, j) => {
    const tolerance = 1e-9 * Math.max(1, Math.abs(params[j]!));
    return Math.abs(params[j]! - bounds[j]![0]) <= tolerance || Math.abs(params[j]! - bounds[j]![1]) <= tolerance;
  });
  const free = law.parameterNames.map((name, j) => (atBounds.includes(name) ? -1 : j)).filter((j) => j >= 0);
  const freeSize = free.length;
  const normal = new Float64Array(freeSize * freeSize);
  for (let i = 0; i < count; i++)
    for (let a = 0; a < freeSize; a++)
      for (let b = 0; b < freeSize; b++) normal[a * freeSize + b] += jacobian[i * size + free[a]!]! * jacobian[i * size + free[b]!]!;
  const scaledNormal = normal.map((value, index) => {
    const a = Math.floor(index / freeSize);
    const b = index % freeSize;
    return value / Math.sqrt(normal[a * freeSize + a]! * normal[b * freeSize + b]!);
  });
  // A free parameter whose Jacobian column is zero moves nothing (an exponent whose coefficient sits at 0): JᵀJ is
  // singular, its condition number infinite (the scaling above would make it 0/0).
  const inert = free.filter((_, a) => !(normal[a * freeSize + a]! > 0)).map((j) => law.parameterNames[j]!);
  const eigenvalues = freeSize > 0 && inert.length === 0 ? symmetricEigen(scaledNormal, freeSize).values : Float64Array.of(1);
  const conditionNumber = inert.length > 0 ? Infinity : eigenvalues[eigenvalues.length - 1]! / Math.max(eigenvalues[0]!, 0);
  const inverse = pseudoInverseSymmetric(normal, freeSize);
  const residualVariance = sse / (count - size);
  const covariance = new Float64Array(size * size);
  for (let a = 0; a < freeSize; a++)
    for (let b = 0; b < freeSize; b++) covariance[free[a]! * size + free[b]!] = inverse[a * freeSize + b]! * residualVariance;
  return { covariance, conditionNumber, atBounds, inert };
}

function diagnose(
  law: ScalingLaw,
  best: MinimizedLoss,
  results: MinimizedLoss[],
  atBounds: string[],
  inert: string[],
  conditionNumber: number,
  loss: FitLoss,
): FitDiagnostics {
  const startsReachingBest = results.filter((result) => result.objective <= best.objective * (1 + 1e-6) + 1e-300).length;
  const warnings: string[] = [];
  if (!best.converged) {
    warnings.push(`did not converge: the optimizer ran out of iterations (${best.iterations}) while the ${loss} objective was still falling; pass optimizer: { maxIterations } or check the data.`);
  }
  for (const name of atBounds) {
    const index = law.parameterNames.indexOf(name);
    warnings.push(`${name} = ${best.params[index]} is at a bound; the fit is constrained there and its delta-method interval is undefined (bootstrap instead, or widen the bound).`);
  }
  for (const name of inert) {
    warnings.push(`${name} does not change the fitted curve at the optimum (its column of the Jacobian is zero, e.g. an exponent whose coefficient is 0): its value and interval mean nothing; the data show no trend this law can follow.`);
  }
  if (!(conditionNumber < ILL_CONDITIONED_THRESHOLD)) {
    warnings.push(`ill-conditioned: JᵀJ has condition number ${conditionNumber.toExponential(2)}; parameters trade off against each other and their intervals are wide or meaningless. Add sizes spanning more of x, or fit a simpler law.`);
  }
  if (startsReachingBest < Math.min(2, results.length)) {
    warnings.push(`only ${startsReachingBest} of ${results.length} starts reached the best objective: the objective has several local minima; check the fit on a chart.`);
  }
  return {
    converged: best.converged,
    stopReason: best.stopReason,
    iterations: best.iterations,
    startsTried: results.length,
    startsReachingBest,
    atBounds,
    conditionNumber,
    warnings,
  };
}
