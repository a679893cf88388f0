import * as fs from "node:fs";
import * as path from "node:path";
import type { NamedWeight } from "./cross-encoder";
import type { CrossEncoderConfig } from "./cross-encoder-config";
import { loadSafetensors, type SafetensorsTensor } from "./safetensors";
import { loadTorchStateDict } from "./torch-checkpoint";

/**
 * A Hugging Face BERT checkpoint folder (`config.json` + `model.safetensors` + `vocab.txt`, optionally
 * `tokenizer_config.json`; `pytorch_model.bin` is read safely when there is no model.safetensors) read into plain records: the cross-encoder config it implies, the vocabulary, and the
 * weights under canonical BERT names (no `bert.` prefix, `LayerNorm.weight/bias` rather than TF's `gamma/beta`,
 * PyTorch layout: a Linear weight is [out, in]).
 *
 * Accepted: `model_type: "bert"` checkpoints saved from BertModel, BertForPreTraining, BertForMaskedLM or
 * BertForSequenceClassification with one label (a cross-encoder such as cross-encoder/ms-marco-MiniLM-L-6-v2).
 * Refused with a message: other model types (RoBERTa, DistilBERT, ELECTRA, ALBERT, DeBERTa…), relative position
 * embeddings, decoders, activations other than GELU, weights whose shape disagrees with config.json, missing
 * encoder weights, and weights nobody knows how to use.
 *
 * Reference: transformers `models/bert/modeling_bert.py` (names, shapes), `configuration_bert.py` (defaults).
 * @example readBertCheckpoint("data/fixtures/tiny-bert").config // { layers: 2, hidden: 32, heads: 4, ... layerNorm: "post" }
 */

/** One weight in PyTorch layout. */
export interface BertWeight {
  shape: number[];
  values: Float32Array;
}

/** What the reader did with each stored weight. */
export interface BertLoadReport {
  /** Canonical names of weights that were read (encoder, pooler, and head when present). */
  loaded: string[];
  /** Weights the cross-encoder needs but the checkpoint lacks; the model initialises them (pooler, score head). */
  missing: string[];
  /** Stored names that were skipped on purpose: pre-training heads (`cls.*`) and buffers (`position_ids`). */
  ignored: string[];
}

/** A BERT checkpoint read from a folder. */
export interface BertCheckpoint {
  /** The folder it was read from. */
  folder: string;
  /** The cross-encoder config that reproduces this BERT (post-LN, pooler, exact-match flag off). */
  config: CrossEncoderConfig;
  /** config.json as stored. */
  hfConfig: Record<string, unknown>;
  /** vocab.txt, one token per id. */
  vocab: string[];
  /** tokenizer_config.json's `do_lower_case` (default true, as BertTokenizer). */
  doLowerCase: boolean;
  /** Weights by canonical name (see the module comment). */
  weights: Map<string, BertWeight>;
  /** The masked-LM head when the checkpoint has one (`cls.predictions.*`), by canonical name; for MLM. */
  mlmHead: Map<string, BertWeight>;
  report: BertLoadReport;
}

/** HF's `hidden_act` values and the project's activation that computes them. */
export const BERT_ACTIVATIONS: Readonly<Record<string, CrossEncoderConfig["activation"]>> = {
  gelu: "gelu",
  gelu_new: "gelu_tanh",
  gelu_pytorch_tanh: "gelu_tanh",
};

/** BERT's LayerNorm epsilon when config.json omits it (BertConfig default). */
export const BERT_DEFAULT_LAYER_NORM_EPS = 1e-12;

/** Names the reader knows but skips. */
const IGNORED_PATTERNS: readonly RegExp[] = [/^embeddings\.position_ids$/, /^cls\.seq_relationship\./];
const MLM_HEAD_PATTERN = /^cls\.predictions\./;

function fail(folder: string, message: string): never {
  throw new Error(`readBertCheckpoint: ${folder}: ${message}`);
}

function positiveInteger(folder: string, hfConfig: Record<string, unknown>, field: string, fallback?: number): number {
  const value = hfConfig[field] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    fail(folder, `config.json field "${field}" must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Validates config.json and turns it into the cross-encoder config that computes the same function. */
export function bertConfigToCrossEncoderConfig(hfConfig: Record<string, unknown>, folder = "config.json"): CrossEncoderConfig {
  // Configs written before transformers 3 (Google's miniatures on the Hub among them) have no model_type: accept
  // them when no architecture says otherwise (AutoConfig infers "bert" from the repository name there).
  const architectureList = Array.isArray(hfConfig.architectures) ? hfConfig.architectures.map(String) : [];
  const modelType = hfConfig.model_type ?? (architectureList.every((name) => name.startsWith("Bert")) ? "bert" : undefined);
  if (modelType !== "bert") {
    const architectures = architectureList.length > 0 ? ` (architectures: ${architectureList.join(", ")})` : "";
    fail(folder, `model_type is ${JSON.stringify(modelType)}${architectures}; only "bert" checkpoints are supported ` +
      `(BERT miniatures, bert-base, MiniLM cross-encoders with a BERT body). Convert the model or pick a BERT-family checkpoint.`);
  }
  const positionType = hfConfig.position_embedding_type ?? "absolute";
  if (positionType !== "absolute") fail(folder, `position_embedding_type "${String(positionType)}" is not supported; only "absolute" position embeddings are.`);
  if (hfConfig.is_decoder === true || hfConfig.add_cross_attention === true) fail(folder, "decoder / cross-attention BERT is not supported; use an encoder checkpoint.");
  const hiddenAct = hfConfig.hidden_act ?? "gelu";
  const activation = typeof hiddenAct === "string" ? BERT_ACTIVATIONS[hiddenAct] : undefined;
  if (!activation) fail(folder, `hidden_act ${JSON.stringify(hiddenAct)} is not supported; supported: ${Object.keys(BERT_ACTIVATIONS).join(", ")}.`);
  const epsilon = hfConfig.layer_norm_eps ?? BERT_DEFAULT_LAYER_NORM_EPS;
  if (typeof epsilon !== "number" || !(epsilon > 0)) fail(folder, `layer_norm_eps must be a positive number, got ${JSON.stringify(epsilon)}.`);
  const hidden = positiveInteger(folder, hfConfig, "hidden_size");
  const heads = positiveInteger(folder, hfConfig, "num_attention_heads");
  if (hidden % heads !== 0) fail(folder, `hidden_size ${hidden} is not divisible by num_attention_heads ${heads}.`);
  return {
    layers: positiveInteger(folder, hfConfig, "num_hidden_layers"),
    hidden,
    heads,
    ffn: positiveInteger(folder, hfConfig, "intermediate_size"),
    vocabSize: positiveInteger(folder, hfConfig, "vocab_size"),
    maxLen: positiveInteger(folder, hfConfig, "max_position_embeddings", 512),
    typeVocabSize: positiveInteger(folder, hfConfig, "type_vocab_size", 2),
    layerNorm: "post",
    exactMatch: false,
    pooler: true,
    activation,
    layerNormEpsilon: epsilon,
    initStd: typeof hfConfig.initializer_range === "number" ? hfConfig.initializer_range : 0.02,
    seed: 0,
  };
}

/**
 * The canonical weight names and PyTorch shapes of a BERT body with pooler and a one-logit classifier.
 * @example bertWeightShapes(config).get("encoder.layer.0.intermediate.dense.weight") // [ffn, hidden]
 */
export function bertWeightShapes(config: CrossEncoderConfig): Map<string, number[]> {
  const { hidden: d, ffn: f } = config;
  const shapes = new Map<string, number[]>([
    ["embeddings.word_embeddings.weight", [config.vocabSize, d]],
    ["embeddings.position_embeddings.weight", [config.maxLen, d]],
    ["embeddings.token_type_embeddings.weight", [config.typeVocabSize, d]],
    ["embeddings.LayerNorm.weight", [d]],
    ["embeddings.LayerNorm.bias", [d]],
  ]);
  for (let layer = 0; layer < config.layers; layer++) {
    const p = `encoder.layer.${layer}.`;
    for (const name of ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]) {
      shapes.set(`${p}${name}.weight`, [d, d]);
      shapes.set(`${p}${name}.bias`, [d]);
    }
    shapes.set(`${p}attention.output.LayerNorm.weight`, [d]);
    shapes.set(`${p}attention.output.LayerNorm.bias`, [d]);
    shapes.set(`${p}intermediate.dense.weight`, [f, d]);
    shapes.set(`${p}intermediate.dense.bias`, [f]);
    shapes.set(`${p}output.dense.weight`, [d, f]);
    shapes.set(`${p}output.dense.bias`, [d]);
    shapes.set(`${p}output.LayerNorm.weight`, [d]);
    shapes.set(`${p}output.LayerNorm.bias`, [d]);
  }
  shapes.set("pooler.dense.weight", [d, d]);
  shapes.set("pooler.dense.bias", [d]);
  shapes.set("classifier.weight", [1, d]);
  shapes.set("classifier.bias", [1]);
  return shapes;
}

/** Weights the model may initialise itself when a checkpoint lacks them (heads, not the encoder body). */
export const BERT_OPTIONAL_WEIGHTS: readonly string[] = ["pooler.dense.weight", "pooler.dense.bias", "classifier.weight", "classifier.bias"];

/** Stored name → canonical name: drops a leading `bert.`, maps TF-converted `gamma`/`beta` to `weight`/`bias`. */
export function canonicalBertName(storedName: string): string {
  let name = storedName.startsWith("bert.") ? storedName.slice("bert.".length) : storedName;
  name = name.replace(/\.LayerNorm\.gamma$/, ".LayerNorm.weight").replace(/\.LayerNorm\.beta$/, ".LayerNorm.bias");
  return name;
}

function readVocab(folder: string): string[] {
  const file = path.join(folder, "vocab.txt");
  if (!fs.existsSync(file)) fail(folder, "vocab.txt is missing; a BERT checkpoint folder needs config.json, model.safetensors and vocab.txt.");
  let text = fs.readFileSync(file, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // As transformers' load_vocab: one token per line, only the line ending removed.
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) fail(folder, "vocab.txt is empty.");
  return lines;
}

function readJson(folder: string, name: string, required: boolean): Record<string, unknown> | undefined {
  const file = path.join(folder, name);
  if (!fs.existsSync(file)) {
    if (required) fail(folder, `${name} is missing; a BERT checkpoint folder needs config.json, model.safetensors and vocab.txt.`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    fail(folder, `${name} is not valid JSON: ${(error as Error).message}.`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) fail(folder, `${name} must hold a JSON object.`);
  return parsed as Record<string, unknown>;
}

function float32Weight(name: string, tensor: SafetensorsTensor, folder: string): BertWeight {
  if (!(tensor.values instanceof Float32Array)) fail(folder, `weight "${name}" has integer dtype ${tensor.dtype}; expected a float tensor.`);
  return { shape: tensor.shape, values: tensor.values };
}

/** Reads a Hugging Face BERT checkpoint folder; see the module comment for what is accepted. */
export function readBertCheckpoint(folder: string): BertCheckpoint {
  const resolved = path.resolve(folder);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) fail(resolved, "not a folder. Pass a folder with config.json, model.safetensors and vocab.txt.");
  const hfConfig = readJson(resolved, "config.json", true)!;
  const config = bertConfigToCrossEncoderConfig(hfConfig, resolved);
  const labels = hfConfig.id2label && typeof hfConfig.id2label === "object" ? Object.keys(hfConfig.id2label).length : undefined;
  const vocab = readVocab(resolved);
  if (vocab.length > config.vocabSize) fail(resolved, `vocab.txt has ${vocab.length} tokens but vocab_size is ${config.vocabSize}; they come from different models.`);
  const tokenizerConfig = readJson(resolved, "tokenizer_config.json", false);
  const doLowerCase = typeof tokenizerConfig?.do_lower_case === "boolean" ? tokenizerConfig.do_lower_case : true;

  const weightsFile = path.join(resolved, "model.safetensors");
  const torchFile = path.join(resolved, "pytorch_model.bin");
  if (!fs.existsSync(weightsFile) && !fs.existsSync(torchFile)) {
    const others = ["tf_model.h5", "flax_model.msgpack", "model.ckpt.index", "bert_model.ckpt.index"].filter((name) => fs.existsSync(path.join(resolved, name)));
    fail(resolved, `model.safetensors (or pytorch_model.bin) is missing${others.length ? ` (found ${others.join(", ")}, which this reader does not parse)` : ""}. ` +
      `Convert with: python -c "from transformers import AutoModel; AutoModel.from_pretrained('${resolved}').save_pretrained('OUT', safe_serialization=True)".`);
  }
  const stored = fs.existsSync(weightsFile) ? loadSafetensors(weightsFile).tensors : loadTorchStateDict(torchFile);
  const expectedShapes = bertWeightShapes(config);
  const weights = new Map<string, BertWeight>();
  const mlmHead = new Map<string, BertWeight>();
  const ignored: string[] = [];
  const unexpected: string[] = [];
  const shapeErrors: string[] = [];
  for (const [storedName, tensor] of Object.entries(stored)) {
    const name = canonicalBertName(storedName);
    if (IGNORED_PATTERNS.some((pattern) => pattern.test(name))) {
      ignored.push(storedName);
      continue;
    }
    if (MLM_HEAD_PATTERN.test(name)) {
      mlmHead.set(name, float32Weight(storedName, tensor, resolved));
      ignored.push(storedName);
      continue;
    }
    const shape = expectedShapes.get(name);
    if (!shape) {
      unexpected.push(storedName);
      continue;
    }
    if (name.startsWith("classifier.") && tensor.shape[0] !== 1) {
      fail(resolved, `"${storedName}" has shape [${tensor.shape.join(", ")}]: a ${tensor.shape[0]}-label classifier` +
        `${labels !== undefined ? ` (id2label has ${labels})` : ""}; the cross-encoder scores with one logit. ` +
        "Delete the classifier.* tensors to start from a fresh one-logit head, or use a one-label checkpoint.");
    }
    if (shape.length !== tensor.shape.length || shape.some((size, axis) => size !== tensor.shape[axis])) {
      shapeErrors.push(`"${storedName}" is [${tensor.shape.join(", ")}], config.json implies [${shape.join(", ")}]`);
      continue;
    }
    if (weights.has(name)) fail(resolved, `two stored tensors map to "${name}" (with and without the "bert." prefix?).`);
    weights.set(name, float32Weight(storedName, tensor, resolved));
  }
  if (shapeErrors.length > 0) {
    fail(resolved, `${shapeErrors.length} weight shape(s) disagree with config.json: ${shapeErrors.slice(0, 5).join("; ")}` +
      `${shapeErrors.length > 5 ? "; …" : ""}. The weights and config.json come from different models.`);
  }
  if (unexpected.length > 0) {
    fail(resolved, `${unexpected.length} unexpected weight(s): ${unexpected.slice(0, 8).join(", ")}${unexpected.length > 8 ? ", …" : ""}. ` +
      "This is not a plain BERT encoder (an adapter, another head, or another architecture saved as model_type bert).");
  }
  const missing = Array.from(expectedShapes.keys()).filter((name) => !weights.has(name));
  const missingBody = missing.filter((name) => !BERT_OPTIONAL_WEIGHTS.includes(name));
  if (missingBody.length > 0) {
    fail(resolved, `${missingBody.length} encoder weight(s) missing: ${missingBody.slice(0, 8).join(", ")}${missingBody.length > 8 ? ", …" : ""}. ` +
      "The file is incomplete or config.json describes a larger model.");
  }
  return {
    folder: resolved,
    config,
    hfConfig,
    vocab,
    doLowerCase,
    weights,
    mlmHead,
    report: { loaded: Array.from(weights.keys()), missing, ignored },
  };
}

/** Options for turning a BERT checkpoint into a cross-encoder. */
export interface FromBertOptions {
  /** Add the exact-match flag embedding, initialised to zeros so the loaded function is unchanged at first. */
  exactMatch?: boolean;
  /** Keep only the first `maxLen` position embeddings (default: all of max_position_embeddings). */
  maxLen?: number;
  /** Seed for the weights the checkpoint lacks (pooler, score head). */
  seed?: number;
  /** "checkpoint" (default) keeps a stored one-logit classifier; "fresh" re-initialises the score head. */
  head?: "checkpoint" | "fresh";
}

/** The cross-encoder config for a checkpoint and options (see {@link bertWeightsForCrossEncoder}). */
export function crossEncoderConfigFromBert(checkpoint: BertCheckpoint, options: FromBertOptions = {}): CrossEncoderConfig {
  const maxLen = options.maxLen ?? checkpoint.config.maxLen;
  if (!Number.isInteger(maxLen) || maxLen < 1 || maxLen > checkpoint.config.maxLen) {
    throw new Error(`crossEncoderConfigFromBert: maxLen must be an integer in 1..${checkpoint.config.maxLen} (the checkpoint's max_position_embeddings), got ${maxLen}.`);
  }
  return { ...checkpoint.config, maxLen, exactMatch: options.exactMatch ?? false, seed: options.seed ?? checkpoint.config.seed };
}

/**
 * Transpose of a row-major [rows, columns] matrix: linear weights are [out, in] in PyTorch and [in, out] in the
 * cross-encoder.
 */
export function transposeMatrix(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) out[column * rows + row] = values[row * columns + column]!;
  }
  return out;
}

/**
 * The cross-encoder's weights with every tensor the checkpoint has copied in: `initial` is a freshly built
 * model's `getWeights()` (built from {@link crossEncoderConfigFromBert}), which supplies what the checkpoint lacks
 * (pooler, score head; the exact-match embedding is set to zeros). Linear weights are transposed from PyTorch's
 * [out, in]; the position table is cut to the model's maxLen.
 * @example model.setWeights(bertWeightsForCrossEncoder(checkpoint, model.getWeights()))
 */
export function bertWeightsForCrossEncoder(
  checkpoint: BertCheckpoint,
  initial: readonly NamedWeight[],
  options: Pick<FromBertOptions, "head"> = {},
): NamedWeight[] {
  const fresh = options.head === "fresh";
  return initial.map((target) => {
    if (target.name === "embeddings.exact_match_embeddings.weight") {
      return { name: target.name, shape: [...target.shape], values: new Float32Array(target.values.length) };
    }
    const source = checkpoint.weights.get(target.name);
    if (!source || (fresh && target.name.startsWith("classifier."))) {
      return { name: target.name, shape: [...target.shape], values: new Float32Array(target.values) };
    }
    const isLinear = source.shape.length === 2 && !target.name.startsWith("embeddings.");
    let values = isLinear ? transposeMatrix(source.values, source.shape[0]!, source.shape[1]!) : source.values;
    if (target.name === "embeddings.position_embeddings.weight") values = values.subarray(0, target.values.length);
    if (values.length !== target.values.length) {
      throw new Error(`bertWeightsForCrossEncoder: "${target.name}" has ${values.length} values in the checkpoint and ${target.values.length} in the model [${target.shape.join(", ")}]; build the model with crossEncoderConfigFromBert(checkpoint).`);
    }
    return { name: target.name, shape: [...target.shape], values: new Float32Array(values) };
  });
}
