import * as tf from "@tensorflow/tfjs";

/**
 * Scales gradients so that their global L2 norm (over all tensors together) is at most `maxNorm`.
 * Returns new tensors (the caller disposes both lists) and the norm before clipping, for logging.
 * The scale is `maxNorm / (norm + 1e-6)` when it is below 1, as in PyTorch; otherwise gradients are copied
 * unchanged. A non-finite norm (NaN or ∞ from a diverged step) is reported, and the gradients are left as they are.
 *
 * Reference: PyTorch 1.13 `torch.nn.utils.clip_grad_norm_`; Pascanu et al. 2013, "On the difficulty of training RNNs", §3.2.
 * @example clipByGlobalNorm([tf.tensor([3, 4])], 1) // { globalNorm: 5, clipped: [[0.6, 0.8]] }
 */
export function clipByGlobalNorm(
  gradients: readonly tf.Tensor[],
  maxNorm: number,
): { clipped: tf.Tensor[]; globalNorm: number } {
  if (!(maxNorm > 0)) {
    throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}. Use Infinity to disable clipping.`);
  }
  const globalNorm = tf.tidy(() =>
    tf.sqrt(tf.addN(gradients.map((gradient) => tf.sum(tf.square(gradient))))).dataSync()[0]!,
  );
  const scale = maxNorm / (globalNorm + 1e-6);
  const clipped = gradients.map((gradient) =>
    Number.isFinite(globalNorm) && scale < 1 ? tf.mul(gradient, scale) : tf.clone(gradient),
  );
  return { clipped, globalNorm };
}
