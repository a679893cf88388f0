import * as tf from "@tensorflow/tfjs";
import { useFusedWebGPUKernels } from "../model/ops/webgpu-program";
import { sumOfSquaresOnWebGPU } from "./webgpu-optimizer-kernels";

/**
 * Scales gradients so that their global L2 norm (over all tensors together) is at most `maxNorm`.
 * Returns new tensors (the caller disposes both lists) and the norm before clipping as a scalar tensor, for logging.
 * The scale is `min(1, maxNorm / (norm + 1e-6))`, as in PyTorch; a non-finite norm (NaN or ∞ from a diverged step)
 * leaves the gradients as they are. Everything stays on the device: nothing is read back, so a GPU step does not
 * wait here, and WebGPU in Node (which has no synchronous read) works.
 *
 * Reference: PyTorch 1.13 `torch.nn.utils.clip_grad_norm_`; Pascanu et al. 2013, "On the difficulty of training RNNs", §3.2.
 * @example clipByGlobalNorm([tf.tensor([3, 4])], 1) // { globalNorm: (scalar 5), clipped: [[0.6, 0.8]] }
 */
export function clipByGlobalNorm(
  gradients: readonly tf.Tensor[],
  maxNorm: number,
): { clipped: tf.Tensor[]; globalNorm: tf.Scalar } {
  const { globalNorm, scale } = globalNormClipScale(gradients, maxNorm);
  const clipped = gradients.map((gradient) => tf.mul(gradient, scale));
  scale.dispose();
  return { clipped, globalNorm };
}

/**
 * The global L2 norm of the gradients and the scale that clips them to `maxNorm` (see {@link clipByGlobalNorm}),
 * both as scalar tensors on the device, for an optimizer that applies the scale itself (`AdamW.step`'s
 * `gradientScale`), saving one multiply per gradient.
 */
export function globalNormClipScale(gradients: readonly tf.Tensor[], maxNorm: number): { globalNorm: tf.Scalar; scale: tf.Scalar } {
  if (!(maxNorm > 0)) {
    throw new Error(`gradient clipping: maxNorm must be > 0, got ${maxNorm}. Use Infinity to disable clipping.`);
  }
  // On WebGPU one fused kernel per gradient, chained. Otherwise stack, not addN: tfjs's WebGPU AddN (used when the
  // fused kernels are off) binds every input at once and fails past the device's storage-buffer limit (8 by
  // default), where its concat splits the inputs.
  const globalNorm = tf.tidy(() => {
    if (useFusedWebGPUKernels()) return tf.sqrt(gradients.reduce((total: tf.Scalar, gradient) => sumOfSquaresOnWebGPU(gradient, total), tf.scalar(0)));
    return tf.sqrt(tf.sum(tf.stack(gradients.map((gradient) => tf.sum(tf.square(gradient))))));
  }) as tf.Scalar;
  const scale = tf.tidy(() =>
    tf.where(tf.isFinite(globalNorm), tf.minimum(1, tf.div(maxNorm, tf.add(globalNorm, 1e-6))), tf.scalar(1)) as tf.Scalar,
  );
  return { globalNorm, scale };
}
