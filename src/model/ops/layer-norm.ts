import * as tf from "@tensorflow/tfjs";
import { columnSums } from "./dense";
import { layerNormOnWebGPU } from "./layer-norm-webgpu";
import { useFusedWebGPUKernels } from "./webgpu-program";

/**
 * LayerNorm over the last axis of rows x [n, d]: y = (x − mean) / sqrt(var + epsilon) · gamma + beta,
 * with the biased variance (as BERT and PyTorch). The gradient is written out (one pass of elementwise ops
 * and column sums as matMuls) instead of tfjs's autodiff through moments, which reduces over axis 0 with
 * transposes on wasm:
 * dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) with ĝ = dy · gamma, x̂ the normalised input, r = 1/sqrt(var + ε).
 *
 * On WebGPU the same formulas run as fused kernels (layer-norm-webgpu.ts).
 *
 * Reference: Ba, Kiros, Hinton 2016, "Layer Normalization"; PyTorch `torch.nn.LayerNorm`.
 * @example layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2]), 1e-5).arraySync() // [[-1, 1]] (±1e-5)
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor2D {
  if (useFusedWebGPUKernels() && x.dtype === "float32") return layerNormOnWebGPU(x, gamma, beta, epsilon);
  return layerNormWithGradient(x, gamma, beta, tf.scalar(epsilon)) as tf.Tensor2D;
}

const layerNormWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, gamma, beta, epsilon, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Scalar, tf.GradSaveFunc];
  // tidy: free the temporaries now rather than at the end of the caller's scope.
  const [value, normalized, inverseStd] = tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const inverseStdInner = tf.rsqrt(tf.add(variance, epsilon));
    const normalizedInner = tf.mul(centered, inverseStdInner);
    return [tf.add(tf.mul(normalizedInner, gamma), beta), normalizedInner, inverseStdInner];
  });
  save([normalized!, inverseStd!, gamma]);
  return {
    value: value!,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [savedNormalized, savedInverseStd, savedGamma] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dy2 = dy as tf.Tensor2D;
        const dNormalized = tf.mul(dy2, savedGamma);
        const meanD = tf.mean(dNormalized, -1, true);
        const meanDX = tf.mean(tf.mul(dNormalized, savedNormalized), -1, true);
        const dx = tf.mul(savedInverseStd, tf.sub(tf.sub(dNormalized, meanD), tf.mul(savedNormalized, meanDX)));
        const dGamma = columnSums(tf.mul(dy2, savedNormalized) as tf.Tensor2D);
        const dBeta = columnSums(dy2);
        return [dx, dGamma, dBeta, tf.zerosLike(epsilon)];
      }),
  };
});
