import { quantileSorted } from "simple-statistics";
import { Random } from "../random";
import { resolveFlopsPerExample, type ComputeModel, type FlopsPerExample } from "./iso-compute-curve";
import type { ScalingFit } from "./scaling-fit";
import type { ScalingLaw } from "./scaling-law";
import { symmetricEigen } from "./small-matrix";

export interface AllocateComputeOptions extends ComputeModel {
  /** Training budget C in FLOPs. */
  computeFlops: number;
  /** Range of model sizes N searched (default: 1/100 of the smallest to 100× the largest fitted size). */
  sizes?: readonly [number, number];
  /** Coverage of the intervals (default 0.95). */
  interval?: number;
  /** Parameter draws for the intervals (default 1000) and their seed (default 1). */
  draws?: number;
  seed?: number;
}

export interface ComputeAllocation {
  computeFlops: number;
  /** Compute-optimal model size and data (examples) predicted by the law, and the metric it predicts there. */
  nonEmbeddingParams: number;
  examples: number;
  predicted: number;
  level: number;
  /** Percentile intervals over parameter draws from the fit's delta-method covariance. */
  interval: { nonEmbeddingParams: [number, number]; examples: [number, number]; predicted: [number, number] };
  /** Share of draws whose optimum fell on the edge of the searched sizes (then the optimum lies outside). */
  drawsAtSearchEdge: number;
  warnings: string[];
}

const GRID_STEPS = 121;

/**
 * For a compute budget C, the model size N and data D = C / flopsPerExample(N) at which the fitted
 * joint (or Kaplan) law predicts the best metric (highest if rising, lowest if falling). The
 * uncertainty comes from re-solving under parameters drawn from N(θ̂, Σ) (delta-method covariance,
 * rescaled units, clipped to the bounds): a parametric bootstrap of the optimum.
 *
 * Reference: Hoffmann et al. 2022 ("Chinchilla"), §3.3 (optimal N and D from the fitted parametric loss).
 * @example allocateCompute(joint, { computeFlops: 1e16, tokensPerExample: 128 }).nonEmbeddingParams
 */
export function allocateCompute(fitted: ScalingFit, options: AllocateComputeOptions): ComputeAllocation {
  if (fitted.x.length !== 2) throw new Error(`allocateCompute: needs a law fitted on [size, data] (joint or kaplan); this fit is ${fitted.law}.`);
  const { computeFlops } = options;
  if (!(computeFlops > 0 && Number.isFinite(computeFlops))) throw new Error(`allocateCompute: computeFlops must be a positive number, got ${computeFlops}.`);
  const flopsPerExample = resolveFlopsPerExample(options, "allocateCompute");
  const fittedSizes = fitted.source.columns.x[0]!;
  const sizes = options.sizes ?? [Math.min(...fittedSizes) / 100, Math.max(...fittedSizes) * 100];
  const level = options.interval ?? 0.95;
  const law = fitted.scalingLaw();
  const xScale = fitted.scaled.xScale;
  const better = fitted.direction === "rising" ? 1 : -1;

  const best = optimum(law, fitted.source.scaledParams, xScale, computeFlops, flopsPerExample, sizes, better);

  // Parametric draws θ = θ̂ + V·sqrt(Λ)·z from the delta-method covariance.
  const size = law.parameterNames.length;
  const { values, vectors } = symmetricEigen(fitted.scaledCovarianceMatrix(), size);
  const random = new Random(options.seed ?? 1);
  const draws = options.draws ?? 1000;
  const bounds = fitted.source.bounds;
  const optima: { size: number; predicted: number; atEdge: boolean }[] = [];
  for (let draw = 0; draw < draws; draw++) {
    const z = Array.from({ length: size }, () => random.normal());
    const params = Float64Array.from(fitted.source.scaledParams);
    for (let j = 0; j < size; j++) {
      for (let k = 0; k < size; k++) params[j] += vectors[j * size + k]! * Math.sqrt(Math.max(0, values[k]!)) * z[k]!;
      params[j] = Math.min(bounds[j]![1], Math.max(bounds[j]![0], params[j]!));
    }
    optima.push(optimum(law, params, xScale, computeFlops, flopsPerExample, sizes, better));
  }
  const percentile = (list: number[]): [number, number] => {
    const sorted = list.sort((left, right) => left - right);
    return [quantileSorted(sorted, (1 - level) / 2), quantileSorted(sorted, (1 + level) / 2)];
  };
  const drawsAtSearchEdge = optima.filter((entry) => entry.atEdge).length / draws;
  const warnings: string[] = [];
  if (best.atEdge) warnings.push(`the optimum lies at the edge of the searched sizes [${sizes[0]}, ${sizes[1]}]: the law keeps improving in that direction; widen sizes or distrust the law there.`);
  if (drawsAtSearchEdge > 0.05) warnings.push(`${(100 * drawsAtSearchEdge).toFixed(0)}% of parameter draws put the optimum at the search edge: the allocation is poorly determined by the data.`);
  return {
    computeFlops,
    nonEmbeddingParams: best.size,
    examples: computeFlops / flopsPerExample(best.size),
    predicted: best.predicted,
    level,
    interval: {
      nonEmbeddingParams: percentile(optima.map((entry) => entry.size)),
      examples: percentile(optima.map((entry) => computeFlops / flopsPerExample(entry.size))),
      predicted: percentile(optima.map((entry) => entry.predicted)),
    },
    drawsAtSearchEdge,
    warnings,
  };
}

/** Best size on a log grid, refined by golden-section search on ln N around the best grid point. */
function optimum(
  law: ScalingLaw,
  params: Float64Array,
  xScale: readonly number[],
  computeFlops: number,
  flopsPerExample: FlopsPerExample,
  sizes: readonly [number, number],
  better: number,
): { size: number; predicted: number; atEdge: boolean } {
  const value = new Float64Array(1);
  const score = (logSize: number): number => {
    const size = Math.exp(logSize);
    const examples = computeFlops / flopsPerExample(size);
    law.evaluate(params, { count: 1, logX: [Float64Array.of(logSize - Math.log(xScale[0]!)), Float64Array.of(Math.log(examples / xScale[1]!))] }, value);
    return Number.isFinite(value[0]!) ? better * value[0]! : -Infinity;
  };
  const low = Math.log(sizes[0]);
  const high = Math.log(sizes[1]);
  const step = (high - low) / (GRID_STEPS - 1);
  let bestIndex = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < GRID_STEPS; i++) {
    const current = score(low + i * step);
    if (current > bestScore) {
      bestScore = current;
      bestIndex = i;
    }
  }
  let left = low + Math.max(0, bestIndex - 1) * step;
  let right = low + Math.min(GRID_STEPS - 1, bestIndex + 1) * step;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iteration = 0; iteration < 60; iteration++) {
    const first = right - ratio * (right - left);
    const second = left + ratio * (right - left);
    if (score(first) > score(second)) right = second;
    else left = first;
  }
  const logSize = 0.5 * (left + right);
  return { size: Math.exp(logSize), predicted: better * score(logSize), atEdge: bestIndex === 0 || bestIndex === GRID_STEPS - 1 };
}
