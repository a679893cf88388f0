import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { EncodedBatch } from "../../src/data/encoded-batch";
import {
  bertWeightsForCrossEncoder,
  crossEncoderConfigFromBert,
  readBertCheckpoint,
} from "../../src/model/bert-checkpoint";
import { selectBackend } from "../../src/model/backend";
import { CrossEncoder } from "../../src/model/cross-encoder";
import { loadSafetensors, saveSafetensors, type SafetensorsInput } from "../../src/model/safetensors";
import { PROJECT_ROOT } from "../../src/paths";

// Reference: an independent functional PyTorch BERT (float64), HF BertForSequenceClassification semantics:
//   /usr/bin/python3 data/fixtures/tiny-bert/make_fixture.py   (torch 1.13)
const FIXTURE = path.join(PROJECT_ROOT, "data", "fixtures", "tiny-bert");
interface FixturePair { query: string; passage: string; inputIds: number[]; segmentIds: number[]; score: number }
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as { pairs: FixturePair[] };
// float32 against a float64 reference: observed max differences 2.2e-7 (wasm), 3.4e-8 (cpu), 2.4e-7 (WebGPU on
// lavapipe); the issue asks for 1e-4.
const SCORE_TOLERANCE = 1e-4;

/** All fixture pairs as one right-padded batch (padding exercises the attention mask). */
function fixtureBatch(pairs: readonly FixturePair[]): EncodedBatch {
  const seqLen = Math.max(...pairs.map((pair) => pair.inputIds.length));
  const batch: EncodedBatch = {
    batchSize: pairs.length,
    seqLen,
    inputIds: new Int32Array(pairs.length * seqLen),
    segmentIds: new Int32Array(pairs.length * seqLen),
    lengths: Int32Array.from(pairs.map((pair) => pair.inputIds.length)),
  };
  pairs.forEach((pair, row) => {
    batch.inputIds.set(pair.inputIds, row * seqLen);
    batch.segmentIds.set(pair.segmentIds, row * seqLen);
  });
  return batch;
}

function loadModel(options: Parameters<typeof crossEncoderConfigFromBert>[1] = {}): CrossEncoder {
  const checkpoint = readBertCheckpoint(FIXTURE);
  const model = new CrossEncoder(crossEncoderConfigFromBert(checkpoint, options));
  model.setWeights(bertWeightsForCrossEncoder(checkpoint, model.getWeights(), options));
  return model;
}

test("readBertCheckpoint: maps config.json onto a post-LN cross-encoder config and reports what it read", () => {
  const checkpoint = readBertCheckpoint(FIXTURE);
  assert.deepEqual(
    { ...checkpoint.config },
    { layers: 2, hidden: 32, heads: 4, ffn: 64, vocabSize: 170, maxLen: 64, typeVocabSize: 2, layerNorm: "post", exactMatch: false, pooler: true, activation: "gelu", layerNormEpsilon: 1e-12, initStd: 0.02, seed: 0 },
  );
  assert.equal(checkpoint.vocab.length, 170);
  assert.equal(checkpoint.vocab[3], "[CLS]");
  assert.equal(checkpoint.doLowerCase, true);
  assert.deepEqual(checkpoint.report.missing, []);
  assert.deepEqual(checkpoint.report.ignored, ["bert.embeddings.position_ids"]);
  assert.equal(checkpoint.report.loaded.length, 5 + 2 * 16 + 4);
});

/** Scores read asynchronously (WebGPU in Node has no synchronous read). */
async function scoresOf(model: CrossEncoder, batch: EncodedBatch): Promise<Float32Array> {
  const scores = model.score(batch, { training: false });
  const values = (await scores.data()) as Float32Array;
  scores.dispose();
  return values;
}

// WebGPU runs on Mesa's lavapipe here (test/model/webgpu-backend.test.ts): the path that fine-tunes BERT checkpoints on a GPU.
for (const backend of ["wasm", "cpu", "webgpu"] as const) {
  test(`tiny-bert: loader + cross-encoder reproduce the PyTorch scores to ${SCORE_TOLERANCE} (${backend}, padded batch)`, async (t) => {
    await selectBackend({ prefer: backend, allowSoftwareAdapter: true });
    const model = loadModel();
    try {
      const scores = await scoresOf(model, fixtureBatch(expected.pairs));
      expected.pairs.forEach((pair, row) => {
        assert.ok(Math.abs(scores[row]! - pair.score) <= SCORE_TOLERANCE, `pair ${row} "${pair.query}": ${scores[row]} vs PyTorch ${pair.score}`);
      });
      t.diagnostic(`largest difference from PyTorch: ${Math.max(...expected.pairs.map((pair, row) => Math.abs(scores[row]! - pair.score))).toExponential(1)}`);
      // One pair alone (no padding) gives the same score.
      const single = await scoresOf(model, fixtureBatch([expected.pairs[2]!]));
      assert.ok(Math.abs(single[0]! - expected.pairs[2]!.score) <= SCORE_TOLERANCE);
    } finally {
      model.dispose();
    }
  });
}

test("tiny-bert: exact-match flag starts at zero (same scores), shorter maxLen, fresh head changes scores", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const batch = fixtureBatch(expected.pairs);
  const withFlag = loadModel({ exactMatch: true, maxLen: 40 });
  const fresh = loadModel({ head: "fresh", seed: 3 });
  try {
    assert.equal(withFlag.config.maxLen, 40);
    const flagged: EncodedBatch = { ...batch, exactMatch: new Uint8Array(batch.batchSize * batch.seqLen).fill(1) };
    const scores = tf.tidy(() => withFlag.score(flagged, { training: false }).arraySync());
    expected.pairs.forEach((pair, row) => assert.ok(Math.abs(scores[row]! - pair.score) <= SCORE_TOLERANCE));
    const freshScores = tf.tidy(() => fresh.score(batch, { training: false }).arraySync());
    assert.ok(Math.abs(freshScores[0]! - expected.pairs[0]!.score) > 1e-3, "a fresh head gives other scores");
  } finally {
    withFlag.dispose();
    fresh.dispose();
  }
  assert.throws(() => crossEncoderConfigFromBert(readBertCheckpoint(FIXTURE), { maxLen: 65 }), /maxLen must be an integer in 1\.\.64/);
});

/** Copies the fixture into a temp folder, lets `edit` change it, and returns the folder. */
function variant(edit: (folder: string, config: Record<string, unknown>, tensors: Record<string, SafetensorsInput>) => void): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-bert-"));
  for (const name of ["config.json", "vocab.txt"]) fs.copyFileSync(path.join(FIXTURE, name), path.join(folder, name));
  const config = JSON.parse(fs.readFileSync(path.join(FIXTURE, "config.json"), "utf8")) as Record<string, unknown>;
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, tensor] of Object.entries(loadSafetensors(path.join(FIXTURE, "model.safetensors")).tensors)) {
    if (tensor.values instanceof Float32Array) tensors[name] = { shape: tensor.shape, values: tensor.values };
  }
  edit(folder, config, tensors);
  fs.writeFileSync(path.join(folder, "config.json"), JSON.stringify(config));
  saveSafetensors(path.join(folder, "model.safetensors"), tensors, { format: "pt" });
  return folder;
}

test("readBertCheckpoint: old TF names (gamma/beta), no bert. prefix, no model_type (pre-v3 config.json) and a BertForPreTraining head are accepted", () => {
  const folder = variant((_, config, tensors) => {
    delete config.model_type; // as in google/bert_uncased_L-*_H-*_A-* config.json
    for (const name of Object.keys(tensors)) {
      let renamed = name.replace(/^bert\./, "").replace(/LayerNorm\.weight$/, "LayerNorm.gamma").replace(/LayerNorm\.bias$/, "LayerNorm.beta");
      if (name.startsWith("classifier.") || name.startsWith("bert.pooler.")) renamed = name.startsWith("bert.pooler.") ? renamed : "";
      if (renamed !== name) {
        if (renamed) tensors[renamed] = tensors[name]!;
        delete tensors[name];
      }
    }
    tensors["cls.predictions.bias"] = { shape: [170], values: new Float32Array(170) };
    tensors["cls.seq_relationship.weight"] = { shape: [2, 32], values: new Float32Array(64) };
    delete config.architectures;
  });
  const checkpoint = readBertCheckpoint(folder);
  assert.deepEqual(checkpoint.report.missing, ["classifier.weight", "classifier.bias"]);
  assert.deepEqual(checkpoint.report.ignored.sort(), ["cls.predictions.bias", "cls.seq_relationship.weight"]);
  assert.deepEqual(Array.from(checkpoint.mlmHead.keys()), ["cls.predictions.bias"]);
  assert.deepEqual(checkpoint.weights.get("embeddings.LayerNorm.weight")!.values, readBertCheckpoint(FIXTURE).weights.get("embeddings.LayerNorm.weight")!.values);
  fs.rmSync(folder, { recursive: true });
});

test("readBertCheckpoint: clear errors for wrong architectures, shapes, and missing or unexpected weights", () => {
  const cases: [string, Parameters<typeof variant>[0], RegExp][] = [
    ["roberta", (_, config) => { config.model_type = "roberta"; config.architectures = ["RobertaForSequenceClassification"]; }, /model_type is "roberta" \(architectures: RobertaForSequenceClassification\); only "bert"/],
    ["no model_type, RoBERTa architecture", (_, config) => { delete config.model_type; config.architectures = ["RobertaModel"]; }, /model_type is undefined \(architectures: RobertaModel\); only "bert"/],
    ["relative positions", (_, config) => { config.position_embedding_type = "relative_key"; }, /position_embedding_type "relative_key" is not supported/],
    ["relu", (_, config) => { config.hidden_act = "relu"; }, /hidden_act "relu" is not supported; supported: gelu, gelu_new, gelu_pytorch_tanh/],
    ["config says wider", (_, config) => { config.intermediate_size = 128; }, /6 weight shape\(s\) disagree with config.json: "bert.encoder.layer.0.intermediate.dense.bias" is \[64\], config.json implies \[128\]/],
    ["config says deeper", (_, config) => { config.num_hidden_layers = 3; }, /16 encoder weight\(s\) missing: encoder.layer.2.attention.self.query.weight/],
    ["two-label head", (_, __, tensors) => { tensors["classifier.weight"] = { shape: [2, 32], values: new Float32Array(64) }; }, /2-label classifier \(id2label has 1\)/],
    ["adapter", (_, __, tensors) => { tensors["bert.encoder.layer.0.adapter.weight"] = { shape: [2], values: new Float32Array(2) }; }, /1 unexpected weight\(s\): bert.encoder.layer.0.adapter.weight/],
    ["missing vocab", (folder) => { fs.rmSync(path.join(folder, "vocab.txt")); }, /vocab.txt is missing/],
    ["vocab too long", (folder) => { fs.appendFileSync(path.join(folder, "vocab.txt"), "extra\n"); }, /vocab.txt has 171 tokens but vocab_size is 170/],
  ];
  for (const [name, edit, message] of cases) {
    const folder = variant(edit);
    assert.throws(() => readBertCheckpoint(folder), (error: Error) => message.test(error.message) && error.message.includes(folder), name);
    fs.rmSync(folder, { recursive: true });
  }
  const noWeights = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-bert-"));
  for (const name of ["config.json", "vocab.txt"]) fs.copyFileSync(path.join(FIXTURE, name), path.join(noWeights, name));
  fs.writeFileSync(path.join(noWeights, "tf_model.h5"), "");
  assert.throws(() => readBertCheckpoint(noWeights), /model.safetensors \(or pytorch_model.bin\) is missing \(found tf_model.h5/);
  // pytorch_model.bin alone (as Google's miniatures ship): the same weights and scores.
  fs.copyFileSync(path.join(FIXTURE, "torch", "legacy.bin"), path.join(noWeights, "pytorch_model.bin"));
  const fromTorch = readBertCheckpoint(noWeights);
  assert.deepEqual(fromTorch.weights.get("encoder.layer.1.output.dense.weight"), readBertCheckpoint(FIXTURE).weights.get("encoder.layer.1.output.dense.weight"));
  assert.deepEqual(fromTorch.report, readBertCheckpoint(FIXTURE).report);
  fs.rmSync(noWeights, { recursive: true });
  assert.throws(() => readBertCheckpoint(path.join(FIXTURE, "nope")), /not a folder/);
});
