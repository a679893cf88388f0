import type { CrossEncoderConfig } from "./cross-encoder-config";

/** Training FLOPs of one (query, passage) example, counted two ways. */
export interface TrainingFlops {
  /**
   * Matrix-multiply FLOPs (2 per multiply-add) of a forward and backward pass with every token through every
   * layer, as a standard implementation (and the PyTorch reference) computes it: 3 × forward. Compare
   * implementations and fit compute laws with this one. Equals 6·N·seqLen + 12·L·seqLen²·d (+ head) with N the weights only; Kaplan's Table 1 counts
   * the QKᵀ product alone (6·L·seqLen²·d).
   */
  trainingFlopsPerExample: number;
  /**
   * What this implementation actually performs: the last layer only needs [CLS]'s output, so after keys and
   * values it runs attention, output projection and feed-forward for that one token.
   */
  performedTrainingFlopsPerExample: number;
}

/**
 * Exact matrix-multiply FLOPs to train on one example of `seqLen` tokens (padding included: the model computes
 * it). Elementwise work (LayerNorm, softmax, GELU, adds) and the optimizer are not counted; the backward pass
 * costs twice the forward (gradients with respect to both operands of every product).
 *
 * Forward FLOPs of a full layer with S tokens: 2·S·(4d² + 2·d·f) for the dense layers plus 4·S²·d for
 * attention scores and weighted values. Head: 2·d (+ 2·d² with the pooler).
 *
 * Reference: Kaplan et al. 2020, Table 1 (C_forward ≈ 2N + 2·n_layer·n_ctx·d_attn per token).
 * @example trainingFlops(resolveCrossEncoderConfig({ layers: 2, hidden: 128, heads: 4 }), 128).trainingFlopsPerExample // 352322304
 */
export function trainingFlops(config: CrossEncoderConfig, seqLen: number): TrainingFlops {
  if (!Number.isInteger(seqLen) || seqLen < 1) {
    throw new Error(`trainingFlops: seqLen must be a positive integer, got ${seqLen}.`);
  }
  const d = config.hidden;
  const f = config.ffn;
  const S = seqLen;
  const fullLayerForward = 2 * S * (4 * d * d + 2 * d * f) + 4 * S * S * d;
  // Last layer, [CLS] only: keys and values for all S tokens, the rest for one token.
  const clsLayerForward = 2 * S * (2 * d * d) + 2 * (2 * d * d + 2 * d * f) + 4 * S * d;
  const headForward = 2 * d + (config.pooler ? 2 * d * d : 0);
  const full = config.layers * fullLayerForward + headForward;
  const performed = (config.layers - 1) * fullLayerForward + clsLayerForward + headForward;
  return { trainingFlopsPerExample: 3 * full, performedTrainingFlopsPerExample: 3 * performed };
}
