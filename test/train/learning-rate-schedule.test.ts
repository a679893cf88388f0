import { test } from "node:test";
import * as assert from "node:assert/strict";
import { linearWarmupDecay } from "../../src/train/learning-rate-schedule";

test("linearWarmupDecay is HF get_linear_schedule_with_warmup shifted by one step", () => {
  const options = { peakLearningRate: 1, warmupSteps: 4, totalSteps: 12 };
  // HF lr_lambda(k) for k = 1..12 with warmup 4, total 12: k/4 for k < 4, then (12 - k)/8.
  const huggingFace = (k: number) => (k < 4 ? k / 4 : Math.max(0, (12 - k) / 8));
  for (let stepIndex = 0; stepIndex < 12; stepIndex++) {
    const expected = stepIndex < 4 ? huggingFace(stepIndex + 1) : huggingFace(stepIndex);
    assert.ok(Math.abs(linearWarmupDecay(stepIndex, options) - expected) < 1e-12, `step ${stepIndex}`);
  }
  assert.equal(linearWarmupDecay(3, options), 1); // peak at the end of warmup
  assert.equal(linearWarmupDecay(11, options), 1 / 8); // the last update still moves the weights
});

test("linearWarmupDecay without warmup starts at the peak; bad options name the field", () => {
  assert.equal(linearWarmupDecay(0, { peakLearningRate: 3e-4, warmupSteps: 0, totalSteps: 10 }), 3e-4);
  assert.throws(() => linearWarmupDecay(0, { peakLearningRate: 1, warmupSteps: 11, totalSteps: 10 }), /warmupSteps/);
  assert.throws(() => linearWarmupDecay(0, { peakLearningRate: 1, warmupSteps: 0, totalSteps: 0 }), /totalSteps/);
});
