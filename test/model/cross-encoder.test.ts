/**
 * The cross-encoder against an independent PyTorch implementation (float64) of the same recipe, on both op
 * arrangements (wasm: hand-written gradients and per-slice attention; cpu: tfjs gradients, batched attention),
 * plus its contract: variables, names, weights round trip, padding, errors.
 * Fixture: data/fixtures/model/cross-encoder-torch.json, made by test/model/reference/ (see export-tiny-models.ts).
 * Tolerance: float32 model against a float64 reference, 2e-5 absolute on O(1) scores, 1e-4 relative on gradients.
 */
import * as tf from "@tensorflow/tfjs";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { selectBackend } from "../../src/model/backend";
import { crossEncoder } from "../../src/model/cross-encoder";
import { countParameters } from "../../src/model/count-parameters";
import { SCORE_WEIGHTS, TINY_BATCH, TINY_CONFIGS } from "./reference/tiny-models";

interface ReferenceCase {
  scores: number[];
  gradients: Record<string, { norm: number; first: number[] }>;
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../../data/fixtures/model/cross-encoder-torch.json"), "utf8"),
) as { cases: ReferenceCase[] };

after(() => selectBackend({ prefer: "wasm" }));

for (const backend of ["wasm", "cpu"] as const) {
  test(`${backend}: scores and gradients equal the PyTorch reference for ${TINY_CONFIGS.length} tiny models`, async () => {
    await selectBackend({ prefer: backend });
    TINY_CONFIGS.forEach((config, index) => {
      const reference = fixture.cases[index]!;
      const model = crossEncoder.create(config);
      const scores = tf.tidy(() => Array.from(model.score(TINY_BATCH, { training: false }).dataSync()));
      scores.forEach((score, row) => {
        assert.ok(Math.abs(score - reference.scores[row]!) < 2e-5, `case ${index} row ${row}: ${score} vs ${reference.scores[row]}`);
      });
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(model.score(TINY_BATCH, { training: true }), tf.tensor1d(SCORE_WEIGHTS))) as tf.Scalar,
        model.variables(),
      );
      model.variableNames().forEach((name, i) => {
        const gradient = grads[model.variables()[i]!.name]!;
        const expected = reference.gradients[name]!;
        const norm = tf.tidy(() => tf.norm(gradient).dataSync()[0]!);
        assert.ok(Math.abs(norm - expected.norm) <= 1e-4 * Math.max(1, expected.norm), `case ${index} ${name}: norm ${norm} vs ${expected.norm}`);
        const first = Array.from(gradient.dataSync().slice(0, expected.first.length));
        first.forEach((value, j) => {
          assert.ok(Math.abs(value - expected.first[j]!) <= 1e-4 * Math.max(1, expected.norm), `case ${index} ${name}[${j}]: ${value} vs ${expected.first[j]}`);
        });
      });
      Object.values(grads).forEach((gradient) => gradient.dispose());
      model.dispose();
    });
  });
}

test("variables(): stable HF-style names, sizes summing to the parameter count, unique tfjs names", async () => {
  await selectBackend({ prefer: "wasm" });
  const model = crossEncoder.create({ preset: "0.1M", vocabSize: 100, maxLen: 16 });
  const names = model.variableNames();
  assert.deepEqual(names.slice(0, 4), [
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "encoder.layer.0.attention.self.query.weight",
  ]);
  assert.equal(names[names.length - 1], "classifier.bias");
  const total = model.variables().reduce((sum, variable) => sum + variable.size, 0);
  assert.equal(total, countParameters(model.config).totalParams);
  const twin = crossEncoder.create({ preset: "0.1M", vocabSize: 100, maxLen: 16 });
  assert.deepEqual(twin.variableNames(), names);
  assert.notEqual(twin.variables()[0]!.name, model.variables()[0]!.name);
  // Same seed, same weights; another seed, other weights.
  assert.deepEqual(twin.getWeights()[3]!.values, model.getWeights()[3]!.values);
  const other = crossEncoder.create({ preset: "0.1M", vocabSize: 100, maxLen: 16, seed: 1 });
  assert.notDeepEqual(other.getWeights()[3]!.values, model.getWeights()[3]!.values);
  for (const m of [model, twin, other]) m.dispose();
});

test("getWeights/setWeights round trip reproduces scores; mismatched weights are refused", async () => {
  await selectBackend({ prefer: "wasm" });
  const config = TINY_CONFIGS[0]!;
  const source = crossEncoder.create(config);
  const target = crossEncoder.create({ ...config, seed: 99 });
  target.setWeights(source.getWeights());
  const scores = (m: typeof source) => tf.tidy(() => Array.from(m.score(TINY_BATCH, { training: false }).dataSync()));
  assert.deepEqual(scores(target), scores(source));
  const weights = source.getWeights();
  assert.throws(() => target.setWeights(weights.slice(1)), /missing: embeddings.word_embeddings.weight/);
  const badShape = weights.map((w, i) => (i === 0 ? { ...w, shape: [w.shape[1]!, w.shape[0]!] } : w));
  assert.throws(() => target.setWeights(badShape), /has shape/);
  source.dispose();
  target.dispose();
  assert.throws(() => target.score(TINY_BATCH, { training: false }), /disposed/);
});

test("padding is invisible: changing padded tokens and segments leaves every score unchanged", async () => {
  await selectBackend({ prefer: "wasm" });
  const model = crossEncoder.create(TINY_CONFIGS[0]!);
  const changed = { ...TINY_BATCH, inputIds: TINY_BATCH.inputIds.slice(), segmentIds: TINY_BATCH.segmentIds.slice() };
  for (let row = 0; row < changed.batchSize; row++) {
    for (let position = changed.lengths[row]!; position < changed.seqLen; position++) {
      changed.inputIds[row * changed.seqLen + position] = 42;
      changed.segmentIds[row * changed.seqLen + position] = 1;
    }
  }
  const score = (batch: typeof changed) => tf.tidy(() => Array.from(model.score(batch, { training: false }).dataSync()));
  assert.deepEqual(score(changed), score(TINY_BATCH));
  model.dispose();
});

test("bad input is refused with a message that says what to do", async () => {
  await selectBackend({ prefer: "wasm" });
  assert.throws(() => crossEncoder.create({ preset: "3B" as "6M" }), /unknown preset "3B". Use one of 0.1M/);
  assert.throws(() => crossEncoder.create({ layers: 2, hidden: 100, heads: 3 }), /divisible by heads/);
  assert.throws(() => crossEncoder.create({ preset: "6M", layers: 3 } as never), /fixes layers/);
  const model = crossEncoder.create({ ...TINY_CONFIGS[0]!, vocabSize: 40 });
  assert.throws(() => model.score(TINY_BATCH, { training: false }), /token id 49 .* outside the vocabulary 0..39/);
  const long = { ...TINY_BATCH, seqLen: 20, inputIds: new Int32Array(60), segmentIds: new Int32Array(60) };
  assert.throws(() => model.score(long, { training: false }), /exceeds the model's maxLen 12/);
  model.dispose();
});
