import type { ScalingFit } from "./scaling-fit";

/** How many FLOPs training spends per example, given the model's non-embedding parameter count. */
export type FlopsPerExample = (nonEmbeddingParams: number) => number;

export interface ComputeModel {
  /** Training FLOPs per example for a model size; overrides `tokensPerExample`. */
  flopsPerExample?: FlopsPerExample;
  /** Tokens per example for the 6·N·tokens estimate (Kaplan et al. 2020, §2.1). */
  tokensPerExample?: number;
}

/** Kaplan's estimate of training FLOPs per token per non-embedding parameter: 2 forward + 4 backward. */
export const TRAINING_FLOPS_PER_PARAMETER_TOKEN = 6;

/** The per-example FLOP function of a compute model, checked. */
export function resolveFlopsPerExample(model: ComputeModel, caller: string): FlopsPerExample {
  if (model.flopsPerExample) return model.flopsPerExample;
  const tokens = model.tokensPerExample;
  if (!(tokens !== undefined && tokens > 0 && Number.isFinite(tokens))) {
    throw new Error(`${caller}: pass flopsPerExample (e.g. from model.trainingFlops) or tokensPerExample for the 6·N·tokens estimate; got neither.`);
  }
  return (nonEmbeddingParams) => TRAINING_FLOPS_PER_PARAMETER_TOKEN * nonEmbeddingParams * tokens;
}

export interface IsoComputePoint {
  computeFlops: number;
  nonEmbeddingParams: number;
  /** Examples (the law's data unit) affordable at this size: C / flopsPerExample(N). */
  examples: number;
  predicted: number;
}

/**
 * The joint law's prediction along one iso-compute curve: for each model size N on a log grid, train on
 * D = C / flopsPerExample(N) examples. The best point of the curve is the compute-optimal allocation.
 *
 * Reference: Hoffmann et al. 2022 ("Chinchilla"), §3.2 and Figure 3 (IsoFLOP profiles).
 * @example isoComputeCurve(joint, 1e15, { tokensPerExample: 128, sizes: [1e5, 1e8] }).length // 50
 */
export function isoComputeCurve(
  fitted: ScalingFit,
  computeFlops: number,
  options: ComputeModel & { sizes: readonly [number, number]; steps?: number },
): IsoComputePoint[] {
  if (fitted.x.length !== 2) throw new Error(`isoComputeCurve: needs a joint law fitted on [size, data]; this fit is ${fitted.law} on ${fitted.x.join(", ")}.`);
  if (!(computeFlops > 0 && Number.isFinite(computeFlops))) throw new Error(`isoComputeCurve: computeFlops must be a positive number, got ${computeFlops}.`);
  const [low, high] = options.sizes;
  if (!(low > 0 && high > low)) throw new Error(`isoComputeCurve: sizes must be [smallest, largest] with 0 < smallest < largest, got [${low}, ${high}].`);
  const flopsPerExample = resolveFlopsPerExample(options, "isoComputeCurve");
  const steps = options.steps ?? 50;
  const sizes = Array.from({ length: steps }, (_, i) => low * (high / low) ** (i / (steps - 1)));
  const examples = sizes.map((size) => computeFlops / flopsPerExample(size));
  const predicted = fitted.evaluate(sizes.map((size, i) => [size, examples[i]!]));
  return sizes.map((size, i) => ({ computeFlops, nonEmbeddingParams: size, examples: examples[i]!, predicted: predicted[i]! }));
}
