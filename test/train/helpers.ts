/**
 * Shared inputs and the finite-difference gradient check for the loss tests.
 * Reference values come from PyTorch 1.13 (Debian python3-torch) in float64:
 *   /usr/bin/python3 test/train/reference/losses_adamw_reference.py
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as assert from "node:assert/strict";
import type { RankingLoss } from "../../src/train/ranking-loss";

/** Two groups of four scores; graded labels (0, 1, 2), one group with a single positive. */
export const SCORES = [
  [0.5, -1.2, 2.0, 0.1],
  [1.5, 0.3, -0.7, -2.2],
];
export const LABELS = [
  [1, 0, 2, 0],
  [0, 1, 0, 0],
];

export async function useWasmBackend(): Promise<void> {
  await tf.setBackend("wasm");
  await tf.ready();
}

export function lossAndGradient(loss: RankingLoss, scores: number[][], labels: number[][]): { value: number; gradient: number[][] } {
  const scoreVariable = tf.variable(tf.tensor2d(scores));
  try {
    return tf.tidy(() => {
      const labelTensor = tf.tensor2d(labels);
      const { value, grads } = tf.variableGrads(() => loss(scoreVariable as tf.Tensor2D, labelTensor), [scoreVariable]);
      return { value: value.dataSync()[0]!, gradient: grads[scoreVariable.name]!.arraySync() as number[][] };
    });
  } finally {
    scoreVariable.dispose();
  }
}

/**
 * Central finite differences of `loss` at `scores`, step `stepSize`, evaluated in float32 by the backend.
 * Float32 rounding of a loss near 1 is ~6e-8, so with step 1e-2 the difference quotient carries ~1e-5 of
 * rounding error plus O(step²) truncation error: tests compare with an absolute tolerance of 2e-3.
 */
export function finiteDifferenceGradient(loss: RankingLoss, scores: number[][], labels: number[][], stepSize = 1e-2): number[][] {
  const evaluate = (values: number[][]) =>
    tf.tidy(() => loss(tf.tensor2d(values), tf.tensor2d(labels)).dataSync()[0]!);
  return scores.map((row, i) =>
    row.map((_, j) => {
      const plus = scores.map((r) => [...r]);
      const minus = scores.map((r) => [...r]);
      plus[i]![j]! += stepSize;
      minus[i]![j]! -= stepSize;
      return (evaluate(plus) - evaluate(minus)) / (2 * stepSize);
    }),
  );
}

type Numbers = number | readonly Numbers[];

/** Asserts that every number in `actual` is within `tolerance` of the one at the same place in `expected`. */
export function assertClose(actual: Numbers, expected: Numbers, tolerance: number, label: string): void {
  const flatten = (values: Numbers): number[] => (typeof values === "number" ? [values] : values.flatMap(flatten));
  const a = flatten(actual);
  const e = flatten(expected);
  assert.equal(a.length, e.length, `${label}: length`);
  a.forEach((value, index) => {
    assert.ok(Math.abs(value - e[index]!) <= tolerance, `${label}[${index}]: ${value} vs ${e[index]} (tolerance ${tolerance})`);
  });
}
