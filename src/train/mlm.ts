import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/encoded-batch";
import { Random } from "../random";
import { transposeMatrix } from "../model/bert-checkpoint";
import { CrossEncoder } from "../model/cross-encoder";
import { resolveCrossEncoderConfig, type CrossEncoderConfig } from "../model/cross-encoder-config";
import { arrangementFor } from "../model/ops/arrangement";
import { dense } from "../model/ops/dense";
import { embeddingLookup } from "../model/ops/embedding-lookup";
import { gelu } from "../model/ops/gelu";
import { layerNorm } from "../model/ops/layer-norm";
import { saveSafetensors, type SafetensorsInput } from "../model/safetensors";
import { SIZE_PRESETS, type SizePresetName } from "../model/size-presets";
import { trainingFlops } from "../model/training-flops";
import { AdamW } from "./adamw";
import { latestCheckpoint, pruneCheckpoints, writeCheckpoint, writePartsAtomic } from "./checkpoint";
import { globalNormClipScale } from "./clip-by-global-norm";
import { linearWarmupDecay } from "./learning-rate-schedule";
import { ProgressBar, type ProgressBarOptions } from "./progress-bar";

/**
 * Masked-language-model pretraining of a BERT encoder of any size preset on a corpus we have, so the study can
 * fine-tune rerankers from pretrained encoders offline ("our own ladder"). The result is a Hugging Face BERT
 * folder (config.json, model.safetensors with the `cls.predictions` head, vocab.txt, tokenizer_config.json) that
 * `encoders.load(folder)` reads like any downloaded checkpoint, plus `pretraining.json` with the loss curve,
 * tokens seen, wall time and pretraining FLOPs (report them apart from fine-tuning FLOPs).
 *
 * Recipe (Devlin et al. 2019, §3.1 and Appendix A; google-research/bert `create_pretraining_data.py`): the corpus
 * is tokenized, concatenated document after document and cut into sequences `[CLS] … [SEP]` of `seqLen` tokens;
 * per sequence round(15%) of the real tokens (at least 1) are chosen, of which 80% become [MASK], 10% a random
 * vocabulary token, 10% stay; the loss is the cross-entropy of the original tokens at the chosen positions through
 * BERT's head (dense + GELU + LayerNorm, decoder tied to the word embeddings, output bias). No next-sentence task
 * (RoBERTa, Liu et al. 2019, found it unnecessary). AdamW, linear warmup and decay, global-norm clipping.
 *
 * Resumable: a verified checkpoint (weights, AdamW moments, step) every `checkpointEvery` steps; a killed run
 * restarts from the newest one and reproduces the uninterrupted run (the data order and the masks are functions of
 * the seed and the step). A finished folder is returned as is (run once, cached).
 */

/** What MLM pretraining needs from a tokenizer. */
export interface MlmTokenizer {
  /** Tokens in id order; must contain [PAD] (id 0), [UNK], [CLS], [SEP], [MASK]. */
  vocab: readonly string[];
  /** Word-piece ids of a text, without special tokens. */
  tokenIds(text: string): number[];
  /** Saved in tokenizer_config.json (default true). */
  doLowerCase?: boolean;
}

/** Options of {@link pretrainMlm}. */
export interface MlmPretrainingOptions {
  /** Output folder: the HF checkpoint, `pretraining.json` and `checkpoints/` go here. */
  outDir: string;
  /** The corpus, one document per entry. */
  texts: readonly string[];
  tokenizer: MlmTokenizer;
  /** A size preset name ("0.4M", …) or an explicit shape. The encoder is post-LN BERT (GELU, pooler, eps 1e-12). */
  size: SizePresetName | { layers: number; hidden: number; heads: number; ffn?: number };
  /**
   * Optimizer steps (batches). 0 writes the seeded initialisation untrained: the same architecture, vocabulary and
   * starting weights, the control that tells what pretraining adds from what the BERT shape itself brings.
   */
  steps: number;
  /** Tokens per sequence, [CLS] and [SEP] included (default 128). */
  seqLen?: number;
  /** Sequences per step (default 32). */
  batchSize?: number;
  /** Peak learning rate (default 5e-4; BERT used 1e-4 at batch 256 for its base model, small models take more). */
  learningRate?: number;
  /** Warmup steps (default 10% of steps). */
  warmupSteps?: number;
  weightDecay?: number;
  /** Fraction of real tokens predicted per sequence (default 0.15). */
  maskFraction?: number;
  /** Seed of the initial weights, the data order and the masks (default 0). */
  seed?: number;
  /** Steps between checkpoints (default 200); the last step always writes one. */
  checkpointEvery?: number;
  /** Global gradient norm cap (default 1.0). */
  maxGradNorm?: number;
  /** Progress bar options, or false for none (default: a bar on stderr). */
  progress?: ProgressBarOptions | false;
  /** Stop after this many steps in this call (for tests of resumption; default: run to `steps`). */
  stopAfterSteps?: number;
  /**
   * Aborting stops after the current step: a checkpoint is written (no step is lost) and the call rejects with
   * a `PretrainingStoppedError`; the same call later resumes there. The loop yields to the event loop between
   * steps so that a signal handler (Ctrl-C) can run.
   */
  signal?: AbortSignal;
}

/** Thrown by {@link pretrainMlm} when its `signal` aborts; the checkpoint of `stepsDone` is on disk. */
export class PretrainingStoppedError extends Error {
  constructor(readonly folder: string, readonly stepsDone: number, readonly steps: number) {
    super(`pretrainMlm: stopped on request at step ${stepsDone} of ${steps}; the checkpoint in ${folder} is saved, run again to resume.`);
    this.name = "PretrainingStoppedError";
  }
}

/** One point of the MLM loss curve (mean loss of the batches since the previous point). */
export interface MlmLossPoint {
  step: number;
  loss: number;
  tokensSeen: number;
}

/** What {@link pretrainMlm} wrote and measured (also saved as `pretraining.json`). */
export interface MlmPretrainingResult {
  folder: string;
  finished: boolean;
  stepsDone: number;
  config: CrossEncoderConfig;
  nonEmbeddingParams: number;
  /** Tokens processed (sequences × seqLen, padding included). */
  tokensSeen: number;
  /** Matrix-multiply FLOPs of the pretraining steps done (forward + backward, 3 × forward); see {@link mlmFlopsPerSequence}. */
  pretrainingFlops: number;
  /** Tokens per second over the steps run in this process (excludes resumed steps). */
  tokensPerSecond: number;
  /** Wall seconds over all sessions. */
  wallSeconds: number;
  lossCurve: MlmLossPoint[];
  /** Step the run resumed from (0 for a fresh start). */
  resumedFromStep: number;
  sequencesInCorpus: number;
  /** tfjs backend of the last session ("wasm", "tensorflow-gpu", …; "cpu" is pure JavaScript, and slow). */
  backend: string;
}

/** The masked inputs of one batch and what to predict. */
export interface MaskedBatch {
  batch: EncodedBatch;
  /** Flat positions (row·seqLen + column) of the predicted tokens. */
  positions: Int32Array;
  /** Original token ids at `positions`. */
  labels: Int32Array;
}

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

function specialIds(vocab: readonly string[]): Record<(typeof SPECIALS)[number], number> {
  const ids = {} as Record<(typeof SPECIALS)[number], number>;
  for (const token of SPECIALS) {
    const id = vocab.indexOf(token);
    if (id < 0) throw new Error(`pretrainMlm: the vocabulary has no ${token}; train it with the special tokens [PAD], [UNK], [CLS], [SEP], [MASK].`);
    ids[token] = id;
  }
  if (ids["[PAD]"] !== 0) throw new Error(`pretrainMlm: [PAD] must be id 0 (EncodedBatch pads with 0), got ${ids["[PAD]"]}.`);
  return ids;
}

/**
 * Cuts the corpus into sequences of at most `seqLen − 2` word pieces, filling each from consecutive documents
 * (a document longer than that spans several sequences; the last sequence may be shorter).
 */
export function packSequences(texts: readonly string[], tokenizer: Pick<MlmTokenizer, "tokenIds">, seqLen: number): Int32Array[] {
  const room = seqLen - 2;
  if (!Number.isInteger(seqLen) || room < 1) throw new Error(`packSequences: seqLen must be an integer >= 3, got ${seqLen}.`);
  const sequences: Int32Array[] = [];
  let current: number[] = [];
  for (const text of texts) {
    for (const id of tokenizer.tokenIds(text)) {
      current.push(id);
      if (current.length === room) {
        sequences.push(Int32Array.from(current));
        current = [];
      }
    }
  }
  if (current.length > 0) sequences.push(Int32Array.from(current));
  return sequences;
}

/**
 * Builds one masked batch: `[CLS] pieces [SEP]` per row, padded with 0; in each row round(maskFraction × pieces)
 * positions (at least 1) drawn without replacement among the pieces; each becomes [MASK] with probability 0.8, a
 * uniformly drawn non-special token with 0.1, and stays with 0.1.
 * @example maskBatch([Int32Array.of(7, 8, 9)], vocab, new Random(1), { seqLen: 8 }).labels.length // 1 (round(0.45))
 */
export function maskBatch(
  rows: readonly Int32Array[],
  vocab: readonly string[],
  random: Random,
  options: { seqLen: number; maskFraction?: number },
): MaskedBatch {
  const { seqLen } = options;
  const maskFraction = options.maskFraction ?? 0.15;
  const ids = specialIds(vocab);
  const specialSet = new Set(Object.values(ids));
  const batchSize = rows.length;
  const inputIds = new Int32Array(batchSize * seqLen);
  const segmentIds = new Int32Array(batchSize * seqLen);
  const lengths = new Int32Array(batchSize);
  const positions: number[] = [];
  const labels: number[] = [];
  rows.forEach((pieces, row) => {
    if (pieces.length + 2 > seqLen) throw new Error(`maskBatch: row ${row} has ${pieces.length} pieces, more than seqLen − 2 = ${seqLen - 2}.`);
    const base = row * seqLen;
    inputIds[base] = ids["[CLS]"];
    inputIds.set(pieces, base + 1);
    inputIds[base + pieces.length + 1] = ids["[SEP]"];
    lengths[row] = pieces.length + 2;
    const count = Math.min(pieces.length, Math.max(1, Math.round(maskFraction * pieces.length)));
    const candidates = random.shuffle(Array.from({ length: pieces.length }, (_, i) => i + 1)).slice(0, count).sort((a, b) => a - b);
    for (const column of candidates) {
      const position = base + column;
      labels.push(inputIds[position]!);
      positions.push(position);
      const draw = random.next();
      if (draw < 0.8) inputIds[position] = ids["[MASK]"];
      else if (draw < 0.9) {
        let replacement: number;
        do replacement = random.int(vocab.length);
        while (specialSet.has(replacement));
        inputIds[position] = replacement;
      }
    }
  });
  return { batch: { batchSize, seqLen, inputIds, segmentIds, lengths }, positions: Int32Array.from(positions), labels: Int32Array.from(labels) };
}

/**
 * Matrix-multiply FLOPs of one MLM training step on one sequence: the full encoder on every token (the
 * cross-encoder's `trainingFlops` without pooler and score head) plus, per predicted token, the head's dense
 * layer and the vocabulary decoder, 3 × (2d² + 2dV). Embedding lookups and elementwise work are not counted.
 * @example mlmFlopsPerSequence(config, 128, 19)
 */
export function mlmFlopsPerSequence(config: CrossEncoderConfig, seqLen: number, predictedTokens: number): number {
  const encoderOnly = trainingFlops({ ...config, pooler: false }, seqLen).trainingFlopsPerExample - 3 * 2 * config.hidden;
  return encoderOnly + 3 * predictedTokens * (2 * config.hidden * config.hidden + 2 * config.hidden * config.vocabSize);
}

/**
 * BERT's masked-LM head (HF `BertOnlyMLMHead`): dense d→d, GELU, LayerNorm, then a decoder tied to the word
 * embeddings plus an output bias. Variables under HF names (cls.predictions.*), the dense kernel stored [in, out].
 */
export class MlmHead {
  readonly names = ["cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias"];
  readonly variables: tf.Variable[];

  constructor(config: CrossEncoderConfig, random: Random) {
    const d = config.hidden;
    const kernel = Float32Array.from({ length: d * d }, () => config.initStd * random.normal());
    // Inside tidy: the initial-value tensors are freed, the variables are kept.
    this.variables = tf.tidy(() => [
      tf.variable(tf.tensor2d(kernel, [d, d]), true),
      tf.variable(tf.zeros([d]), true),
      tf.variable(tf.ones([d]), true),
      tf.variable(tf.zeros([d]), true),
      tf.variable(tf.zeros([config.vocabSize]), true),
    ]);
  }

  /** Replaces the head's weights from a BERT checkpoint's `mlmHead` (PyTorch layout, canonical names). */
  setWeights(weights: ReadonlyMap<string, { shape: number[]; values: Float32Array }>): void {
    this.names.forEach((name, index) => {
      const weight = weights.get(name);
      const variable = this.variables[index]!;
      if (!weight || weight.values.length !== variable.size) throw new Error(`MlmHead.setWeights: "${name}" is missing or has the wrong size (want ${variable.size} values).`);
      const values = weight.shape.length === 2 ? transposeMatrix(weight.values, weight.shape[0]!, weight.shape[1]!) : weight.values;
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, "float32")));
    });
  }

  /** Vocabulary logits for hidden states [m, d], decoder tied to `wordEmbeddings` [V, d]. */
  logits(hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D, config: CrossEncoderConfig): tf.Tensor2D {
    const arrangement = arrangementFor(tf.getBackend());
    const [kernel, bias, gamma, beta, outputBias] = this.variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    const transformed = gelu(dense(hidden, kernel as tf.Tensor2D, bias as tf.Tensor1D, arrangement), config.activation) as tf.Tensor2D;
    const normed = layerNorm(transformed, gamma as tf.Tensor1D, beta as tf.Tensor1D, config.layerNormEpsilon);
    return dense(normed, tf.transpose(wordEmbeddings) as tf.Tensor2D, outputBias as tf.Tensor1D, arrangement);
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

/**
 * The MLM loss of a masked batch: mean cross-entropy of the original tokens at the masked positions, through the
 * encoder's final token states and `head` (decoder tied to the model's word embeddings). Differentiable.
 */
export function mlmLoss(model: CrossEncoder, head: MlmHead, masked: MaskedBatch): tf.Scalar {
  const states = model.tokenStates(masked.batch);
  const picked = embeddingLookup(states, tf.tensor1d(masked.positions, "int32"));
  const wordEmbeddings = model.variables()[model.variableNames().indexOf("embeddings.word_embeddings.weight")] as tf.Tensor2D;
  return crossEntropy(head.logits(picked, wordEmbeddings, model.config), masked.labels, model.config.vocabSize);
}

/**
 * Mean cross-entropy of `labels` under `logits` [m, V]: logsumexp minus the target logit, which is picked with a
 * row gather on the flattened logits (a one-hot product costs far more on wasm).
 */
function crossEntropy(logits: tf.Tensor2D, labels: Int32Array, vocabSize: number): tf.Scalar {
  const flatIndices = Int32Array.from(labels, (label, row) => row * vocabSize + label);
  const flat = tf.reshape(logits, [labels.length * vocabSize, 1]) as tf.Tensor2D;
  const target = tf.reshape(embeddingLookup(flat, tf.tensor1d(flatIndices, "int32")), [labels.length]);
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), target)) as tf.Scalar;
}

/** Config of the encoder to pretrain. */
export function mlmEncoderConfig(size: MlmPretrainingOptions["size"], vocabSize: number, seqLen: number, seed: number): CrossEncoderConfig {
  const shape = typeof size === "string" ? (SIZE_PRESETS as Record<string, { layers: number; hidden: number; heads: number }>)[size] : size;
  if (!shape) throw new Error(`pretrainMlm: unknown size preset "${String(size)}". Use one of ${Object.keys(SIZE_PRESETS).join(", ")} or { layers, hidden, heads }.`);
  return resolveCrossEncoderConfig({ ...shape, vocabSize, maxLen: seqLen, layerNorm: "post", pooler: true, activation: "gelu", layerNormEpsilon: 1e-12, initStd: 0.02, exactMatch: false, seed });
}

/** Writes the encoder and MLM head as a Hugging Face BertForMaskedLM folder (the classifier is not exported). */
export async function saveBertFolder(
  folder: string,
  model: CrossEncoder,
  head: { names: readonly string[]; variables: readonly tf.Variable[] },
  tokenizer: MlmTokenizer,
): Promise<void> {
  const config = model.config;
  if (config.layerNorm !== "post" || !config.pooler || config.exactMatch) {
    throw new Error("saveBertFolder: only post-LN encoders with a pooler and no exact-match embedding have a BERT layout.");
  }
  const tensors: Record<string, SafetensorsInput> = {};
  const add = (name: string, shape: readonly number[], values: Float32Array) => {
    const isLinear = shape.length === 2 && !name.includes("embeddings.");
    const stored = isLinear ? { values: transposeMatrix(values, shape[0]!, shape[1]!), shape: [shape[1]!, shape[0]!] } : { values, shape: [...shape] };
    tensors[name.startsWith("cls.") ? name : `bert.${name}`] = stored;
  };
  for (const weight of await model.readWeights()) if (!weight.name.startsWith("classifier.")) add(weight.name, weight.shape, weight.values);
  for (const [index, name] of head.names.entries()) {
    const variable = head.variables[index]!;
    add(name, variable.shape, (await variable.data()) as Float32Array);
  }
  fs.mkdirSync(folder, { recursive: true });
  const hfConfig = {
    architectures: ["BertForMaskedLM"], model_type: "bert", vocab_size: config.vocabSize, hidden_size: config.hidden,
    num_hidden_layers: config.layers, num_attention_heads: config.heads, intermediate_size: config.ffn, hidden_act: "gelu",
    hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, max_position_embeddings: config.maxLen, type_vocab_size: config.typeVocabSize,
    initializer_range: config.initStd, layer_norm_eps: config.layerNormEpsilon, pad_token_id: 0, position_embedding_type: "absolute",
  };
  const write = (name: string, text: string) => writePartsAtomic(path.join(folder, name), [Buffer.from(text, "utf8")]);
  write("config.json", `${JSON.stringify(hfConfig, null, 2)}\n`);
  write("vocab.txt", `${tokenizer.vocab.join("\n")}\n`);
  write("tokenizer_config.json", `${JSON.stringify({ do_lower_case: tokenizer.doLowerCase ?? true, tokenizer_class: "BertTokenizer" }, null, 2)}\n`);
  saveSafetensors(path.join(folder, "model.safetensors"), tensors, { format: "pt", producer: "rerank-scaling pretrainMlm" });
}

interface MlmCheckpointState {
  configKey: string;
  stepsDone: number;
  tokensSeen: number;
  wallSeconds: number;
  lossCurve: MlmLossPoint[];
  adamStep: number;
  pretrainingFlops: number;
  /** Losses since the last loss-curve point (so a resumed curve equals an uninterrupted one). */
  pendingLosses: number[];
}

/**
 * Runs (or resumes, or returns the cached result of) MLM pretraining; see the module comment.
 * @example await pretrainMlm({ outDir: "runs/ladder/0.4M", texts, tokenizer, size: "0.4M", steps: 2000 })
 */
export async function pretrainMlm(options: MlmPretrainingOptions): Promise<MlmPretrainingResult> {
  const seqLen = options.seqLen ?? 128;
  const batchSize = options.batchSize ?? 32;
  const seed = options.seed ?? 0;
  const steps = options.steps;
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`pretrainMlm: steps must be an integer ≥ 0 (0: untrained), got ${steps}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`pretrainMlm: batchSize must be a positive integer, got ${batchSize}.`);
  const learningRate = options.learningRate ?? 5e-4;
  const warmupSteps = options.warmupSteps ?? Math.floor(steps / 10);
  const checkpointEvery = options.checkpointEvery ?? 200;
  const maskFraction = options.maskFraction ?? 0.15;
  const vocab = options.tokenizer.vocab;
  specialIds(vocab);
  const config = mlmEncoderConfig(options.size, vocab.length, seqLen, seed);
  const configKey = JSON.stringify({ config, steps, batchSize, learningRate, warmupSteps, maskFraction, weightDecay: options.weightDecay ?? 0.01, maxGradNorm: options.maxGradNorm ?? 1, corpusDocuments: options.texts.length });
  const outDir = path.resolve(options.outDir);
  const summaryFile = path.join(outDir, "pretraining.json");
  if (fs.existsSync(summaryFile)) {
    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as MlmPretrainingResult & { configKey?: string };
    if (summary.finished && summary.configKey === configKey) return summary;
    if (summary.finished) throw new Error(`pretrainMlm: ${outDir} holds a finished run with other settings; choose another outDir or delete it.`);
  }

  const sequences = packSequences(options.texts, options.tokenizer, seqLen);
  if (sequences.length === 0) throw new Error("pretrainMlm: the corpus produced no tokens; pass non-empty texts.");
  const model = new CrossEncoder(config);
  const head = new MlmHead(config, new Random(seed + 1));
  const modelNames = model.variableNames();
  const trainedIndices = modelNames.map((name, index) => ({ name, index })).filter(({ name }) => !name.startsWith("pooler.") && !name.startsWith("classifier."));
  const variables = [...trainedIndices.map(({ index }) => model.variables()[index]!), ...head.variables];
  const optimizer = new AdamW(variables, { weightDecay: options.weightDecay ?? 0.01 });
  const checkpoints = path.join(outDir, "checkpoints");
  const state: MlmCheckpointState = { configKey, stepsDone: 0, tokensSeen: 0, wallSeconds: 0, lossCurve: [], adamStep: 0, pretrainingFlops: 0, pendingLosses: [] };
  const resumed = fs.existsSync(checkpoints) ? latestCheckpoint<MlmCheckpointState>(checkpoints) : undefined;
  if (resumed) {
    if (resumed.state.configKey !== configKey) throw new Error(`pretrainMlm: the checkpoints in ${checkpoints} were written with other settings; choose another outDir or delete it.`);
    model.setWeights(resumed.tensors.weights!);
    head.variables.forEach((variable, index) => tf.tidy(() => variable.assign(tf.tensor(resumed.tensors.head![index]!.values, variable.shape))));
    optimizer.setState({ step: resumed.state.adamStep, firstMoments: resumed.tensors["adam.m"]!.map((t) => t.values), secondMoments: resumed.tensors["adam.v"]!.map((t) => t.values) });
    Object.assign(state, resumed.state);
  }
  const resumedFromStep = state.stepsDone;
  const bar = options.progress === false || steps === 0 ? undefined : new ProgressBar(steps, { label: `mlm ${typeof options.size === "string" ? options.size : `L${config.layers}-H${config.hidden}`}`, startStep: resumedFromStep, ...(options.progress ?? {}) });
  const stopAt = Math.min(steps, resumedFromStep + (options.stopAfterSteps ?? steps));
  const startSeconds = performance.now() / 1000;
  const previousWallSeconds = state.wallSeconds;

  const saveCheckpoint = async () => {
    const adam = await optimizer.getState();
    state.adamStep = adam.step;
    writeCheckpoint(checkpoints, {
      step: state.stepsDone,
      tensors: {
        weights: await model.readWeights(),
        head: await Promise.all(head.variables.map(async (variable, index) => ({ name: head.names[index]!, shape: [...variable.shape], values: (await variable.data()) as Float32Array }))),
        "adam.m": adam.firstMoments.map((values, index) => ({ name: `m${index}`, shape: [...variables[index]!.shape], values })),
        "adam.v": adam.secondMoments.map((values, index) => ({ name: `v${index}`, shape: [...variables[index]!.shape], values })),
      },
      state: { ...state, lossCurve: [...state.lossCurve], pendingLosses: [...state.pendingLosses] },
    });
    pruneCheckpoints(checkpoints, 2);
  };

  try {
    for (let step = state.stepsDone; step < stopAt; step++) {
      // Data order: epoch e visits the sequences in a shuffle seeded by (seed, e); masks are seeded by (seed, step).
      const rows: Int32Array[] = [];
      for (let row = 0; row < batchSize; row++) {
        const globalIndex = step * batchSize + row;
        const epoch = Math.floor(globalIndex / sequences.length);
        rows.push(sequences[epochOrder(sequences.length, seed, epoch)[globalIndex % sequences.length]!]!);
      }
      const masked = maskBatch(rows, vocab, new Random(((seed + 1) * 2654435761 + step * 40503) >>> 0), { seqLen, maskFraction });
      const rate = linearWarmupDecay(step, { peakLearningRate: learningRate, warmupSteps, totalSteps: steps });
      const { value, grads } = tf.variableGrads(() => mlmLoss(model, head, masked), variables);
      const gradients = variables.map((variable) => grads[variable.name] ?? tf.zerosLike(variable));
      const { globalNorm, scale } = globalNormClipScale(gradients, options.maxGradNorm ?? 1);
      optimizer.step(gradients, rate, scale);
      const loss = (await value.data())[0]!; // asynchronous: WebGPU in Node has no synchronous read
      tf.dispose([value, globalNorm, scale, ...gradients]);
      if (!Number.isFinite(loss)) throw new Error(`pretrainMlm: the loss became ${loss} at step ${step + 1}; lower learningRate (now ${learningRate}).`);
      state.stepsDone = step + 1;
      state.tokensSeen += batchSize * seqLen;
      state.pretrainingFlops += batchSize * mlmFlopsPerSequence(config, seqLen, masked.labels.length / batchSize);
      state.pendingLosses.push(loss);
      const elapsed = performance.now() / 1000 - startSeconds;
      bar?.update({ step: state.stepsDone, examplesPerSecond: ((state.stepsDone - resumedFromStep) * batchSize) / Math.max(elapsed, 1e-9), loss });
      const pointEvery = Math.max(1, Math.floor(steps / 100));
      if (state.stepsDone % pointEvery === 0 || state.stepsDone === steps) {
        state.lossCurve.push({ step: state.stepsDone, loss: state.pendingLosses.reduce((a, b) => a + b, 0) / state.pendingLosses.length, tokensSeen: state.tokensSeen });
        state.pendingLosses = [];
      }
      const stopping = options.signal?.aborted === true;
      if (state.stepsDone % checkpointEvery === 0 || state.stepsDone === stopAt || stopping) {
        state.wallSeconds = previousWallSeconds + performance.now() / 1000 - startSeconds;
        await saveCheckpoint();
      }
      if (stopping) {
        bar?.finish();
        throw new PretrainingStoppedError(outDir, state.stepsDone, steps);
      }
      if (options.signal) await new Promise((resolve) => setImmediate(resolve));
    }
    bar?.finish();
    const sessionSeconds = performance.now() / 1000 - startSeconds;
    const finished = state.stepsDone === steps;
    const result: MlmPretrainingResult & { configKey: string } = {
      folder: outDir,
      finished,
      stepsDone: state.stepsDone,
      config,
      nonEmbeddingParams: model.describe(seqLen).nonEmbeddingParams,
      tokensSeen: state.tokensSeen,
      pretrainingFlops: state.pretrainingFlops,
      tokensPerSecond: ((state.stepsDone - resumedFromStep) * batchSize * seqLen) / Math.max(sessionSeconds, 1e-9),
      wallSeconds: previousWallSeconds + sessionSeconds,
      lossCurve: state.lossCurve,
      resumedFromStep,
      sequencesInCorpus: sequences.length,
      backend: tf.getBackend(),
      configKey,
    };
    if (finished) await saveBertFolder(outDir, model, head, options.tokenizer);
    writePartsAtomic(summaryFile, [Buffer.from(`${JSON.stringify(result, null, 1)}\n`, "utf8")]);
    return result;
  } finally {
    optimizer.dispose();
    head.dispose();
    model.dispose();
  }
}

const orderCache = new Map<string, Int32Array>();

/** The visiting order of the sequences in one epoch (a seeded shuffle; epoch 0 included). */
function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const key = `${count}/${seed}/${epoch}`;
  let order = orderCache.get(key);
  if (!order) {
    order = Int32Array.from(new Random((seed * 7919 + epoch * 104729 + 17) >>> 0).shuffle(Array.from({ length: count }, (_, i) => i)));
    if (orderCache.size > 8) orderCache.clear();
    orderCache.set(key, order);
  }
  return order;
}
