import * as tf from "@tensorflow/tfjs";
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { crossEncoder } from "../../src/model/cross-encoder";
import { scorePairs } from "../../src/model/score-pairs";
import { TINY_BATCH, TINY_CONFIGS } from "./reference/tiny-models";
import { useWasm } from "./helpers";

test("scorePairs returns every batch's scores in order and leaks no tensors", async () => {
  await useWasm();
  const model = crossEncoder.create(TINY_CONFIGS[0]!);
  const expected = tf.tidy(() => Array.from(model.score(TINY_BATCH, { training: false }).dataSync()));
  const tensorsBefore = tf.memory().numTensors;
  const scores = await scorePairs(model, [TINY_BATCH, TINY_BATCH]);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.deepEqual(Array.from(scores), [...expected, ...expected].map((value) => Math.fround(value)));
  assert.equal((await scorePairs(model, [])).length, 0);
  model.dispose();
});
