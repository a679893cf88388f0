import { fit, type FitOptions } from "./fit";
import { lawColumns, type ScalingPoint } from "./law-columns";
import type { ScalingFit } from "./scaling-fit";

export interface BacktestOptions extends FitOptions {
  /**
   * "largest" (default): fit on all but the largest `sizes` sizes and forecast those, as a scaling study
   * forecasts a bigger model. "each": leave one size out at a time (every size is forecast once).
   */
  holdOut?: "largest" | "each";
  /** With holdOut "largest": how many of the largest distinct sizes to hold out (default 1). */
  sizes?: number;
  /** Which x axis defines a "size" for joint laws (default 0, the first: model size). */
  axis?: number;
  /** Coverage of the prediction intervals checked against the held-out actuals (default 0.95). */
  interval?: number;
}

/** One held-out point: what the law fitted without its size forecast, and what was measured. */
export interface BacktestPrediction {
  index: number;
  x: number | number[];
  actual: number;
  predicted: number;
  lower: number;
  upper: number;
  covered: boolean;
}

export interface BacktestFold {
  heldOutSizes: number[];
  /** The fit on the remaining sizes; undefined when it could not be fitted (see `error`). */
  fit?: ScalingFit;
  /** Why this fold could not be fitted (e.g. too few sizes left); such folds forecast nothing. */
  error?: string;
  predictions: BacktestPrediction[];
}

export interface BacktestResult {
  law: string;
  holdOut: "largest" | "each";
  level: number;
  folds: BacktestFold[];
  /** Every forecast of every fold. */
  predictions: BacktestPrediction[];
  /** Mean absolute error, root mean squared error and bias (mean of predicted − actual) over all forecasts. */
  mae: number;
  rmse: number;
  bias: number;
  /** Share of held-out actuals inside their prediction interval. */
  coverage: number;
}

/**
 * Forecast-versus-actual test of a law: refit without some sizes and forecast them with prediction
 * intervals; reports MAE, RMSE, bias and interval coverage. A negative bias means forecasts fall short.
 *
 * Reference: leave-one-size-out validation as in Hestness et al. 2017, "Deep Learning Scaling is
 * Predictable, Empirically", §4; the paper's forecasts of the largest model were biased low.
 * @example backtest(points, { law: "saturating", x: "nonEmbeddingParams", y: "ndcg@10", holdOut: "largest", sizes: 2 }).mae
 */
export function backtest(points: readonly ScalingPoint[], options: BacktestOptions): BacktestResult {
  const holdOut = options.holdOut ?? "largest";
  const axis = options.axis ?? 0;
  const level = options.interval ?? 0.95;
  const xFields = typeof options.x === "string" ? [options.x] : Array.from(options.x);
  if (!(axis >= 0 && axis < xFields.length)) throw new Error(`backtest: axis must be 0..${xFields.length - 1}, got ${axis}.`);
  const columns = lawColumns(points, xFields, options.y, "backtest");
  const sizeColumn = columns.x[axis]!;
  const distinct = [...new Set(sizeColumn)].sort((left, right) => left - right);
  let heldOutSets: number[][];
  if (holdOut === "largest") {
    const sizes = options.sizes ?? 1;
    if (!(Number.isInteger(sizes) && sizes >= 1 && sizes < distinct.length)) {
      throw new Error(`backtest: sizes must be an integer from 1 to ${distinct.length - 1} (there are ${distinct.length} distinct ${xFields[axis]}), got ${sizes}.`);
    }
    heldOutSets = [distinct.slice(distinct.length - sizes)];
  } else if (holdOut === "each") {
    heldOutSets = distinct.map((size) => [size]);
  } else {
    throw new Error(`backtest: holdOut must be "largest" or "each", got ${JSON.stringify(holdOut)}.`);
  }

  const folds = heldOutSets.map((heldOutSizes): BacktestFold => {
    const held = new Set(heldOutSizes);
    const training = points.filter((_, i) => !held.has(sizeColumn[i]!));
    let fitted: ScalingFit;
    try {
      fitted = fit(training, options);
    } catch (error) {
      return { heldOutSizes, error: error instanceof Error ? error.message : String(error), predictions: [] };
    }
    const predictions: BacktestPrediction[] = [];
    points.forEach((_, index) => {
      if (!held.has(sizeColumn[index]!)) return;
      const x = xFields.length === 1 ? columns.x[0]![index]! : columns.x.map((column) => column[index]!);
      const forecast = fitted.predict(x, { interval: level, kind: "prediction" });
      const actual = columns.y[index]!;
      predictions.push({ index, x, actual, predicted: forecast.value, lower: forecast.lower, upper: forecast.upper, covered: forecast.lower <= actual && actual <= forecast.upper });
    });
    return { heldOutSizes, fit: fitted, predictions };
  });

  const predictions = folds.flatMap((fold) => fold.predictions);
  if (predictions.length === 0) {
    throw new Error(`backtest: no fold could be fitted (first error: ${folds[0]?.error}). Hold out fewer sizes or add sizes.`);
  }
  let absolute = 0;
  let squared = 0;
  let signed = 0;
  let covered = 0;
  for (const prediction of predictions) {
    const error = prediction.predicted - prediction.actual;
    absolute += Math.abs(error);
    squared += error * error;
    signed += error;
    if (prediction.covered) covered++;
  }
  const count = predictions.length;
  return { law: options.law, holdOut, level, folds, predictions, mae: absolute / count, rmse: Math.sqrt(squared / count), bias: signed / count, coverage: covered / count };
}
