/**
 * Each hand-written op against tfjs's own gradient of the plain formula, on the wasm backend.
 * Tolerance: float32 with different summation orders, relative 1e-4 (values are O(1), sums over ≤ 512 terms).
 */
import * as tf from "@tensorflow/tfjs";
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { dense, columnSums } from "../../src/model/ops/dense";
import { embeddingLookup } from "../../src/model/ops/embedding-lookup";
import { gelu } from "../../src/model/ops/gelu";
import { layerNorm } from "../../src/model/ops/layer-norm";
import { selfAttention, singleQueryAttention, softmaxBackward } from "../../src/model/ops/self-attention";
import { unstackRows } from "../../src/model/ops/unstack-rows";
import { swapAxes, transpose2d } from "../../src/model/ops/swap-axes";
import type { OpsArrangement } from "../../src/model/ops/arrangement";
import { assertTensorsClose, gradientsOf, seededNormal, useWasm } from "./helpers";

before(useWasm);

const FAST: OpsArrangement = { dense: "explicit-transpose", attention: "per-slice" };
const TOLERANCE = 1e-4;

test("dense: value and gradients equal tfjs's matMul + bias autodiff, narrower input and narrower output", () => {
  for (const [rows, inputs, outputs] of [[6, 3, 5], [7, 5, 3]] as const) {
    tf.tidy(() => {
      const x = seededNormal([rows, inputs], 1);
      const kernel = seededNormal([inputs, outputs], 2);
      const bias = seededNormal([outputs], 3);
      const reference = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), c);
      const fast = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => dense(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor1D, FAST);
      assertTensorsClose(fast(x, kernel, bias), reference(x, kernel, bias), TOLERANCE, "value");
      const expected = gradientsOf(reference, [x, kernel, bias], 4);
      const actual = gradientsOf(fast, [x, kernel, bias], 4);
      ["dx", "dkernel", "dbias"].forEach((label, i) => assertTensorsClose(actual[i]!, expected[i]!, TOLERANCE, label));
    });
  }
});

test("columnSums matches its definition", () => {
  tf.tidy(() => {
    assert.deepEqual(columnSums(tf.tensor2d([[1, 2], [3, 4], [5, 6]])).arraySync(), [9, 12]);
    const x = seededNormal([300, 7], 5) as tf.Tensor2D;
    assertTensorsClose(columnSums(x), tf.matMul(tf.ones([1, 300]), x).reshape([7]), TOLERANCE, "300 rows");
  });
});

test("layerNorm: value and gradients equal autodiff through tf.moments", () => {
  tf.tidy(() => {
    const x = tf.add(seededNormal([5, 8], 7, 3), 2);
    const gamma = tf.add(seededNormal([8], 8, 0.2), 1);
    const beta = seededNormal([8], 9, 0.2);
    const epsilon = 1e-5;
    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, epsilon))), g), b);
    };
    const fast = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(a as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, epsilon);
    assertTensorsClose(fast(x, gamma, beta), reference(x, gamma, beta), TOLERANCE, "value");
    const expected = gradientsOf(reference, [x, gamma, beta], 10);
    const actual = gradientsOf(fast, [x, gamma, beta], 10);
    ["dx", "dgamma", "dbeta"].forEach((label, i) => assertTensorsClose(actual[i]!, expected[i]!, TOLERANCE, label));
  });
  // PyTorch 1.13: torch.nn.functional.layer_norm(torch.tensor([[1., 3.]]), (2,)) → [[-0.999995, 0.999995]] (eps 1e-5).
  const value = tf.tidy(() => layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2]), 1e-5).arraySync());
  assert.ok(Math.abs(value[0]![0]! + 0.99999) < 1e-5 && Math.abs(value[0]![1]! - 0.99999) < 1e-5);
});

test("gelu: exact and tanh forms match PyTorch values and autodiff gradients", () => {
  // torch.nn.functional.gelu(torch.tensor([-2., -0.5, 0., 1., 3.])) and approximate="tanh" (PyTorch 1.13).
  const inputs = [-2, -0.5, 0, 1, 3, -6, 4, 10];
  const exact = [-0.0455001, -0.15426879, 0, 0.84134471, 2.99595022, 0, 3.99987316, 10];
  const tanh = [-0.04540229, -0.15428599, 0, 0.8411920, 2.9963627, 0, 3.9999299, 10];
  tf.tidy(() => {
    assertTensorsClose(gelu(tf.tensor1d(inputs), "gelu"), tf.tensor1d(exact), 1e-6, "exact gelu");
    assertTensorsClose(gelu(tf.tensor1d(inputs), "gelu_tanh"), tf.tensor1d(tanh), 1e-6, "tanh gelu");
    const u = seededNormal([4, 6], 11, 2);
    const referenceExact = (a: tf.Tensor) => tf.mul(tf.mul(a, 0.5), tf.add(tf.erf(tf.mul(a, Math.SQRT1_2)), 1));
    const referenceTanh = (a: tf.Tensor) =>
      tf.mul(tf.mul(a, 0.5), tf.add(tf.tanh(tf.mul(tf.add(a, tf.mul(tf.pow(a, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
    assertTensorsClose(gradientsOf((a) => gelu(a, "gelu"), [u], 12)[0]!, gradientsOf(referenceExact, [u], 12)[0]!, TOLERANCE, "d exact");
    assertTensorsClose(gradientsOf((a) => gelu(a, "gelu_tanh"), [u], 12)[0]!, gradientsOf(referenceTanh, [u], 12)[0]!, TOLERANCE, "d tanh");
  });
});

test("gelu on wasm (tabulated) stays within 3e-7 (relative above 1) of the formula on the cpu backend, value and slope, 20,004 points", async () => {
  // Dense grid over [−10, 10] (tails included) plus points just inside and outside the table's ±8.
  const points = Array.from({ length: 20000 }, (_, index) => -10 + (20 * index) / 19999).concat([-8.0001, -7.9999, 7.9999, 8.0001]);
  const valueAndSlope = (kind: "gelu" | "gelu_tanh") => {
    const input = tf.tensor1d(points);
    const [value, slope] = [gelu(input, kind), tf.grad((a: tf.Tensor) => tf.sum(gelu(a, kind)))(input)];
    const result = [Array.from(value.dataSync()), Array.from(slope.dataSync())];
    tf.dispose([input, value, slope]);
    return result;
  };
  const onWasm = { gelu: valueAndSlope("gelu"), gelu_tanh: valueAndSlope("gelu_tanh") };
  await tf.setBackend("cpu");
  const onCpu = { gelu: valueAndSlope("gelu"), gelu_tanh: valueAndSlope("gelu_tanh") };
  await useWasm();
  for (const kind of ["gelu", "gelu_tanh"] as const) {
    ["value", "slope"].forEach((label, part) => {
      // Absolute below 1, relative above: float32's own spacing near 8 is 9.5e-7.
      const differences = onWasm[kind][part]!.map((value, index) => Math.abs(value - onCpu[kind][part]![index]!) / Math.max(1, Math.abs(points[index]!)));
      const worst = Math.max(...differences);
      assert.ok(worst < 3e-7, `${kind} ${label}: largest difference ${worst} at ${points[differences.indexOf(worst)]}`);
    });
  }
  const nan = tf.tidy(() => gelu(tf.tensor1d([Number.NaN]), "gelu").dataSync()[0]);
  assert.ok(Number.isNaN(nan), "NaN stays NaN");
});

test("embeddingLookup: rows and summed gradient for repeated ids equal a one-hot matMul's", () => {
  tf.tidy(() => {
    const table = seededNormal([6, 4], 13);
    const ids = tf.tensor1d([5, 0, 5, 2, 5, 1], "int32");
    const reference = (t: tf.Tensor) => tf.matMul(tf.oneHot(ids, 6).toFloat(), t as tf.Tensor2D);
    const fast = (t: tf.Tensor) => embeddingLookup(t as tf.Tensor2D, ids);
    assertTensorsClose(fast(table), reference(table), 0, "rows");
    assertTensorsClose(gradientsOf(fast, [table], 14)[0]!, gradientsOf(reference, [table], 14)[0]!, 1e-6, "dtable");
  });
});

test("swapAxes and transpose2d equal tf.transpose, including sizes that are not multiples of the tile", () => {
  tf.tidy(() => {
    const x = seededNormal([5, 7, 3, 2], 22);
    assertTensorsClose(swapAxes(x, [5, 7, 3, 2]), tf.transpose(x, [0, 2, 1, 3]), 0, "inner 2");
    assertTensorsClose(tf.reshape(swapAxes(x, [5, 7, 6, 1]), [5, 6, 7]), tf.transpose(tf.reshape(x, [5, 7, 6]), [0, 2, 1]), 0, "inner 1");
    const wide = seededNormal([19, 33], 23) as tf.Tensor2D;
    assertTensorsClose(transpose2d(wide), tf.transpose(wide), 0, "19×33");
    assert.throws(() => swapAxes(x, [5, 7, 3, 3]), /do not multiply/);
  });
});

test("unstackRows equals tf.unstack", () => {
  tf.tidy(() => {
    const x = seededNormal([5, 3, 2], 15);
    const expected = tf.unstack(x);
    unstackRows(x).forEach((row, i) => assertTensorsClose(row, expected[i]!, 0, `row ${i}`));
  });
});

/** Plain attention with tfjs autodiff (queries pre-scaled, as the ops expect), the reference for both arrangements. */
function referenceAttention(qkv: tf.Tensor, mask: tf.Tensor | null, b: number, s: number, h: number, dh: number): tf.Tensor {
  const split = tf.transpose(tf.reshape(qkv, [b, s, 3, h, dh]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(split);
  const products = tf.matMul(q!, k!, false, true);
  const scores = mask ? tf.add(products, mask) : products;
  return tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v!), [0, 2, 1, 3]), [b * s, h * dh]);
}

function paddingMask(lengths: number[], seqLen: number): tf.Tensor4D {
  const values = lengths.flatMap((length) => Array.from({ length: seqLen }, (_, position) => (position < length ? 0 : -1e9)));
  return tf.tensor4d(values, [lengths.length, 1, 1, seqLen]);
}

test("selfAttention: per-slice and batched arrangements equal plain attention, values and gradients, with and without padding", () => {
  const [b, s, h, dh] = [3, 5, 2, 4];
  for (const mask of [paddingMask([5, 3, 1], s), null]) tf.tidy(() => {
    const qkv = seededNormal([b * s, 3 * h * dh], 16);
    const reference = (x: tf.Tensor) => referenceAttention(x, mask, b, s, h, dh);
    const expectedValue = reference(qkv);
    const expectedGradient = gradientsOf(reference, [qkv], 17)[0]!;
    for (const attention of ["per-slice", "batched"] as const) {
      const arrangement: OpsArrangement = { dense: "explicit-transpose", attention };
      const fast = (x: tf.Tensor) => selfAttention(x as tf.Tensor2D, mask, { batchSize: b, seqLen: s, heads: h, headDim: dh }, arrangement);
      assertTensorsClose(fast(qkv), expectedValue, TOLERANCE, `${attention} value`);
      assertTensorsClose(gradientsOf(fast, [qkv], 17)[0]!, expectedGradient, TOLERANCE, `${attention} dqkv`);
    }
  });
});

test("softmaxBackward equals the gradient of tf.softmax", () => {
  tf.tidy(() => {
    const logits = seededNormal([3, 2, 7], 20);
    const probabilities = tf.softmax(logits);
    const upstream = seededNormal([3, 2, 7], 21);
    const expected = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), upstream)))(logits);
    assertTensorsClose(softmaxBackward(probabilities, upstream), expected, TOLERANCE, "dlogits");
  });
});

test("singleQueryAttention equals row 0 of full attention, values and gradients", () => {
  const [b, s, h, dh] = [2, 6, 3, 2];
  const d = h * dh;
  tf.tidy(() => {
    const qkv = seededNormal([b * s, 3 * d], 18);
    const mask = paddingMask([6, 4], s);
    const firstRows = (x: tf.Tensor) => tf.reshape(tf.slice(tf.reshape(x, [b, s, -1]), [0, 0, 0], [b, 1, -1]), [b, -1]);
    const reference = (x: tf.Tensor) => firstRows(referenceAttention(x, mask, b, s, h, dh));
    const single = (x: tf.Tensor) => {
      const [q, k, v] = tf.split(x, 3, 1);
      return singleQueryAttention(firstRows(q!) as tf.Tensor2D, tf.concat([k!, v!], 1) as tf.Tensor2D, mask, { batchSize: b, seqLen: s, heads: h, headDim: dh });
    };
    assertTensorsClose(single(qkv), reference(qkv), TOLERANCE, "value");
    assertTensorsClose(gradientsOf(single, [qkv], 19)[0]!, gradientsOf(reference, [qkv], 19)[0]!, TOLERANCE, "dqkv");
  });
});
