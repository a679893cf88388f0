import * as tf from "@tensorflow/tfjs";
import { onWasmHeap, registerHeapKernel } from "./heap-kernel";
import { transpose2d } from "./swap-axes";
import type { OpsArrangement } from "./arrangement";

/**
 * A dense layer `x · kernel + bias` on rows: x [n, in], kernel [in, out], bias [out] → [n, out].
 *
 * With `arrangement.dense === "explicit-transpose"` its gradient uses only untransposed 2-D matMuls, the fast
 * form on wasm: dx = dy · kernelᵀ (transposing the small kernel), dkernel = xᵀ · dy computed by transposing
 * whichever of x and dy is narrower (and transposing the small product back if dy was chosen), and dbias = 1ᵀ · dy
 * folded into that product (see `kernelAndBiasGradients`).
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
      // tidy: tfjs runs a custom gradient outside any per-node scope, so temporaries would live to the end of
      // the whole backward pass.
      return tf.tidy(() => [tf.matMul(dy2, transpose2d(savedKernel)), ...kernelAndBiasGradients(savedX, dy2)]);
    },
  };
});

/**
 * dkernel = xᵀ·dy and dbias = 1ᵀ·dy for x [n, in], dy [n, out], with untransposed matMuls: the wider operand is
 * transposed and becomes the left factor, the narrower one the right factor. XNNPACK packs (copies, transposing)
 * the right operand of every product whose right operand is new, and measured here that costs more per float than
 * our transpose (the [n, 4d] × [n, d] case took 4× its forward product with the wide operand packed), so the
 * narrow one is packed. The bias gradient rides along: an extra row of ones under xᵀ (when x is transposed) or
 * dyᵀ·1 with a 1-column right operand (when dy is).
 * Transposes go through `transpose2d` (a JavaScript kernel on wasm, about twice as fast as tfjs's there).
 */
function kernelAndBiasGradients(x: tf.Tensor2D, dy: tf.Tensor2D): [tf.Tensor2D, tf.Tensor1D] {
  const [rows, inputs] = x.shape;
  const outputs = dy.shape[1];
  if (inputs >= outputs) {
    const augmented = tf.concat([transpose2d(x), tf.ones([1, rows])], 0) as tf.Tensor2D; // [in + 1, n]
    const product = tf.matMul(augmented, dy); // [in + 1, out]
    return [tf.slice(product, [0, 0], [inputs, outputs]) as tf.Tensor2D, tf.reshape(tf.slice(product, [inputs, 0], [1, outputs]), [outputs])];
  }
  const dyT = transpose2d(dy); // [out, n]
  return [transpose2d(tf.matMul(dyT, x)), tf.reshape(tf.matMul(dyT, tf.ones([rows, 1])), [outputs])];
}

/**
 * Sums of the columns of x [n, m] → [m]. On wasm a JavaScript kernel reading the heap in row order (tfjs's
 * `sum(x, 0)` transposes x first, and 1ᵀ·x makes XNNPACK pack all of x).
 * @example columnSums(tf.tensor2d([[1, 2], [3, 4]])).arraySync() // [4, 6]
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return onWasmHeap(x) ? (runColumnSums({ x }) as tf.Tensor1D) : tf.sum(x, 0);
}

const runColumnSums = registerHeapKernel("RerankColumnSums", (inputs, backend) => {
  const x = inputs.x!;
  const [rows, columns] = x.shape as [number, number];
  const out = backend.makeOutput([columns], "float32");
  const source = backend.typedArrayFromHeap(x);
  // Accumulate in float64 (the sums feed gradients; float32 accumulation over thousands of rows drifts).
  const sums = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    for (let column = 0; column < columns; column++) sums[column]! += source[offset + column]!;
  }
  backend.typedArrayFromHeap(out).set(sums);
  return out;
});
