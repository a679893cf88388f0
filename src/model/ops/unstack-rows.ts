import * as tf from "@tensorflow/tfjs";

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
  if (tf.getBackend() !== "wasm" || x.dtype !== "float32") return tf.unstack(x);
  return tf.engine().runKernel(UNSTACK_ROWS_KERNEL, { x }, {}) as unknown as tf.Tensor[];
}

const UNSTACK_ROWS_KERNEL = "RerankUnstackRows";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(tensorInfo: tf.TensorInfo): Float32Array;
}

function unstackRowsWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const x = args.inputs.x!;
  const backend = args.backend as WasmBackendLike;
  const rows = x.shape[0]!;
  const rowShape = x.shape.slice(1);
  const rowSize = rowShape.reduce((product, size) => product * size, 1);
  const outputs: tf.TensorInfo[] = [];
  for (let row = 0; row < rows; row++) {
    const out = backend.makeOutput(rowShape, "float32");
    // Allocation can grow the heap and detach earlier views: take fresh views after it.
    const source = backend.typedArrayFromHeap(x);
    backend.typedArrayFromHeap(out).set(source.subarray(row * rowSize, (row + 1) * rowSize));
    outputs.push(out);
  }
  return outputs;
}

if (tf.getKernel(UNSTACK_ROWS_KERNEL, "wasm") === undefined) {
  tf.registerKernel({
    kernelName: UNSTACK_ROWS_KERNEL,
    backendName: "wasm",
    kernelFunc: unstackRowsWasm as unknown as tf.KernelFunc,
  });
}
