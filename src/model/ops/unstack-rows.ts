import * as tf from "@tensorflow/tfjs";
import { onWasmHeap, registerHeapKernel } from "./heap-kernel";

/**
 * Splits a tensor along its first axis into `shape[0]` tensors (like `tf.unstack`), fast on wasm.
 *
 * Why: tfjs-backend-wasm's Slice kernel calls `backend.readSync(x)`, which copies the whole input out of the
 * wasm heap for every slice, so `tf.unstack` of a [64, 128, 32] tensor costs about 10 ms here instead of
 * microseconds. This kernel copies each row block straight from heap to heap. Other backends use `tf.unstack`.
 * No gradient is registered: call it inside a `tf.customGrad` forward or backward function.
 *
 * Reference: tfjs-backend-wasm `kernels/Slice.ts` and `backend_wasm.ts` (`readSync`, `typedArrayFromHeap`).
 * @example unstackRows(tf.ones([4, 2, 3])).length // 4, each of shape [2, 3]
 */
export function unstackRows(x: tf.Tensor): tf.Tensor[] {
  return onWasmHeap(x) ? (runUnstackRows({ x }) as tf.Tensor[]) : tf.unstack(x);
}

const runUnstackRows = registerHeapKernel("RerankUnstackRows", (inputs, backend) => {
  const x = inputs.x!;
  const rows = x.shape[0]!;
  const rowShape = x.shape.slice(1);
  const rowSize = rowShape.reduce((product, size) => product * size, 1);
  const outputs = Array.from({ length: rows }, () => backend.makeOutput(rowShape, "float32"));
  const source = backend.typedArrayFromHeap(x);
  outputs.forEach((out, row) => backend.typedArrayFromHeap(out).set(source.subarray(row * rowSize, (row + 1) * rowSize)));
  return outputs;
});
