import { levenbergMarquardt, type LeastSquaresProblem, type LevenbergMarquardtOptions, type LevenbergMarquardtResult } from "./levenberg-marquardt";

/** The loss a fit minimises: plain least squares on y, or Huber's loss on ln y − ln f (Chinchilla practice). */
export type FitLoss = "squares" | "huber";

/** Chinchilla's Huber threshold on log residuals (Hoffmann et al. 2022, appendix D.2). */
export const CHINCHILLA_HUBER_DELTA = 1e-3;

/** Σ Huber_δ(rᵢ): rᵢ²/2 inside ±δ, δ·(|rᵢ| − δ/2) outside. */
export function huberObjective(residuals: Float64Array, delta: number): number {
  let total = 0;
  for (const residual of residuals) {
    const size = Math.abs(residual);
    total += size <= delta ? 0.5 * residual * residual : delta * (size - 0.5 * delta);
  }
  return total;
}

export interface MinimizedLoss extends LevenbergMarquardtResult {
  /** The objective at `params`: Σ rᵢ² for squares, Σ Huber_δ(ln f − ln y) for huber. */
  objective: number;
}

/**
 * Minimises the chosen loss from one start. Squares: one bounded Levenberg–Marquardt run. Huber:
 * iteratively reweighted least squares in log space (weights min(1, δ/|rᵢ|)), each round a warm-started
 * Levenberg–Marquardt run, until the parameters stop moving.
 *
 * Reference: Holland & Welsch 1977, "Robust regression using iteratively reweighted least-squares".
 * @example minimizeLoss(problem, start, "huber", 1e-3).objective
 */
export function minimizeLoss(
  problem: LeastSquaresProblem,
  start: Float64Array,
  loss: FitLoss,
  huberDelta: number = CHINCHILLA_HUBER_DELTA,
  options: LevenbergMarquardtOptions = {},
): MinimizedLoss {
  if (loss === "squares") {
    const result = levenbergMarquardt(problem, start, options);
    return { ...result, objective: result.cost };
  }
  const { law, data, y } = problem;
  const values = new Float64Array(data.count);
  const residuals = new Float64Array(data.count);
  const weights = new Float64Array(data.count).fill(1);
  const logResiduals = (params: Float64Array): Float64Array => {
    law.evaluate(params, data, values);
    for (let i = 0; i < data.count; i++) residuals[i] = values[i]! > 0 ? Math.log(values[i]!) - Math.log(y[i]!) : Infinity;
    return residuals;
  };
  let result = levenbergMarquardt({ ...problem, logSpace: true, weights }, start, options);
  let iterations = result.iterations;
  for (let round = 0; round < 100; round++) {
    const current = logResiduals(result.params);
    for (let i = 0; i < data.count; i++) {
      const size = Math.abs(current[i]!);
      weights[i] = size <= huberDelta ? 1 : huberDelta / size;
    }
    const next = levenbergMarquardt({ ...problem, logSpace: true, weights }, result.params, options);
    iterations += next.iterations;
    let moved = 0;
    for (let j = 0; j < next.params.length; j++) {
      moved = Math.max(moved, Math.abs(next.params[j]! - result.params[j]!) / Math.max(1e-8, Math.abs(result.params[j]!)));
    }
    result = next;
    if (moved < 1e-9) break;
  }
  return { ...result, iterations, objective: huberObjective(logResiduals(result.params), huberDelta) };
}
