import type { CrossEncoderConfig } from "./cross-encoder-config";

/** Parameter counts of a cross-encoder, split the way scaling studies report them. */
export interface ParameterCounts {
  /**
   * Everything except the embedding tables: attention and feed-forward weights and biases, LayerNorms,
   * pooler and score head. This is N in the scaling laws (Kaplan et al. 2020 count weights only, ≈ 12·L·d²).
   */
  nonEmbeddingParams: number;
  /** Word, position, segment (and exact-match) embedding tables. */
  embeddingParams: number;
  /** nonEmbeddingParams + embeddingParams: the number of floats in `variables()`. */
  totalParams: number;
}

/**
 * Exact parameter counts of the model `crossEncoder.create(config)` builds. Per layer:
 * Q, K, V, output projection 4·(d² + d); feed-forward 2·d·f + f + d; two LayerNorms 4·d.
 * Plus a LayerNorm of 2·d (final for pre-LN, on the embeddings for post-LN), pooler d² + d if on, head d + 1.
 *
 * Reference: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", Table 1 (N excludes embeddings).
 * @example countParameters(resolveCrossEncoderConfig({ layers: 2, hidden: 128, heads: 4, vocabSize: 8192, maxLen: 128 }))
 * // { nonEmbeddingParams: 396929, embeddingParams: 1065216, totalParams: 1462145 }
 */
export function countParameters(config: CrossEncoderConfig): ParameterCounts {
  const d = config.hidden;
  const f = config.ffn;
  const perLayer = 4 * (d * d + d) + (2 * d * f + f + d) + 4 * d;
  const nonEmbeddingParams =
    config.layers * perLayer + 2 * d + (config.pooler ? d * d + d : 0) + (d + 1);
  const embeddingParams =
    (config.vocabSize + config.maxLen + config.typeVocabSize + (config.exactMatch ? 2 : 0)) * d;
  return { nonEmbeddingParams, embeddingParams, totalParams: nonEmbeddingParams + embeddingParams };
}
