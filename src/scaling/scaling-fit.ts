import { fDistributionSurvival, studentTQuantile } from "./distributions";
import type { LawColumns, ScalingPoint } from "./law-columns";
import type { FitLoss } from "./minimize-loss";
import type { LawName, MetricDirection, ParameterBounds, ScalingLaw } from "./scaling-law";

/** What went right or wrong while fitting; `warnings` says it in words, and is empty for a clean fit. */
export interface FitDiagnostics {
  /** Whether the best start's optimizer stopped by its own criteria (not by running out of iterations). */
  converged: boolean;
  stopReason: string;
  iterations: number;
  /** Starts refined by Levenberg–Marquardt, and how many of them reached the best objective (within 1e-6 relative). */
  startsTried: number;
  startsReachingBest: number;
  /** Parameters that ended on a bound; their delta-method intervals are undefined (NaN). */
  atBounds: string[];
  /** Condition number of JᵀJ with unit-diagonal scaling; above 1e10 the parameters are barely identifiable. */
  conditionNumber: number;
  warnings: string[];
}

/** F-test of the law against a constant (the mean): does the law explain more than noise? */
export interface FTest {
  statistic: number;
  df1: number;
  df2: number;
  pValue: number;
}

/** A forecast of y at one x with its interval. */
export interface Prediction {
  x: number | readonly number[];
  value: number;
  standardError: number;
  lower: number;
  upper: number;
  level: number;
  kind: "prediction" | "confidence";
}

export interface PredictOptions {
  /** Coverage of the interval (default 0.95). */
  interval?: number;
  /**
   * "prediction" (default) covers one new observation (a new run's metric): law uncertainty plus residual
   * variance s². "confidence" covers the law's mean value only.
   */
  kind?: "prediction" | "confidence";
}

/** The plain, serialisable record of a fit (what `toJSON` writes and the CLI prints). */
export interface FitRecord {
  law: LawName;
  formula: string;
  direction: MetricDirection;
  x: string[];
  y: string;
  count: number;
  loss: FitLoss;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  ci95: Record<string, [number, number]>;
  /** Rescaled units; bounds use null for ±infinity (JSON has no Infinity). */
  scaled: { xScale: number[]; params: Record<string, number>; standardErrors: Record<string, number>; bounds: Record<string, [number | null, number | null]> };
  huberDelta: number;
  sse: number;
  r2: number;
  adjustedR2: number;
  aic: number;
  bic: number;
  fTest: FTest;
  diagnostics: FitDiagnostics;
  /** The fitted columns (raw x per axis, y), so that `restoreFit` can rebuild and verify the fit. */
  data: { x: number[][]; y: number[] };
}

/** Everything `fit` computed, handed to the ScalingFit constructor. */
export interface ScalingFitParts {
  law: ScalingLaw;
  direction: MetricDirection;
  xFields: string[];
  yField: string;
  points: readonly ScalingPoint[];
  columns: LawColumns;
  xScale: number[];
  bounds: ParameterBounds[];
  loss: FitLoss;
  huberDelta: number;
  scaledParams: Float64Array;
  /** Delta-method covariance in rescaled units (rows and columns of at-bound parameters are 0). */
  scaledCovariance: Float64Array;
  fitted: Float64Array;
  objective: number;
  diagnostics: FitDiagnostics;
}

const record = (names: readonly string[], values: ArrayLike<number>): Record<string, number> =>
  Object.fromEntries(names.map((name, i) => [name, values[i]!]));

/**
 * A fitted scaling law: parameters in raw units with delta-method standard errors, goodness of fit,
 * information criteria, diagnostics, and forecasts with intervals. Made by `fit`; `toJSON` gives the
 * plain record to store.
 *
 * @example fit(points, { law: "saturating", x: "nonEmbeddingParams", y: "ndcg@10" }).predict(1e9).value
 */
export class ScalingFit {
  readonly law: LawName;
  readonly formula: string;
  readonly direction: MetricDirection;
  readonly x: string[];
  readonly y: string;
  readonly count: number;
  readonly loss: FitLoss;
  readonly parameterNames: readonly string[];
  /** Parameters in raw units of x. */
  readonly params: Record<string, number>;
  /** Delta-method standard errors in raw units (NaN for a parameter at a bound). */
  readonly standardErrors: Record<string, number>;
  /** Parameters, standard errors and bounds in the rescaled units the optimizer used (x / xScale). */
  readonly scaled: {
    xScale: number[];
    params: Record<string, number>;
    standardErrors: Record<string, number>;
    bounds: Record<string, ParameterBounds>;
  };
  readonly sse: number;
  readonly r2: number;
  readonly adjustedR2: number;
  /** Residual variance s² = SSE / (n − p). */
  readonly residualVariance: number;
  /** Gaussian AIC and BIC, n·ln(SSE/n) + penalty, counting the noise variance as a parameter. */
  readonly aic: number;
  readonly bic: number;
  readonly fTest: FTest;
  /** The minimised objective (SSE for squares, Σ Huber for huber). */
  readonly objective: number;
  readonly fitted: number[];
  readonly residuals: number[];
  readonly diagnostics: FitDiagnostics;
  /** The points and options the fit came from, for bootstrap and backtests. */
  readonly source: { points: readonly ScalingPoint[]; columns: LawColumns; bounds: ParameterBounds[]; huberDelta: number; scaledParams: Float64Array };
  private readonly lawImplementation: ScalingLaw;
  private readonly scaledCovariance: Float64Array;

  constructor(parts: ScalingFitParts) {
    const { law, columns, scaledParams, scaledCovariance, fitted } = parts;
    const size = law.parameterNames.length;
    const count = columns.y.length;
    this.lawImplementation = law;
    this.scaledCovariance = scaledCovariance;
    this.law = law.name;
    this.formula = law.formula;
    this.direction = parts.direction;
    this.x = parts.xFields;
    this.y = parts.yField;
    this.count = count;
    this.loss = parts.loss;
    this.parameterNames = law.parameterNames;
    this.source = { points: parts.points, columns, bounds: parts.bounds, huberDelta: parts.huberDelta, scaledParams };
    this.diagnostics = parts.diagnostics;
    this.objective = parts.objective;

    const atBound = new Set(parts.diagnostics.atBounds);
    const scaledSe = Array.from({ length: size }, (_, j) =>
      atBound.has(law.parameterNames[j]!) ? NaN : Math.sqrt(Math.max(0, scaledCovariance[j * size + j]!)),
    );
    const transform = law.rawParameterJacobian(scaledParams, parts.xScale);
    const rawSe = Array.from({ length: size }, (_, j) => {
      if (atBound.has(law.parameterNames[j]!)) return NaN;
      let variance = 0;
      for (let k = 0; k < size; k++)
        for (let l = 0; l < size; l++) variance += transform[j * size + k]! * scaledCovariance[k * size + l]! * transform[j * size + l]!;
      return Math.sqrt(Math.max(0, variance));
    });
    this.params = record(law.parameterNames, law.rawParameters(scaledParams, parts.xScale));
    this.standardErrors = record(law.parameterNames, rawSe);
    this.scaled = {
      xScale: parts.xScale,
      params: record(law.parameterNames, scaledParams),
      standardErrors: record(law.parameterNames, scaledSe),
      bounds: Object.fromEntries(law.parameterNames.map((name, j) => [name, parts.bounds[j]!])),
    };

    const y = columns.y;
    let mean = 0;
    for (const value of y) mean += value / count;
    let sse = 0;
    let total = 0;
    this.fitted = Array.from(fitted);
    this.residuals = this.fitted.map((value, i) => y[i]! - value);
    for (let i = 0; i < count; i++) {
      sse += this.residuals[i]! ** 2;
      total += (y[i]! - mean) ** 2;
    }
    this.sse = sse;
    this.r2 = 1 - sse / total;
    this.adjustedR2 = 1 - ((1 - this.r2) * (count - 1)) / (count - size);
    this.residualVariance = sse / (count - size);
    const logLikelihoodTerm = count * Math.log(sse / count);
    this.aic = logLikelihoodTerm + 2 * (size + 1);
    this.bic = logLikelihoodTerm + (size + 1) * Math.log(count);
    this.fTest = fTestAgainstConstant(total, sse, count, size);
  }

  /**
   * Delta-method confidence intervals of the raw parameters, θ ± t(n−p)·SE (Student t with n − p degrees
   * of freedom). A parameter at a bound gets [NaN, NaN]: its interval is undefined; bootstrap instead.
   * @example fit.ci(0.95).c // [-0.4834, -0.3656] on the reference case "model_size_ndcg"
   */
  ci(level = 0.95): Record<string, [number, number]> {
    checkLevel(level, "ci");
    const quantile = studentTQuantile(0.5 + level / 2, Math.max(1, this.count - this.parameterNames.length));
    return Object.fromEntries(
      this.parameterNames.map((name) => {
        const se = this.standardErrors[name]!;
        return [name, [this.params[name]! - quantile * se, this.params[name]! + quantile * se]];
      }),
    );
  }

  /**
   * The law's value at `x` (a size for one-axis laws, [N, D] for joint laws, raw units) with a
   * delta-method interval: var = gᵀΣg (+ s² for kind "prediction"), Student t with n − p degrees of freedom.
   * @example fit.predict(1e9, { interval: 0.95 }) // { value: 0.3610, lower: 0.3501, upper: 0.3719, ... } ("model_size_ndcg")
   */
  predict(x: number | readonly number[], options: PredictOptions = {}): Prediction {
    const level = options.interval ?? 0.95;
    const kind = options.kind ?? "prediction";
    checkLevel(level, "predict");
    const law = this.lawImplementation;
    const coordinates = typeof x === "number" ? [x] : Array.from(x);
    if (coordinates.length !== law.axes) {
      const expected = law.axes === 1 ? "one number" : "[N, D]";
      throw new Error(`predict: the ${law.name} law takes ${expected}, got ${JSON.stringify(x)}.`);
    }
    coordinates.forEach((value, axis) => {
      if (!(value > 0 && Number.isFinite(value))) {
        throw new Error(`predict: ${this.x[axis]} must be a positive finite number, got ${value}.`);
      }
    });
    const size = law.parameterNames.length;
    const data = { count: 1, logX: coordinates.map((value, axis) => Float64Array.of(Math.log(value / this.scaled.xScale[axis]!))) };
    const value = new Float64Array(1);
    const gradient = new Float64Array(size);
    law.evaluate(this.source.scaledParams, data, value, gradient);
    let variance = 0;
    for (let j = 0; j < size; j++)
      for (let k = 0; k < size; k++) variance += gradient[j]! * this.scaledCovariance[j * size + k]! * gradient[k]!;
    if (kind === "prediction") variance += this.residualVariance;
    const standardError = Math.sqrt(Math.max(0, variance));
    const quantile = studentTQuantile(0.5 + level / 2, Math.max(1, this.count - size));
    return { x, value: value[0]!, standardError, lower: value[0]! - quantile * standardError, upper: value[0]! + quantile * standardError, level, kind };
  }

  /** The law's value at each x, without intervals (for curves). */
  evaluate(xs: readonly (number | readonly number[])[]): number[] {
    const law = this.lawImplementation;
    const logX = Array.from({ length: law.axes }, (_, axis) =>
      Float64Array.from(xs, (x) => Math.log((typeof x === "number" ? x : x[axis]!) / this.scaled.xScale[axis]!)),
    );
    const values = new Float64Array(xs.length);
    law.evaluate(this.source.scaledParams, { count: xs.length, logX }, values);
    return Array.from(values);
  }

  /** A copy of the delta-method covariance in rescaled units (row-major, at-bound rows and columns 0). */
  scaledCovarianceMatrix(): Float64Array {
    return Float64Array.from(this.scaledCovariance);
  }

  /** The implementation of the law (for bootstrap refits). */
  scalingLaw(): ScalingLaw {
    return this.lawImplementation;
  }

  /** The plain record to store or print. */
  toJSON(): FitRecord {
    return {
      law: this.law,
      formula: this.formula,
      direction: this.direction,
      x: this.x,
      y: this.y,
      count: this.count,
      loss: this.loss,
      params: this.params,
      standardErrors: this.standardErrors,
      ci95: this.ci(0.95),
      scaled: {
        xScale: this.scaled.xScale,
        params: this.scaled.params,
        standardErrors: this.scaled.standardErrors,
        bounds: Object.fromEntries(
          Object.entries(this.scaled.bounds).map(([name, [lower, upper]]) => [name, [Number.isFinite(lower) ? lower : null, Number.isFinite(upper) ? upper : null]]),
        ),
      },
      huberDelta: this.source.huberDelta,
      sse: this.sse,
      r2: this.r2,
      adjustedR2: this.adjustedR2,
      aic: this.aic,
      bic: this.bic,
      fTest: this.fTest,
      diagnostics: this.diagnostics,
      data: { x: this.source.columns.x.map((axis) => Array.from(axis)), y: Array.from(this.source.columns.y) },
    };
  }
}

function checkLevel(level: number, caller: string): void {
  if (!(level > 0 && level < 1)) throw new Error(`${caller}: the interval level must lie in (0, 1), got ${level}. Use 0.95 for 95%.`);
}

function fTestAgainstConstant(totalSumOfSquares: number, sse: number, count: number, size: number): FTest {
  const df1 = size - 1;
  const df2 = count - size;
  const statistic = (totalSumOfSquares - sse) / df1 / (sse / df2);
  return { statistic, df1, df2, pValue: df1 > 0 && df2 > 0 ? fDistributionSurvival(statistic, df1, df2) : NaN };
}
