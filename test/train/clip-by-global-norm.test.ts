import * as tf from "@tensorflow/tfjs";
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { clipByGlobalNorm } from "../../src/train/clip-by-global-norm";
import { assertClose, useWasmBackend } from "./helpers";

before(useWasmBackend);

test("clipByGlobalNorm matches torch.nn.utils.clip_grad_norm_ (tolerance 1e-6)", () => {
  const gradients = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
  const { clipped, globalNorm } = clipByGlobalNorm(gradients, 1);
  // reference/losses_adamw_reference.py: norm 13, scale 1 / (13 + 1e-6)
  assertClose(globalNorm.dataSync()[0]!, 13, 1e-5, "norm");
  assertClose(clipped[0]!.arraySync() as number[], [0.23076921701431274, 0.307692289352417], 1e-6, "first");
  assertClose((clipped[1]!.arraySync() as number[][])[0]!, [0.923076868057251], 1e-6, "second");
  tf.dispose([...gradients, ...clipped, globalNorm]);
});

test("clipByGlobalNorm leaves small gradients unchanged and rejects maxNorm <= 0", () => {
  const gradients = [tf.tensor1d([0.3, 0.4])];
  const { clipped, globalNorm } = clipByGlobalNorm(gradients, 1);
  assertClose(globalNorm.dataSync()[0]!, 0.5, 1e-6, "norm");
  assert.deepEqual(Array.from(clipped[0]!.dataSync()), Array.from(gradients[0]!.dataSync()));
  assert.throws(() => clipByGlobalNorm(gradients, 0), /maxNorm must be > 0/);
  tf.dispose([...gradients, ...clipped, globalNorm]);
});

test("clipByGlobalNorm leaves gradients with a non-finite norm as they are (the trainer reports the divergence)", () => {
  const gradients = [tf.tensor1d([NaN, 1]), tf.tensor1d([2])];
  const { clipped, globalNorm } = clipByGlobalNorm(gradients, 1);
  assert.ok(Number.isNaN(globalNorm.dataSync()[0]));
  assert.deepEqual(Array.from(clipped[1]!.dataSync()), [2]);
  tf.dispose([...gradients, ...clipped, globalNorm]);
});
