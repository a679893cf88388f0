import * as tf from "@tensorflow/tfjs";
import * as assert from "node:assert/strict";
import { selectBackend } from "../../src/model/backend";
import { Random } from "../../src/random";

/** Sets the wasm backend (the one this machine trains on). */
export async function useWasm(): Promise<void> {
  await selectBackend({ prefer: "wasm" });
}

/** A seeded normal tensor (values drawn in JS, so identical on every backend). */
export function seededNormal(shape: number[], seed: number, scale = 1): tf.Tensor {
  const random = new Random(seed);
  const size = shape.reduce((product, extent) => product * extent, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => scale * random.normal()), shape);
}

/** Asserts max |actual − expected| ≤ tolerance · max(1, max |expected|), naming what differs. */
export function assertTensorsClose(actual: tf.Tensor, expected: tf.Tensor, tolerance: number, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < e.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
    scale = Math.max(scale, Math.abs(e[i]!));
  }
  assert.ok(worst <= tolerance * scale, `${label}: max difference ${worst} exceeds ${tolerance} × ${scale}`);
}

/**
 * Gradients of Σ f(inputs) ⊙ weights with respect to every input, where weights is a fixed random tensor:
 * a generic scalar objective that exercises every output element.
 */
export function gradientsOf(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): tf.Tensor[] {
  const probe = tf.tidy(() => f(...inputs));
  const weights = seededNormal(probe.shape, seed);
  probe.dispose();
  return tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
}
