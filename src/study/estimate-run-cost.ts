import type { RunSpec } from "./run-spec";

/**
 * Relative cost of a run, used only to order runs (largest-first / shortest-first) and to estimate the eta:
 * pairs trained times the tokens per pair times a size factor. The size factor is the position of the preset in
 * `presetsSmallestFirst` (a model ladder roughly doubles compute per step), or 1 when it is not listed.
 *
 * @example estimateRunCost(spec, ["xxs", "xs", "s"]) // budgetPairs × maxSeqLen × 2^(index of spec.preset)
 */
export function estimateRunCost(spec: RunSpec, presetsSmallestFirst: readonly string[] = []): number {
  const index = presetsSmallestFirst.indexOf(spec.preset);
  const sizeFactor = index < 0 ? 1 : Math.pow(2, index);
  return spec.budgetPairs * spec.training.maxSeqLen * sizeFactor;
}
