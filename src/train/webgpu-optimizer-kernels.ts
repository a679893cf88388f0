import * as tf from "@tensorflow/tfjs";
import { runWebGPUProgram, sharedMemorySum } from "../model/ops/webgpu-program";

/**
 * The optimizer's side of a training step as fused WebGPU kernels (why: see webgpu-program.ts). With tfjs ops the
 * optimizer and gradient clipping were two thirds of a step's dispatches:
 * - AdamW's update of one variable: three kernels (first moment, second moment, weights) instead of 13 ops (14 with
 *   weight decay), with the clipping scale applied inside them (no separate multiply per gradient);
 * - the squared global norm for clipping: one kernel per gradient instead of two, and no stack of the sums.
 * The arithmetic is that of the tfjs ops they replace, in the same order, so both paths agree to float rounding.
 */

export interface AdamWKernelInputs {
  weights: tf.Tensor;
  gradient: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
  /** Multiplies the gradient first (the clipping scale); a scalar. */
  gradientScale: tf.Tensor;
}

export interface AdamWKernelConstants {
  beta1: number;
  beta2: number;
  /** 1 − lr·λ for a decayed variable, 1 otherwise. */
  decayFactor: number;
  /** sqrt(1 − β2^t). */
  secondCorrectionRoot: number;
  epsilon: number;
  /** lr / (1 − β1^t). */
  stepSize: number;
}

const elementwise = (shaderKey: string, inputs: string[], uniforms: string[], body: string, outputShape: number[]) => ({
  shaderKey, inputs, outputShape, uniforms: uniforms.map((name): [string, "f32"] => [name, "f32"]),
  body: `if (index < uniforms.size) { ${body} }`,
});

/** The next first moment, second moment and weights of one variable (new tensors; the caller assigns them). */
export function adamWUpdateOnWebGPU(inputs: AdamWKernelInputs, constants: AdamWKernelConstants): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const shape = inputs.weights.shape;
  const { gradient, gradientScale, firstMoment, secondMoment, weights } = inputs;
  const first = runWebGPUProgram(
    elementwise("adamwFirstMoment", ["G", "S", "M"], ["beta1", "oneMinusBeta1"], `
      let g = G[index] * S[0];
      setOutputAtIndex(index, M[index] * uniforms.beta1 + g * uniforms.oneMinusBeta1);`, shape),
    [gradient, gradientScale, firstMoment],
    [constants.beta1, 1 - constants.beta1],
  );
  const second = runWebGPUProgram(
    elementwise("adamwSecondMoment", ["G", "S", "V"], ["beta2", "oneMinusBeta2"], `
      let g = G[index] * S[0];
      setOutputAtIndex(index, V[index] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2);`, shape),
    [gradient, gradientScale, secondMoment],
    [constants.beta2, 1 - constants.beta2],
  );
  const next = runWebGPUProgram(
    elementwise("adamwWeights", ["W", "M", "V"], ["decayFactor", "secondCorrectionRoot", "epsilon", "stepSize"], `
      let denominator = sqrt(V[index]) / uniforms.secondCorrectionRoot + uniforms.epsilon;
      setOutputAtIndex(index, W[index] * uniforms.decayFactor - (M[index] / denominator) * uniforms.stepSize);`, shape),
    [weights, first, second],
    [constants.decayFactor, constants.secondCorrectionRoot, constants.epsilon, constants.stepSize],
  );
  return [first, second, next];
}

const SUM_WORKGROUP = 256;

/**
 * `runningTotal` + Σ x² over all of `x`, as a scalar, in one dispatch: one workgroup strides over the elements,
 * then halves its partial sums in shared memory (the shape of tfjs's own sum, with the square read inline).
 * Chained over the gradients it gives the squared global norm without a stack of per-gradient sums (tfjs's concat
 * splits at the device's storage-buffer limit: one dispatch per 7 inputs).
 */
export function sumOfSquaresOnWebGPU(x: tf.Tensor, runningTotal: tf.Scalar): tf.Scalar {
  return runWebGPUProgram({
    shaderKey: "sumOfSquares",
    inputs: ["X", "T"],
    uniforms: [["count", "i32"]],
    outputShape: [],
    workgroupSize: SUM_WORKGROUP,
    workgroups: 1,
    declarations: `var<workgroup> partial : array<f32, ${SUM_WORKGROUP}>;`,
    body: `
      var total = 0.0;
      for (var k = i32(localId.x); k < uniforms.count; k = k + ${SUM_WORKGROUP}) {
        let value = X[k];
        total = total + value * value;
      }
      partial[localId.x] = total;
      ${sharedMemorySum(["partial"], SUM_WORKGROUP)}
      if (localId.x == 0u) {
        setOutputAtIndex(0, T[0] + partial[0]);
      }`,
  }, [x, runningTotal], [x.size]) as tf.Scalar;
}
