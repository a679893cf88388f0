import type { RunSpec } from "./run-spec";

/**
 * Relative cost of a run, used only to order runs (largest-first / shortest-first) and to estimate the eta:
 * pairs trained × the forward FLOPs of one pair, L·(24·d²·S + 4·S²·d) for L layers of width d (ffn 4·d) over
 * S = maxSeqLen tokens (Kaplan et al. 2020, Table 1, with 2 FLOPs per multiply-add).
 *
 * @example estimateRunCost(spec) // 512 pairs × 1 layer × (24·16²·32 + 4·32²·16) = 134,217,728 for smoke-3k
 */
export function estimateRunCost(spec: RunSpec): number {
  const { layers, hidden } = spec.model;
  const tokens = spec.training.maxSeqLen;
  return spec.budgetPairs * layers * (24 * hidden * hidden * tokens + 4 * tokens * tokens * hidden);
}
