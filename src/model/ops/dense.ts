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
 * Sums of the columns of x [n, m] → [m]. On wasm a JavaScript kernel reading the heap in row order (tfjs's
 * `sum(x, 0)` transposes x first, and 1ᵀ·x is a matrix-vector product that XNNPACK runs slowly).
 * @example columnSums(tf.tensor2d([[1, 2], [3, 4]])).arraySync() // [4, 6]
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (tf.getBackend() !== "wasm" || x.dtype !== "float32") return tf.sum(x, 0);
  return tf.engine().runKernel(COLUMN_SUMS_KERNEL, { x }, {}) as unknown as tf.Tensor1D;
}

const COLUMN_SUMS_KERNEL = "RerankColumnSums";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(tensorInfo: tf.TensorInfo): Float32Array;
}

function columnSumsWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs.x!;
  const backend = args.backend as WasmBackendLike;
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
}

if (tf.getKernel(COLUMN_SUMS_KERNEL, "wasm") === undefined) {
  tf.registerKernel({ kernelName: COLUMN_SUMS_KERNEL, backendName: "wasm", kernelFunc: columnSumsWasm as unknown as tf.KernelFunc });
}
