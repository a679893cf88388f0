import * as tf from "@tensorflow/tfjs";

/**
 * The part of tfjs-backend-wasm's backend object that JavaScript kernels use: allocate an output in the wasm
 * heap and view a tensor's heap memory without copying. (`backend.readSync` copies the whole tensor out of the
 * heap, which is what makes the wasm Slice kernel slow on big inputs.)
 *
 * Reference: tfjs-backend-wasm `backend_wasm.ts` (`makeOutput`, `typedArrayFromHeap`), used by its own kernels.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(tensorInfo: tf.TensorInfo): Float32Array | Int32Array;
}

/** A kernel body: reads `inputs` and returns outputs allocated with `backend.makeOutput`. */
export type HeapKernelBody = (inputs: tf.NamedTensorInfoMap, backend: WasmHeapBackend) => tf.TensorInfo | tf.TensorInfo[];

/**
 * Registers a JavaScript kernel for the wasm backend under `name` (once per process) and returns a function
 * that runs it. Kernels get no gradient: call them inside a `tf.customGrad` forward or backward function.
 * A view taken with `typedArrayFromHeap` is invalid after any `makeOutput` (allocation can grow the heap):
 * allocate outputs first, then take views.
 * @example const columnSums = registerHeapKernel("RerankColumnSums", body); columnSums({ x })
 */
export function registerHeapKernel(
  name: string,
  body: HeapKernelBody,
): (inputs: tf.NamedTensorMap) => tf.Tensor | tf.Tensor[] {
  if (tf.getKernel(name, "wasm") === undefined) {
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) =>
        body(args.inputs, args.backend as WasmHeapBackend)) as unknown as tf.KernelFunc,
    });
  }
  return (inputs) => tf.engine().runKernel(name, inputs, {}) as unknown as tf.Tensor | tf.Tensor[];
}

/** Whether the JavaScript heap kernels apply: the wasm backend and float32 data. */
export function onWasmHeap(...tensors: tf.Tensor[]): boolean {
  return tf.getBackend() === "wasm" && tensors.every((tensor) => tensor.dtype === "float32");
}
