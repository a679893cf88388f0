/**
 * The cross-encoder reranker: a BERT-style transformer encoder that reads `[CLS] query [SEP] passage [SEP]` and
 * returns one relevance score per pair.
 *
 * Contract (for src/train and later issues):
 * - `crossEncoder.create({ preset: "6M", vocabSize, maxLen, ... } | { layers, hidden, heads, ffn?, ... })`
 *   → `CrossEncoder`. Fields a preset does not fix default to `DEFAULT_CROSS_ENCODER_CONFIG`; `config` is the resolved copy
 *   (save it in checkpoints; `crossEncoder.create(config)` rebuilds the same model).
 * - `model.variables()`: every trainable `tf.Variable`, in a stable order; `model.variableNames()` the
 *   matching names (HF BERT names, e.g. "encoder.layer.0.attention.self.query.weight"; dense weights are
 *   stored [in, out], the transpose of HF's [out, in]). Key optimizer state by these names, not by
 *   `tf.Variable.name` (that one carries a per-instance prefix, because tfjs variable names are global).
 * - `model.score(batch: EncodedBatch, { training, arrangement? }): tf.Tensor1D` — raw logits [batchSize]. Works
 *   inside `tf.variableGrads`, `optimizer.minimize` and `tf.tidy`; call it on the backend `selectBackend` set.
 *   `training` is reserved for dropout (none yet): both modes compute the same function. The ops are laid out
 *   for the backend (`arrangementFor`, ops/arrangement.ts); `arrangement` overrides that for benchmarks.
 * - `model.tokenStates(batch)`: final hidden states of every token (for MLM pretraining, src/train/mlm.ts).
 * - `model.describe(seqLen = maxLen)`: config, non-embedding / embedding / total parameters, training FLOPs per
 *   example (full-encoder count and what this implementation performs).
 * - `await model.readWeights(): NamedWeight[]` / `model.setWeights(weights)` — named Float32Array copies, for
 *   checkpoints (`getWeights()` reads synchronously: CPU backends only). `model.dispose()` frees the variables.
 * - `scorePairs(model, batches)` (score-pairs.ts) scores many batches for inference.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/encoded-batch";
import { Random } from "../random";
import { countParameters, type ParameterCounts } from "./count-parameters";
import { resolveCrossEncoderConfig, type CrossEncoderConfig } from "./cross-encoder-config";
import { bertWeightsForCrossEncoder, crossEncoderConfigFromBert, type BertCheckpoint, type FromBertOptions } from "./bert-checkpoint";
import { arrangementFor, type OpsArrangement } from "./ops/arrangement";
import { dense } from "./ops/dense";
import { embeddingLookup } from "./ops/embedding-lookup";
import { gelu } from "./ops/gelu";
import { layerNorm } from "./ops/layer-norm";
import { selfAttention, singleQueryAttention, type AttentionShape } from "./ops/self-attention";
import { SIZE_PRESETS, SIZE_PRESET_NAMES, type SizePresetName } from "./size-presets";
import { trainingFlops, type TrainingFlops } from "./training-flops";

/** One named weight array, as stored in a checkpoint. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Options of `score`. */
export interface ScoreOptions {
  /** Reserved for dropout (none yet): training and inference compute the same function. */
  training: boolean;
  /** Override the op arrangement chosen for the backend (`arrangementFor`); for benchmarks and tests. */
  arrangement?: OpsArrangement;
}

/** What `describe()` reports. */
export interface CrossEncoderDescription extends ParameterCounts, TrainingFlops {
  config: CrossEncoderConfig;
  /** The sequence length the FLOP counts are for. */
  seqLen: number;
}

/** Options of `crossEncoder.create`: a preset plus overrides, or an explicit shape. */
export type CreateOptions =
  | ({ preset: SizePresetName } & Partial<Omit<CrossEncoderConfig, "layers" | "hidden" | "heads" | "ffn">>)
  | (Partial<CrossEncoderConfig> & Pick<CrossEncoderConfig, "layers" | "hidden" | "heads">);

/** Large negative score added to padding keys before the softmax (exp underflows to exactly 0). */
const PADDING_SCORE = -1e9;

let instanceCounter = 0;

export class CrossEncoder {
  readonly config: CrossEncoderConfig;
  private readonly names: string[] = [];
  private readonly byName = new Map<string, tf.Variable>();
  private readonly prefix: string;
  private disposed = false;

  constructor(config: CrossEncoderConfig) {
    this.config = config;
    this.prefix = `crossEncoder${instanceCounter++}`;
    const random = new Random(config.seed);
    const { hidden: d, ffn: f, initStd } = config;
    const normal = (name: string, shape: number[]) => this.add(name, shape, () => initStd * random.normal());
    const zeros = (name: string, shape: number[]) => this.add(name, shape, () => 0);
    const ones = (name: string, shape: number[]) => this.add(name, shape, () => 1);
    const denseLayer = (name: string, inputs: number, outputs: number) => {
      normal(`${name}.weight`, [inputs, outputs]);
      zeros(`${name}.bias`, [outputs]);
    };
    const norm = (name: string) => {
      ones(`${name}.weight`, [d]);
      zeros(`${name}.bias`, [d]);
    };
    normal("embeddings.word_embeddings.weight", [config.vocabSize, d]);
    normal("embeddings.position_embeddings.weight", [config.maxLen, d]);
    normal("embeddings.token_type_embeddings.weight", [config.typeVocabSize, d]);
    if (config.exactMatch) normal("embeddings.exact_match_embeddings.weight", [2, d]);
    if (config.layerNorm === "post") norm("embeddings.LayerNorm");
    for (let layer = 0; layer < config.layers; layer++) {
      const base = `encoder.layer.${layer}`;
      denseLayer(`${base}.attention.self.query`, d, d);
      denseLayer(`${base}.attention.self.key`, d, d);
      denseLayer(`${base}.attention.self.value`, d, d);
      denseLayer(`${base}.attention.output.dense`, d, d);
      norm(`${base}.attention.output.LayerNorm`);
      denseLayer(`${base}.intermediate.dense`, d, f);
      denseLayer(`${base}.output.dense`, f, d);
      norm(`${base}.output.LayerNorm`);
    }
    if (config.layerNorm === "pre") norm("encoder.final_layer_norm");
    if (config.pooler) denseLayer("pooler.dense", d, d);
    denseLayer("classifier", d, 1);
  }

  private add(name: string, shape: number[], draw: () => number): void {
    const size = shape.reduce((product, extent) => product * extent, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = draw();
    // tidy disposes the initial tensor (the variable shares its data; a live initial tensor would pin the first
    // weights in memory after the optimizer replaces them).
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"), true, `${this.prefix}/${name}`));
    this.names.push(name);
    this.byName.set(name, variable);
  }

  /** Trainable variables in a stable order (the order of `variableNames()`). */
  variables(): tf.Variable[] {
    this.assertLive("variables");
    return this.names.map((name) => this.byName.get(name)!);
  }

  /** HF-BERT-style names of `variables()`, same order. */
  variableNames(): string[] {
    return [...this.names];
  }

  /** Parameter counts and training FLOPs per example at `seqLen` tokens (default maxLen). */
  describe(seqLen: number = this.config.maxLen): CrossEncoderDescription {
    return { config: { ...this.config }, seqLen, ...countParameters(this.config), ...trainingFlops(this.config, seqLen) };
  }

  /**
   * Copies of every weight, named, in `variableNames()` order, read asynchronously: use this on every backend in
   * library code (WebGPU in Node has no synchronous read; on a GPU it does not stall the queue).
   */
  async readWeights(): Promise<NamedWeight[]> {
    this.assertLive("readWeights");
    return Promise.all(this.names.map(async (name) => {
      const variable = this.byName.get(name)!;
      return { name, shape: [...variable.shape], values: new Float32Array((await variable.data()) as Float32Array) };
    }));
  }

  /**
   * The same as {@link readWeights}, synchronously: for the CPU backends (wasm, cpu, tfjs-node) and for weights
   * not yet used on a GPU (a fresh model's initial values are still on the CPU).
   */
  getWeights(): NamedWeight[] {
    this.assertLive("getWeights");
    return this.names.map((name) => {
      const variable = this.byName.get(name)!;
      return { name, shape: [...variable.shape], values: new Float32Array(variable.dataSync() as Float32Array) };
    });
  }

  /** Replaces every weight; names and shapes must match `readWeights()` exactly. */
  setWeights(weights: readonly NamedWeight[]): void {
    this.assertLive("setWeights");
    const given = new Map(weights.map((weight) => [weight.name, weight]));
    const missing = this.names.filter((name) => !given.has(name));
    const unknown = weights.map((weight) => weight.name).filter((name) => !this.byName.has(name));
    if (missing.length > 0 || unknown.length > 0) {
      throw new Error(
        `CrossEncoder.setWeights: weights do not match this model (missing: ${missing.slice(0, 3).join(", ") || "none"}; ` +
          `unknown: ${unknown.slice(0, 3).join(", ") || "none"}). Build the model from the checkpoint's config.`,
      );
    }
    for (const name of this.names) {
      const variable = this.byName.get(name)!;
      const weight = given.get(name)!;
      const expected = variable.shape.reduce((product, extent) => product * extent, 1);
      if (weight.shape.join(",") !== variable.shape.join(",") || weight.values.length !== expected) {
        throw new Error(
          `CrossEncoder.setWeights: "${name}" has shape [${weight.shape}] with ${weight.values.length} values, ` +
            `expected [${variable.shape}]. Build the model from the checkpoint's config.`,
        );
      }
    }
    for (const name of this.names) {
      const variable = this.byName.get(name)!;
      const weight = given.get(name)!;
      tf.tidy(() => variable.assign(tf.tensor(weight.values, variable.shape, "float32")));
    }
  }

  /**
   * Relevance logits of the batch's pairs, [batchSize]. Differentiable with respect to `variables()`.
   * @example tf.tidy(() => model.score(batch, { training: false }).arraySync()) // [0.013, -0.021, ...]
   */
  score(batch: EncodedBatch, options: ScoreOptions): tf.Tensor1D {
    this.assertLive("score");
    void options.training;
    checkBatch(batch, this.config);
    return tf.tidy(() => this.forward(batch, options.arrangement ?? arrangementFor(tf.getBackend())));
  }

  private weight(name: string): tf.Tensor {
    return this.byName.get(name)!;
  }

  private denseNamed(x: tf.Tensor2D, name: string, arrangement: OpsArrangement): tf.Tensor2D {
    return dense(x, this.weight(`${name}.weight`) as tf.Tensor2D, this.weight(`${name}.bias`) as tf.Tensor1D, arrangement);
  }

  private norm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    return layerNorm(
      x,
      this.weight(`${name}.weight`) as tf.Tensor1D,
      this.weight(`${name}.bias`) as tf.Tensor1D,
      this.config.layerNormEpsilon,
    );
  }

  /**
   * Kernel and bias of several projections side by side (e.g. query|key|value), for one wide matMul. The query
   * projection comes pre-multiplied by 1/sqrt(headDim), the attention scale (see `selfAttention`).
   */
  private projection(names: string[]): { kernel: tf.Tensor2D; bias: tf.Tensor1D } {
    const scale = 1 / Math.sqrt(this.config.hidden / this.config.heads);
    const scaled = (name: string, part: "weight" | "bias") =>
      name.endsWith(".query") ? tf.mul(this.weight(`${name}.${part}`), scale) : this.weight(`${name}.${part}`);
    return {
      kernel: tf.concat(names.map((name) => scaled(name, "weight") as tf.Tensor2D), 1),
      bias: tf.concat(names.map((name) => scaled(name, "bias") as tf.Tensor1D), 0),
    };
  }

  private feedForward(x: tf.Tensor2D, base: string, arrangement: OpsArrangement): tf.Tensor2D {
    const inner = gelu(this.denseNamed(x, `${base}.intermediate.dense`, arrangement), this.config.activation);
    return this.denseNamed(inner as tf.Tensor2D, `${base}.output.dense`, arrangement);
  }

  /** Embeddings (word + position + segment, + exact-match flag), LayerNorm'd for post-LN: [tokens, hidden]. */
  private embed(batch: EncodedBatch): tf.Tensor2D {
    const { batchSize, seqLen } = batch;
    const d = this.config.hidden;
    const tokens = batchSize * seqLen;
    let x: tf.Tensor2D = embeddingLookup(this.weight("embeddings.word_embeddings.weight") as tf.Tensor2D, tf.tensor1d(batch.inputIds, "int32"));
    const positions = tf.slice(this.weight("embeddings.position_embeddings.weight"), [0, 0], [seqLen, d]);
    x = tf.reshape(tf.add(tf.reshape(x, [batchSize, seqLen, d]), positions), [tokens, d]);
    x = add2(x, embeddingLookup(this.weight("embeddings.token_type_embeddings.weight") as tf.Tensor2D, tf.tensor1d(batch.segmentIds, "int32")));
    if (this.config.exactMatch) {
      const flags = Int32Array.from(batch.exactMatch ?? new Uint8Array(tokens));
      x = add2(x, embeddingLookup(this.weight("embeddings.exact_match_embeddings.weight") as tf.Tensor2D, tf.tensor1d(flags, "int32")));
    }
    return this.config.layerNorm === "post" ? this.norm(x, "embeddings.LayerNorm") : x;
  }

  /** One transformer block over every token. */
  private fullLayer(x: tf.Tensor2D, layer: number, mask: tf.Tensor4D | null, shape: AttentionShape, arrangement: OpsArrangement): tf.Tensor2D {
    const placement = this.config.layerNorm;
    const base = `encoder.layer.${layer}`;
    const projection = this.projection([`${base}.attention.self.query`, `${base}.attention.self.key`, `${base}.attention.self.value`]);
    const attentionInput = placement === "pre" ? this.norm(x, `${base}.attention.output.LayerNorm`) : x;
    const qkv = dense(attentionInput, projection.kernel, projection.bias, arrangement);
    const attended = this.denseNamed(selfAttention(qkv, mask, shape, arrangement), `${base}.attention.output.dense`, arrangement);
    if (placement === "pre") {
      x = add2(x, attended);
      return add2(x, this.feedForward(this.norm(x, `${base}.output.LayerNorm`), base, arrangement));
    }
    x = this.norm(add2(x, attended), `${base}.attention.output.LayerNorm`);
    return this.norm(add2(x, this.feedForward(x, base, arrangement)), `${base}.output.LayerNorm`);
  }

  /**
   * Final hidden states of every token, [batchSize·seqLen, hidden] (after the final LayerNorm for pre-LN): the
   * input of a masked-language-model head (src/train/mlm.ts). Differentiable like `score`; call it inside
   * `tf.tidy` or `tf.variableGrads`.
   */
  tokenStates(batch: EncodedBatch): tf.Tensor2D {
    this.assertLive("tokenStates");
    checkBatch(batch, this.config);
    const arrangement = arrangementFor(tf.getBackend());
    const shape: AttentionShape = { batchSize: batch.batchSize, seqLen: batch.seqLen, heads: this.config.heads, headDim: this.config.hidden / this.config.heads };
    const mask = paddingMask(batch);
    let x = this.embed(batch);
    for (let layer = 0; layer < this.config.layers; layer++) x = this.fullLayer(x, layer, mask, shape, arrangement);
    return this.config.layerNorm === "pre" ? this.norm(x, "encoder.final_layer_norm") : x;
  }

  private forward(batch: EncodedBatch, arrangement: OpsArrangement): tf.Tensor1D {
    const { batchSize, seqLen } = batch;
    const { hidden: d, heads, layers, layerNorm: placement } = this.config;
    const shape: AttentionShape = { batchSize, seqLen, heads, headDim: d / heads };

    // 1. Embeddings: word + position + segment (+ exact-match flag).
    let x = this.embed(batch);
    const mask = paddingMask(batch);

    // 2. All layers but the last, every token.
    for (let layer = 0; layer < layers - 1; layer++) x = this.fullLayer(x, layer, mask, shape, arrangement);

    // 3. The last layer: keys and values of every token, everything else for [CLS] only (the score reads
    //    nothing else), which is the same function at a fraction of the cost.
    const base = `encoder.layer.${layers - 1}`;
    const attentionInput = placement === "pre" ? this.norm(x, `${base}.attention.output.LayerNorm`) : x;
    const keyValue = this.projection([`${base}.attention.self.key`, `${base}.attention.self.value`]);
    const kv = dense(attentionInput, keyValue.kernel, keyValue.bias, arrangement);
    const firstToken = (rows: tf.Tensor2D): tf.Tensor2D =>
      tf.reshape(tf.slice(tf.reshape(rows, [batchSize, seqLen, d]), [0, 0, 0], [batchSize, 1, d]), [batchSize, d]);
    const query = this.projection([`${base}.attention.self.query`]);
    const q = dense(firstToken(attentionInput), query.kernel, query.bias, arrangement);
    const attended = this.denseNamed(singleQueryAttention(q, kv, mask, shape), `${base}.attention.output.dense`, arrangement);
    let cls = firstToken(x);
    if (placement === "pre") {
      cls = add2(cls, attended);
      cls = add2(cls, this.feedForward(this.norm(cls, `${base}.output.LayerNorm`), base, arrangement));
      cls = this.norm(cls, "encoder.final_layer_norm");
    } else {
      cls = this.norm(add2(cls, attended), `${base}.attention.output.LayerNorm`);
      cls = this.norm(add2(cls, this.feedForward(cls, base, arrangement)), `${base}.output.LayerNorm`);
    }

    // 4. Score head (after BERT's tanh pooler if configured).
    if (this.config.pooler) cls = tf.tanh(this.denseNamed(cls, "pooler.dense", arrangement));
    return tf.reshape(this.denseNamed(cls, "classifier", arrangement), [batchSize]);
  }

  /** Frees the variables; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const variable of this.byName.values()) variable.dispose();
    this.disposed = true;
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new Error(`CrossEncoder.${method}: the model was disposed; create a new one.`);
  }
}

function add2(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.add(a, b) as tf.Tensor2D;
}

/** Additive attention mask [batch, 1, 1, seq]: 0 for real tokens, PADDING_SCORE for padding keys; null if unpadded. */
function paddingMask(batch: EncodedBatch): tf.Tensor4D | null {
  if (batch.lengths.every((length) => length === batch.seqLen)) return null;
  const values = new Float32Array(batch.batchSize * batch.seqLen);
  for (let row = 0; row < batch.batchSize; row++) {
    for (let position = batch.lengths[row]!; position < batch.seqLen; position++) {
      values[row * batch.seqLen + position] = PADDING_SCORE;
    }
  }
  return tf.tensor4d(values, [batch.batchSize, 1, 1, batch.seqLen]);
}

function checkBatch(batch: EncodedBatch, config: CrossEncoderConfig): void {
  const { batchSize, seqLen } = batch;
  const tokens = batchSize * seqLen;
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seqLen) || seqLen < 1) {
    throw new Error(`CrossEncoder.score: batchSize and seqLen must be positive integers, got ${batchSize} and ${seqLen}.`);
  }
  if (seqLen > config.maxLen) {
    throw new Error(`CrossEncoder.score: seqLen ${seqLen} exceeds the model's maxLen ${config.maxLen}; truncate in the tokenizer.`);
  }
  if (batch.inputIds.length !== tokens || batch.segmentIds.length !== tokens || batch.lengths.length !== batchSize) {
    throw new Error(
      `CrossEncoder.score: inputIds (${batch.inputIds.length}) and segmentIds (${batch.segmentIds.length}) must hold ` +
        `batchSize×seqLen = ${tokens} ids and lengths (${batch.lengths.length}) batchSize = ${batchSize}.`,
    );
  }
  for (let row = 0; row < batchSize; row++) {
    const length = batch.lengths[row]!;
    if (length < 1 || length > seqLen) {
      throw new Error(`CrossEncoder.score: lengths[${row}] = ${length} must be in 1..${seqLen} (seqLen).`);
    }
  }
  for (let i = 0; i < tokens; i++) {
    const id = batch.inputIds[i]!;
    if (id < 0 || id >= config.vocabSize) {
      throw new Error(`CrossEncoder.score: token id ${id} at position ${i} is outside the vocabulary 0..${config.vocabSize - 1}; build the model with the tokenizer's vocabSize.`);
    }
    const segment = batch.segmentIds[i]!;
    if (segment < 0 || segment >= config.typeVocabSize) {
      throw new Error(`CrossEncoder.score: segment id ${segment} at position ${i} must be in 0..${config.typeVocabSize - 1}.`);
    }
  }
  if (config.exactMatch && batch.exactMatch !== undefined && batch.exactMatch.length !== tokens) {
    throw new Error(`CrossEncoder.score: exactMatch has ${batch.exactMatch.length} flags, expected ${tokens}.`);
  }
}

/**
 * Builds cross-encoders. `create({ preset: "6M", vocabSize: tokenizer.vocabSize, maxLen: 256 })` or
 * `create({ layers: 2, hidden: 128, heads: 4 })`; `presets` lists the size ladder.
 * @example crossEncoder.create({ preset: "0.4M", vocabSize: 8192, maxLen: 128 }).describe().nonEmbeddingParams // 396929
 */
export const crossEncoder = {
  create(options: CreateOptions): CrossEncoder {
    if ("preset" in options && options.preset !== undefined) {
      const { preset, ...overrides } = options;
      const shape = (SIZE_PRESETS as Record<string, { layers: number; hidden: number; heads: number }>)[preset];
      if (!shape) {
        throw new Error(`crossEncoder.create: unknown preset "${preset}". Use one of ${SIZE_PRESET_NAMES.join(", ")}.`);
      }
      for (const field of ["layers", "hidden", "heads", "ffn"]) {
        if (field in overrides) {
          throw new Error(`crossEncoder.create: preset "${preset}" fixes ${field}; pass a shape without preset instead.`);
        }
      }
      return new CrossEncoder(resolveCrossEncoderConfig({ ...overrides, ...shape }));
    }
    return new CrossEncoder(resolveCrossEncoderConfig(options as Partial<CrossEncoderConfig> & Pick<CrossEncoderConfig, "layers" | "hidden" | "heads">));
  },
  /**
   * A cross-encoder initialised from a pretrained BERT (`await encoders.load("bert-miniatures/L4-H256")`, a local
   * folder, or our own MLM ladder): every stored weight copied, pooler and head from the checkpoint when present,
   * the exact-match embedding (if asked for) starting at zero. See `bertWeightsForCrossEncoder` (bert-checkpoint.ts).
   * @example crossEncoder.fromEncoder(await encoders.load("data/fixtures/tiny-bert"), { exactMatch: true }).config.layerNorm // "post"
   */
  fromEncoder(encoder: BertCheckpoint, options: FromBertOptions = {}): CrossEncoder {
    const model = new CrossEncoder(crossEncoderConfigFromBert(encoder, options));
    try {
      model.setWeights(bertWeightsForCrossEncoder(encoder, model.getWeights(), options));
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  },
  presets: SIZE_PRESETS,
};
