import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as encoders from "../../src/model/encoder-registry";
import { Random } from "../../src/random";
import { CrossEncoder } from "../../src/model/cross-encoder";
import { maskBatch, mlmEncoderConfig, mlmFlopsPerSequence, packSequences, pretrainMlm } from "../../src/train/mlm";
import { CORPUS, SPECIALS, WORDS, toyTokenizer } from "./toy-corpus";


test("maskBatch: round(15%) of the pieces per row (>= 1), never [CLS]/[SEP]/padding, 80/10/10 replacement", () => {
  const vocab = [...SPECIALS, ...Array.from({ length: 95 }, (_, i) => `w${i}`)];
  const random = new Random(7);
  const rows = Array.from({ length: 400 }, (_, row) => Int32Array.from({ length: 20 + (row % 7) }, (_, i) => 5 + ((row * 31 + i * 7) % 95)));
  const masked = maskBatch(rows, vocab, random, { seqLen: 32 });
  let maskCount = 0;
  let keptCount = 0;
  let expectedTotal = 0;
  rows.forEach((pieces, row) => {
    const base = row * 32;
    assert.equal(masked.batch.inputIds[base], 2, "[CLS]");
    assert.equal(masked.batch.inputIds[base + pieces.length + 1], 3, "[SEP]");
    assert.equal(masked.batch.lengths[row], pieces.length + 2);
    for (let column = pieces.length + 2; column < 32; column++) assert.equal(masked.batch.inputIds[base + column], 0, "padding");
    expectedTotal += Math.round(0.15 * pieces.length);
  });
  assert.equal(masked.labels.length, expectedTotal);
  masked.positions.forEach((position, index) => {
    const row = Math.floor(position / 32);
    const column = position % 32;
    assert.ok(column >= 1 && column <= rows[row]!.length, "only real pieces are predicted");
    assert.equal(masked.labels[index], rows[row]![column - 1]);
    const input = masked.batch.inputIds[position]!;
    if (input === 4) maskCount++;
    else if (input === masked.labels[index]) keptCount++;
    else assert.ok(input >= 5, "random replacements are never special tokens");
  });
  // 1,400-odd draws: binomial standard error of a 0.8 share is about 0.011; allow 4 standard errors.
  const total = masked.labels.length;
  assert.ok(Math.abs(maskCount / total - 0.8) < 0.045, `[MASK] share ${maskCount / total}`);
  assert.ok(Math.abs(keptCount / total - 0.1) < 0.035, `kept share ${keptCount / total}`); // (a random token equal to the original counts as kept)
  assert.equal(maskBatch([Int32Array.of(9)], vocab, new Random(1), { seqLen: 4 }).labels.length, 1, "at least one prediction");
});

test("packSequences: documents are concatenated and cut into seqLen − 2 pieces", () => {
  const tokenizer = toyTokenizer(["a", "b", "c"]);
  const sequences = packSequences(["a b c a", "b c", "a"], tokenizer, 5);
  assert.deepEqual(sequences.map((s) => Array.from(s)), [[5, 6, 7], [5, 6, 7], [5]]);
});

test("mlmFlopsPerSequence: encoder 3 × forward plus head per predicted token (hand count)", () => {
  const config = { layers: 1, hidden: 4, heads: 2, ffn: 16, vocabSize: 10, maxLen: 8, typeVocabSize: 2, layerNorm: "post" as const, exactMatch: false, pooler: true, activation: "gelu" as const, layerNormEpsilon: 1e-12, initStd: 0.02, seed: 0 };
  // forward, 8 tokens: 2·8·(4·16 + 2·4·16) + 4·64·4 = 3072 + 1024; head per prediction: 2·16 + 2·4·10 = 112
  assert.equal(mlmFlopsPerSequence(config, 8, 2), 3 * (3072 + 1024) + 3 * 2 * 112);
});


test("pretrainMlm: the loss falls, the folder loads as a BERT checkpoint, and a killed run resumes to identical weights", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const tokenizer = toyTokenizer(WORDS);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mlm-"));
  const common = { texts: CORPUS, tokenizer, size: { layers: 1, hidden: 32, heads: 2 }, steps: 120, seqLen: 18, batchSize: 16, learningRate: 1e-2, checkpointEvery: 25, progress: false as const, seed: 3 };
  try {
    const whole = await pretrainMlm({ ...common, outDir: path.join(root, "whole") });
    assert.equal(whole.finished, true);
    assert.equal(whole.tokensSeen, 120 * 16 * 18);
    assert.ok(whole.pretrainingFlops > 0 && whole.tokensPerSecond > 0);
    const first = whole.lossCurve[0]!.loss;
    const last = whole.lossCurve[whole.lossCurve.length - 1]!.loss;
    // Observed here (wasm and cpu agree): about 3.7 (uniform: ln 45 = 3.81) → under 1.6 after 120 steps.
    assert.ok(first > Math.log(WORDS.length + 5) - 0.5, `starts near uniform: ${first}`);
    assert.ok(last < first - 1.5, `loss falls: ${first} → ${last}`);

    const partial = await pretrainMlm({ ...common, outDir: path.join(root, "killed"), stopAfterSteps: 60 });
    assert.equal(partial.finished, false);
    assert.equal(partial.stepsDone, 60);
    // As if killed between checkpoints 50 and 60: only the checkpoint at step 50 survives.
    fs.rmSync(path.join(root, "killed", "checkpoints", "step-00000060.ckpt"));
    const resumed = await pretrainMlm({ ...common, outDir: path.join(root, "killed") });
    assert.equal(resumed.resumedFromStep, 50, "resumes from the newest surviving checkpoint");
    assert.deepEqual(
      fs.readFileSync(path.join(root, "killed", "model.safetensors")),
      fs.readFileSync(path.join(root, "whole", "model.safetensors")),
      "identical weights after resumption",
    );
    assert.deepEqual(resumed.lossCurve, whole.lossCurve);
    assert.equal(resumed.pretrainingFlops, whole.pretrainingFlops);

    const cached = await pretrainMlm({ ...common, outDir: path.join(root, "whole") });
    assert.equal(cached.wallSeconds, whole.wallSeconds, "a finished run is returned, not redone");
    await assert.rejects(pretrainMlm({ ...common, steps: 121, outDir: path.join(root, "whole") }), /finished run with other settings/);

    const encoder = await encoders.load(path.join(root, "whole"));
    assert.deepEqual(encoder.report.missing, ["classifier.weight", "classifier.bias"]);
    assert.equal(encoder.mlmHead.size, 5);
    const model = encoders.toCrossEncoder(encoder, { exactMatch: true });
    try {
      const ids = Int32Array.from([2, ...tokenizer.tokenIds("the cat eats"), 3, ...tokenizer.tokenIds("fresh food"), 3]);
      const score = tf.tidy(() => model.score({ batchSize: 1, seqLen: ids.length, inputIds: ids, segmentIds: new Int32Array(ids.length), lengths: Int32Array.of(ids.length) }, { training: false }).dataSync()[0]!);
      assert.ok(Number.isFinite(score));
    } finally {
      model.dispose();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("pretrainMlm with 0 steps writes the seeded initialisation untrained (the no-pretraining control), counting no compute", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const tokenizer = toyTokenizer(WORDS);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mlm-untrained-"));
  const size = { layers: 1, hidden: 32, heads: 2 };
  try {
    const untrained = await pretrainMlm({ texts: CORPUS, tokenizer, size, steps: 0, seqLen: 18, progress: false, seed: 3, outDir: root });
    assert.equal(untrained.finished, true);
    assert.deepEqual([untrained.stepsDone, untrained.tokensSeen, untrained.pretrainingFlops, untrained.lossCurve.length], [0, 0, 0, 0]);
    const encoder = await encoders.load(root);
    const loaded = encoders.toCrossEncoder(encoder, { head: "fresh" });
    const initial = new CrossEncoder(mlmEncoderConfig(size, tokenizer.vocab.length, 18, 3));
    try {
      const expected = new Map(initial.getWeights().map((weight) => [weight.name, weight.values]));
      const compared = loaded.getWeights().filter((weight) => weight.name.startsWith("embeddings.") || weight.name.startsWith("encoder."));
      assert.ok(compared.length >= 16, `embeddings and the layer's weights: ${compared.length}`);
      for (const weight of compared) assert.deepEqual(weight.values, expected.get(weight.name), weight.name);
    } finally {
      loaded.dispose();
      initial.dispose();
    }
    await assert.rejects(pretrainMlm({ texts: CORPUS, tokenizer, size, steps: -1, outDir: path.join(root, "x") }), /steps must be an integer ≥ 0/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("mlmLoss: tiny-bert + its MLM head reproduce HF BertForMaskedLM's loss (PyTorch float64) to 1e-4", async () => {
  // Reference: /usr/bin/python3 data/fixtures/tiny-bert/make_fixture.py (expected.json "mlm", torch 1.13).
  const { readBertCheckpoint } = await import("../../src/model/bert-checkpoint");
  const { crossEncoder } = await import("../../src/model/cross-encoder");
  const { loadSafetensors } = await import("../../src/model/safetensors");
  const { MlmHead, mlmLoss } = await import("../../src/train/mlm");
  const fixture = path.join(__dirname, "..", "..", "data", "fixtures", "tiny-bert");
  const expected = JSON.parse(fs.readFileSync(path.join(fixture, "expected.json"), "utf8")).mlm as { inputIds: number[]; segmentIds: number[]; positions: number[]; labels: number[]; loss: number };
  await tf.setBackend("wasm");
  await tf.ready();
  const model = crossEncoder.fromEncoder(readBertCheckpoint(fixture));
  const head = new MlmHead(model.config, new Random(0));
  try {
    const stored = loadSafetensors(path.join(fixture, "mlm-head.safetensors")).tensors;
    head.setWeights(new Map(Object.entries(stored).map(([name, tensor]) => [name, { shape: tensor.shape, values: tensor.values as Float32Array }])));
    const length = expected.inputIds.length;
    const masked = {
      batch: { batchSize: 1, seqLen: length, inputIds: Int32Array.from(expected.inputIds), segmentIds: Int32Array.from(expected.segmentIds), lengths: Int32Array.of(length) },
      positions: Int32Array.from(expected.positions),
      labels: Int32Array.from(expected.labels),
    };
    const loss = tf.tidy(() => mlmLoss(model, head, masked).dataSync()[0]!);
    assert.ok(Math.abs(loss - expected.loss) <= 1e-4, `${loss} vs PyTorch ${expected.loss}`);
  } finally {
    head.dispose();
    model.dispose();
  }
});
