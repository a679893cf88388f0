import { solveSymmetric } from "./small-matrix";
import type { LawData, ParameterBounds, ScalingLaw } from "./scaling-law";

/** A weighted least-squares problem: minimise Σ wᵢ·rᵢ² with rᵢ = f(xᵢ) − yᵢ, or ln f(xᵢ) − ln yᵢ in log space. */
export interface LeastSquaresProblem {
  readonly law: ScalingLaw;
  readonly data: LawData;
  readonly y: Float64Array;
  readonly bounds: readonly ParameterBounds[];
  /** Residuals in log space (ln f − ln y); f ≤ 0 is then an infeasible point. */
  readonly logSpace?: boolean;
  /** Per-observation weights on the squared residuals (Huber's IRLS weights); default all 1. */
  readonly weights?: Float64Array;
}

export interface LevenbergMarquardtOptions {
  /** Stop when one accepted step lowers the cost by less than this fraction (default 1e-13). */
  relativeTolerance?: number;
  /** Give up after this many accepted or rejected iterations (default 500). */
  maxIterations?: number;
}

export interface LevenbergMarquardtResult {
  params: Float64Array;
  /** Σ wᵢ·rᵢ² at `params`. */
  cost: number;
  iterations: number;
  /** False only when `maxIterations` ran out while the cost was still falling. */
  converged: boolean;
  stopReason: "relative-decrease" | "no-further-decrease" | "zero-residual" | "max-iterations";
}

/**
 * Bounded Levenberg–Marquardt with Marquardt's diagonal scaling and an active set: a parameter at a
 * bound whose gradient pushes it outwards is held there for the step; the others take the damped
 * Gauss–Newton step, clipped into the bounds. A step is accepted only if it lowers the cost.
 *
 * Reference: Marquardt 1963, "An algorithm for least-squares estimation of nonlinear parameters";
 * Nocedal & Wright, "Numerical Optimization", 2nd ed., §10.3 and §16.7 (projection for bounds).
 * @example levenbergMarquardt(problem, start).params // fitted parameters, rescaled units
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  start: Float64Array,
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  const { law, data, y, bounds, logSpace = false, weights } = problem;
  const relativeTolerance = options.relativeTolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 500;
  const count = data.count;
  const size = law.parameterNames.length;
  const values = new Float64Array(count);
  const jacobian = new Float64Array(count * size);
  const residuals = new Float64Array(count);
  const normal = new Float64Array(size * size);
  const gradient = new Float64Array(size);
  const free: number[] = [];

  const costAt = (params: Float64Array, withJacobian: boolean): number => {
    law.evaluate(params, data, values, withJacobian ? jacobian : undefined);
    let cost = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i]!;
      if (logSpace && !(value > 0)) return Infinity;
      const residual = logSpace ? Math.log(value) - Math.log(y[i]!) : value - y[i]!;
      residuals[i] = residual;
      cost += (weights ? weights[i]! : 1) * residual * residual;
      if (withJacobian && logSpace) for (let j = 0; j < size; j++) jacobian[i * size + j] /= value;
    }
    return Number.isNaN(cost) ? Infinity : cost;
  };

  let params = start.map((value, i) => Math.min(bounds[i]![1], Math.max(bounds[i]![0], value)));
  let cost = costAt(params, true);
  if (!Number.isFinite(cost)) {
    return { params, cost, iterations: 0, converged: false, stopReason: "no-further-decrease" };
  }
  let damping = 1e-3;
  let iterations = 0;
  while (iterations < maxIterations) {
    if (cost <= 1e-300) return { params, cost, iterations, converged: true, stopReason: "zero-residual" };
    normal.fill(0);
    gradient.fill(0);
    for (let i = 0; i < count; i++) {
      const weight = weights ? weights[i]! : 1;
      const row = i * size;
      for (let j = 0; j < size; j++) {
        const wj = weight * jacobian[row + j]!;
        gradient[j] += wj * residuals[i]!;
        for (let k = 0; k <= j; k++) normal[j * size + k] += wj * jacobian[row + k]!;
      }
    }
    free.length = 0;
    for (let j = 0; j < size; j++) {
      const atLower = params[j]! <= bounds[j]![0] && gradient[j]! > 0;
      const atUpper = params[j]! >= bounds[j]![1] && gradient[j]! < 0;
      if (!atLower && !atUpper) free.push(j);
    }
    if (free.length === 0) return { params, cost, iterations, converged: true, stopReason: "no-further-decrease" };
    const reducedSize = free.length;
    const reduced = new Float64Array(reducedSize * reducedSize);
    const rhs = new Float64Array(reducedSize);
    let accepted = false;
    while (!accepted) {
      iterations++;
      for (let a = 0; a < reducedSize; a++) {
        const j = free[a]!;
        rhs[a] = -gradient[j]!;
        for (let b = 0; b <= a; b++) {
          const k = free[b]!;
          const entry = normal[Math.max(j, k) * size + Math.min(j, k)]!;
          reduced[a * reducedSize + b] = entry;
          reduced[b * reducedSize + a] = entry;
        }
        const diagonal = normal[j * size + j]!;
        reduced[a * reducedSize + a] = diagonal + damping * Math.max(diagonal, 1e-300);
      }
      const step = solveSymmetric(reduced, rhs, reducedSize);
      if (step) {
        const candidate = Float64Array.from(params);
        for (let a = 0; a < reducedSize; a++) {
          const j = free[a]!;
          candidate[j] = Math.min(bounds[j]![1], Math.max(bounds[j]![0], params[j]! + step[a]!));
        }
        const candidateCost = costAt(candidate, false);
        if (candidateCost < cost) {
          const decrease = (cost - candidateCost) / cost;
          params = candidate;
          cost = costAt(params, true);
          damping = Math.max(damping / 10, 1e-15);
          accepted = true;
          if (decrease < relativeTolerance) return { params, cost, iterations, converged: true, stopReason: "relative-decrease" };
          break;
        }
      }
      damping *= 10;
      if (damping > 1e16) {
        costAt(params, true);
        return { params, cost, iterations, converged: true, stopReason: "no-further-decrease" };
      }
      if (iterations >= maxIterations) break;
    }
  }
  return { params, cost, iterations, converged: false, stopReason: "max-iterations" };
}
