import * as tf from "@tensorflow/tfjs";
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { AdamW } from "../../src/train/adamw";
import { assertClose, useWasmBackend } from "./helpers";

before(useWasmBackend);

const GRADIENTS: Array<[number[][], number[]]> = [
  [[[0.1, -0.2], [0.3, 0.05]], [1.0, -0.5]],
  [[[-0.4, 0.1], [0.0, 0.2]], [0.2, 0.3]],
  [[[0.25, 0.25], [-0.1, -0.3]], [-1.0, 0.1]],
];
const LEARNING_RATES = [0.01, 0.005, 0.002];

function runThreeSteps(optimizer: AdamW, matrix: tf.Variable, bias: tf.Variable, from = 0): void {
  for (let index = from; index < GRADIENTS.length; index++) {
    const [matrixGradient, biasGradient] = GRADIENTS[index]!;
    tf.tidy(() => optimizer.step([tf.tensor2d(matrixGradient), tf.tensor1d(biasGradient)], LEARNING_RATES[index]!));
  }
}

test("AdamW matches torch.optim.AdamW over 3 steps with a changing learning rate (float32 tolerance 1e-6)", () => {
  const matrix = tf.variable(tf.tensor2d([[0.5, -0.3], [0.2, 0.8]]), true, "adamw-test/matrix");
  const bias = tf.variable(tf.tensor1d([0.1, -0.1]), true, "adamw-test/bias");
  // Default `decays` decays the matrix (rank 2), not the bias — the same groups as the PyTorch reference.
  const optimizer = new AdamW([matrix, bias], { weightDecay: 0.1 });
  runThreeSteps(optimizer, matrix, bias);
  // reference/losses_adamw_reference.py (PyTorch 1.13 AdamW, float32 parameters)
  assertClose(matrix.arraySync() as number[][], [[0.4920312166213989, -0.28884413838386536], [0.18573926389217377, 0.7845056653022766]], 1e-6, "matrix");
  assertClose(bias.arraySync() as number[], [0.08599374443292618, -0.08896686881780624], 1e-6, "bias");
  assert.equal(optimizer.updatesApplied, 3);
  optimizer.dispose();
  matrix.dispose();
  bias.dispose();
});

test("AdamW state round-trips: restoring after step 1 reproduces steps 2–3 bit for bit", async () => {
  const make = () => [tf.variable(tf.tensor2d([[0.5, -0.3], [0.2, 0.8]])), tf.variable(tf.tensor1d([0.1, -0.1]))] as const;
  const [matrixA, biasA] = make();
  const uninterrupted = new AdamW([matrixA, biasA], { weightDecay: 0.1 });
  runThreeSteps(uninterrupted, matrixA, biasA);

  const [matrixC, biasC] = make();
  const before = new AdamW([matrixC, biasC], { weightDecay: 0.1 });
  tf.tidy(() => before.step([tf.tensor2d(GRADIENTS[0]![0]), tf.tensor1d(GRADIENTS[0]![1])], LEARNING_RATES[0]!));
  const state = await before.getState();
  const savedWeights = [matrixC.dataSync().slice(), biasC.dataSync().slice()];
  before.dispose();
  const [matrixD, biasD] = make();
  matrixD.assign(tf.tensor2d(Array.from(savedWeights[0]!), [2, 2]));
  biasD.assign(tf.tensor1d(Array.from(savedWeights[1]!)));
  const resumed = new AdamW([matrixD, biasD], { weightDecay: 0.1 });
  resumed.setState(state);
  runThreeSteps(resumed, matrixD, biasD, 1);
  assert.deepEqual(Array.from(matrixD.dataSync()), Array.from(matrixA.dataSync()));
  assert.deepEqual(Array.from(biasD.dataSync()), Array.from(biasA.dataSync()));
  for (const disposable of [uninterrupted, resumed, matrixA, biasA, matrixC, biasC, matrixD, biasD]) disposable.dispose();
});

test("AdamW.setState refuses a state for another model, naming the mismatch", () => {
  const weights = tf.variable(tf.zeros([3]));
  const optimizer = new AdamW([weights]);
  assert.throws(
    () => optimizer.setState({ step: 1, firstMoments: [new Float32Array(2)], secondMoments: [new Float32Array(2)] }),
    /moment 0 has 2 values/,
  );
  optimizer.dispose();
  weights.dispose();
});

test("AdamW holds exactly its two moment buffers per variable and frees them on dispose (no leaked initial zeros)", () => {
  const variables = tf.tidy(() => [tf.variable(tf.ones([8, 4])), tf.variable(tf.ones([4]))]);
  const gradients = variables.map((variable) => tf.onesLike(variable));
  const tensorsBefore = tf.memory().numTensors;
  const optimizer = new AdamW(variables);
  assert.equal(tf.memory().numTensors - tensorsBefore, 4, "one first and one second moment per variable");
  for (let step = 0; step < 3; step++) optimizer.step(gradients, 1e-3);
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, "nothing left behind after three steps and dispose");
  tf.dispose([...variables, ...gradients]);
});

test("learningRateScales: a variable at scale 0.5 follows AdamW at half the rate (decay included); at scale 0 it stays put", () => {
  const start = [[0.5, -0.3], [0.2, 0.8]];
  const scaled = tf.variable(tf.tensor2d(start), true, "adamw-scale/matrix");
  const frozen = tf.variable(tf.tensor1d([0.1, -0.1]), true, "adamw-scale/bias");
  runThreeSteps(new AdamW([scaled, frozen], { weightDecay: 0.1, learningRateScales: [0.5, 0] }), scaled, frozen);
  const halfRate = tf.variable(tf.tensor2d(start), true, "adamw-scale/reference");
  const reference = new AdamW([halfRate], { weightDecay: 0.1 });
  GRADIENTS.forEach(([matrixGradient], index) => tf.tidy(() => reference.step([tf.tensor2d(matrixGradient)], LEARNING_RATES[index]! / 2)));
  assertClose(scaled.arraySync() as number[][], halfRate.arraySync() as number[][], 1e-7, "scaled matrix");
  assert.notDeepEqual(scaled.arraySync(), start, "it moved");
  assert.deepEqual(frozen.arraySync(), [0.1, -0.1].map(Math.fround), "scale 0: unchanged");
  assert.throws(() => new AdamW([scaled, frozen], { learningRateScales: [1] }), /one finite multiplier ≥ 0 per variable \(2\), got 1/);
  assert.throws(() => new AdamW([scaled, frozen], { learningRateScales: [1, -1] }), /learningRateScales/);
  for (const variable of [scaled, frozen, halfRate]) variable.dispose();
});

test("gradientScale s updates exactly as gradients multiplied by s beforehand (the clipping scale folded into the step)", () => {
  const run = (scaleInside: boolean) => {
    const matrix = tf.variable(tf.tensor2d([[0.5, -0.3], [0.2, 0.8]]));
    const bias = tf.variable(tf.tensor1d([0.1, -0.1]));
    const optimizer = new AdamW([matrix, bias], { weightDecay: 0.1 });
    GRADIENTS.forEach(([matrixGradient, biasGradient], index) => {
      const scale = 0.3 + 0.2 * index;
      tf.tidy(() => {
        const gradients = [tf.tensor2d(matrixGradient), tf.tensor1d(biasGradient)];
        if (scaleInside) optimizer.step(gradients, LEARNING_RATES[index]!, tf.scalar(scale));
        else optimizer.step(gradients.map((gradient) => tf.mul(gradient, scale)), LEARNING_RATES[index]!);
      });
    });
    const values = [...matrix.dataSync(), ...bias.dataSync()];
    optimizer.dispose();
    tf.dispose([matrix, bias]);
    return values;
  };
  const inside = run(true);
  assert.deepEqual(inside, run(false));
  assert.ok(inside.some((value, index) => value !== [0.5, -0.3, 0.2, 0.8, 0.1, -0.1][index]));
});
