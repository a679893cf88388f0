import * as tf from "@tensorflow/tfjs";
import { onWasmHeap, registerHeapKernel } from "./heap-kernel";

/** Tile edge of the blocked transpose (8×8 floats = two cache lines per row of the tile; fastest measured here). */
const TILE = 8;

/**
 * Views x as [outer, rows, columns, inner] and swaps the middle axes → [outer, columns, rows, inner]; the caller
 * reshapes. With inner = 1 that is a batch of 2-D transposes; with inner = headDim it splits attention heads
 * ([b, s, h, dh] → [b, h, s, dh]). The sizes must multiply to x.size.
 *
 * Why: tfjs-backend-wasm's Transpose kernel takes about 13–15 ns per float here, so transposing activations for
 * dense gradients cost as much as the matMul itself; this JavaScript kernel (8×8 tiles for inner = 1, row copies
 * otherwise) is several times faster. Other backends use `tf.transpose`.
 *
 * @example swapAxes(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), [1, 2, 3, 1]).reshape([3, 2]).arraySync() // [[1,4],[2,5],[3,6]]
 */
export function swapAxes(x: tf.Tensor, dims: readonly [number, number, number, number]): tf.Tensor4D {
  const [outer, rows, columns, inner] = dims;
  if (outer * rows * columns * inner !== x.size) {
    throw new Error(`swapAxes: dims [${dims}] do not multiply to the ${x.size} values of a [${x.shape}] tensor.`);
  }
  if (!onWasmHeap(x)) return tf.transpose(tf.reshape(x, [outer, rows, columns, inner]), [0, 2, 1, 3]);
  return runSwapAxes({ x: tf.reshape(x, [outer, rows, columns, inner]) }) as tf.Tensor4D;
}

const runSwapAxes = registerHeapKernel("RerankSwapAxes", (inputs, backend) => {
  const x = inputs.x!;
  const [outer, rows, columns, inner] = x.shape as [number, number, number, number];
  const out = backend.makeOutput([outer, columns, rows, inner], "float32");
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const block = rows * columns * inner;
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    if (inner === 1) {
      for (let r0 = 0; r0 < rows; r0 += TILE) {
        const rEnd = Math.min(r0 + TILE, rows);
        for (let c0 = 0; c0 < columns; c0 += TILE) {
          const cEnd = Math.min(c0 + TILE, columns);
          for (let r = r0; r < rEnd; r++) {
            const from = base + r * columns;
            for (let c = c0; c < cEnd; c++) target[base + c * rows + r] = source[from + c]!;
          }
        }
      }
    } else {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < columns; c++) {
          const from = base + (r * columns + c) * inner;
          const to = base + (c * rows + r) * inner;
          for (let e = 0; e < inner; e++) target[to + e] = source[from + e]!;
        }
      }
    }
  }
  return out;
});

/**
 * The 2-D transpose of x [rows, columns], through `swapAxes`.
 * @example transpose2d(tf.tensor2d([[1, 2]])).arraySync() // [[1], [2]]
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [rows, columns] = x.shape;
  return tf.reshape(swapAxes(x, [1, rows, columns, 1]), [columns, rows]);
}
