import * as tf from "@tensorflow/tfjs";
import type { OpsArrangement } from "./arrangement";

/**
 * A dense layer `x · kernel + bias` on rows: x [n, in], kernel [in, out], bias [out] → [n, out].
 *
 * With `arrangement.dense === "explicit-transpose"` its gradient uses only untransposed 2-D matMuls, the fast
 * form on wasm: dx = dy · kernelᵀ (transposing the small kernel), dkernel = xᵀ · dy computed by transposing
 * whichever of x and dy is narrower (and transposing the small product back if dy was chosen), dbias = 1ᵀ · dy
 * (a matMul with a row of ones; column sums through `tf.sum` over axis 0 transpose the whole tensor on wasm).
 * Otherwise tfjs's own fused matMul and its gradient are used.
 *
 * Reference: the matMul gradient in tfjs-core `gradients/BatchMatMul_grad.ts` (the transposed forms replaced).
 * @example dense(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]), arrangement).arraySync() // [[3,3,3,3],[3,3,3,3]]
 */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  arrangement: OpsArrangement,
): tf.Tensor2D {
  if (arrangement.dense === "tfjs") return tf.fused.matMul({ a: x, b: kernel, bias }) as tf.Tensor2D;
  return denseExplicitTranspose(x, kernel, bias) as tf.Tensor2D;
}

const denseExplicitTranspose = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, kernel, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, kernel]);
  return {
    value: tf.fused.matMul({ a: x, b: kernel, bias }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedKernel] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [
        tf.matMul(dy2, tf.transpose(savedKernel)),
        transposedProduct(savedX, dy2),
        columnSums(dy2),
      ];
    },
  };
});

/**
 * aᵀ · b for a [n, p], b [n, q] using one explicit transpose and an untransposed matMul: transposes the
 * narrower of a and b (fewer floats to move), and when that is b, transposes the small [q, p] product back.
 * @example transposedProduct(tf.ones([5, 2]), tf.ones([5, 3])).shape // [2, 3], every entry 5
 */
export function transposedProduct(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[1] <= b.shape[1]) return tf.matMul(tf.transpose(a), b);
  return tf.transpose(tf.matMul(tf.transpose(b), a)) as tf.Tensor2D;
}

/**
 * Sums of the columns of x [n, m] → [m], as 1ᵀ · x (an untransposed matMul; fast on wasm).
 * @example columnSums(tf.tensor2d([[1, 2], [3, 4]])).arraySync() // [4, 6]
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]);
}
