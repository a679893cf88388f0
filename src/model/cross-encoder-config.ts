/**
 * Shape and options of a cross-encoder, saved with every checkpoint. `resolveCrossEncoderConfig` fills defaults and checks
 * values; `SIZE_PRESETS` (size-presets.ts) names the shapes of the scaling ladder.
 */
export interface CrossEncoderConfig {
  /** Transformer blocks. */
  layers: number;
  /** Model width d (residual stream). */
  hidden: number;
  /** Attention heads; hidden must divide by it. */
  heads: number;
  /** Feed-forward width (4·hidden in BERT and in scaling studies). */
  ffn: number;
  /** Word-piece vocabulary size (take it from the tokenizer). */
  vocabSize: number;
  /** Longest sequence the position table covers. */
  maxLen: number;
  /** Segment (token type) vocabulary: 2 as in BERT. */
  typeVocabSize: number;
  /** "pre": LayerNorm before each sub-layer and once at the end (GPT-2, the PyTorch reference); "post": BERT. */
  layerNorm: "pre" | "post";
  /** Adds a learned embedding of the per-token exact-match flag (EncodedBatch.exactMatch). */
  exactMatch: boolean;
  /** BERT's pooler (tanh dense layer on [CLS]) before the score head. */
  pooler: boolean;
  /**
   * "gelu": exact, x·Φ(x) with erf (BERT, PyTorch's default). "gelu_tanh": the tanh approximation
   * (HF's "gelu_new"; computed as x·σ(1.5958·(x + 0.044715x³)); max difference 5e-4 from exact; about the same
   * speed as exact here).
   */
  activation: "gelu" | "gelu_tanh";
  /** LayerNorm epsilon (BERT 1e-12, PyTorch default 1e-5). */
  layerNormEpsilon: number;
  /** Standard deviation of the normal initialisation of weights and embeddings (BERT: 0.02). */
  initStd: number;
  /** Seed of the weight initialisation (same seed, same weights on every backend). */
  seed: number;
}

/** Defaults of everything a preset does not fix. */
export const DEFAULT_CROSS_ENCODER_CONFIG: Omit<CrossEncoderConfig, "layers" | "hidden" | "heads" | "ffn"> = {
  vocabSize: 30522, // bert-base-uncased's vocabulary size; pass the tokenizer's own.
  maxLen: 512,
  typeVocabSize: 2,
  layerNorm: "pre",
  exactMatch: false,
  pooler: false,
  activation: "gelu",
  layerNormEpsilon: 1e-5,
  initStd: 0.02,
  seed: 0,
};

/** Fills defaults and validates a config; errors name the field and the fix. */
export function resolveCrossEncoderConfig(
  partial: Partial<CrossEncoderConfig> & Pick<CrossEncoderConfig, "layers" | "hidden" | "heads">,
): CrossEncoderConfig {
  const config: CrossEncoderConfig = { ...DEFAULT_CROSS_ENCODER_CONFIG, ffn: 4 * partial.hidden, ...partial };
  const positiveIntegers: (keyof CrossEncoderConfig)[] = [
    "layers", "hidden", "heads", "ffn", "vocabSize", "maxLen", "typeVocabSize",
  ];
  for (const field of positiveIntegers) {
    const value = config[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new Error(`crossEncoder.create: ${field} must be a positive integer, got ${String(value)}.`);
    }
  }
  if (config.hidden % config.heads !== 0) {
    throw new Error(
      `crossEncoder.create: hidden (${config.hidden}) must be divisible by heads (${config.heads}); ` +
        `choose heads = hidden / 64 (or hidden / 32 for small models).`,
    );
  }
  if (config.layerNorm !== "pre" && config.layerNorm !== "post") {
    throw new Error(`crossEncoder.create: layerNorm must be "pre" or "post", got ${String(config.layerNorm)}.`);
  }
  if (config.activation !== "gelu" && config.activation !== "gelu_tanh") {
    throw new Error(`crossEncoder.create: activation must be "gelu" or "gelu_tanh", got ${String(config.activation)}.`);
  }
  for (const field of ["layerNormEpsilon", "initStd"] as const) {
    if (!(config[field] > 0) || !Number.isFinite(config[field])) {
      throw new Error(`crossEncoder.create: ${field} must be a positive number, got ${String(config[field])}.`);
    }
  }
  if (!Number.isInteger(config.seed)) {
    throw new Error(`crossEncoder.create: seed must be an integer, got ${String(config.seed)}.`);
  }
  return config;
}
