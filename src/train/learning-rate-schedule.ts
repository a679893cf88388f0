export interface LinearWarmupDecayOptions {
  /** Learning rate at the end of warmup. */
  peakLearningRate: number;
  /** Number of warmup updates (0 for none). */
  warmupSteps: number;
  /** Total number of updates in the run. */
  totalSteps: number;
}

/**
 * Linear warmup to `peakLearningRate` over `warmupSteps` updates, then linear decay towards 0 at `totalSteps`.
 * `stepIndex` is the 0-based index of the update about to be applied:
 * warmup `lr = peak · (stepIndex + 1) / warmupSteps`; decay `lr = peak · (totalSteps − stepIndex) / (totalSteps − warmupSteps)`.
 *
 * Policy: this is Hugging Face's `get_linear_schedule_with_warmup` evaluated one step later, so no update is
 * wasted at learning rate 0 (HF's first update uses 0) and the last update still moves the weights.
 *
 * Reference: transformers `optimization.py`, `get_linear_schedule_with_warmup`; Devlin et al. 2019 (BERT), §A.2.
 * @example linearWarmupDecay(0, { peakLearningRate: 1e-3, warmupSteps: 10, totalSteps: 100 }) // 1e-4
 */
export function linearWarmupDecay(stepIndex: number, options: LinearWarmupDecayOptions): number {
  const { peakLearningRate, warmupSteps, totalSteps } = options;
  if (!(Number.isInteger(totalSteps) && totalSteps > 0)) {
    throw new Error(`linearWarmupDecay: totalSteps must be a positive integer, got ${totalSteps}.`);
  }
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw new Error(`linearWarmupDecay: warmupSteps must be an integer in [0, ${totalSteps}], got ${warmupSteps}.`);
  }
  if (stepIndex < warmupSteps) return (peakLearningRate * (stepIndex + 1)) / warmupSteps;
  const decaySteps = totalSteps - warmupSteps;
  return (peakLearningRate * Math.max(0, totalSteps - stepIndex)) / Math.max(1, decaySteps);
}
