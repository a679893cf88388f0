import * as tf from "@tensorflow/tfjs";
import { onWasmHeap, registerHeapKernel } from "./heap-kernel";

/**
 * Rows of an embedding table: table [rows, d], ids int32 [n] → [n, d], with a gradient that works on every
 * backend, fast on wasm. tfjs's gradient of `tf.gather` needs the UnsortedSegmentSum kernel, which tfjs-backend-wasm lacks;
 * here dtable = scatterND(ids, dy) (duplicate ids are summed). On wasm the forward copies rows heap to heap
 * (tfjs-backend-wasm's GatherV2 takes about 7 ms for 2048 rows of 128 floats here; this takes well under 1 ms).
 *
 * Reference: tfjs-core `gradients/GatherV2_grad.ts`; TensorFlow `tf.scatter_nd` (sums duplicates).
 * @example embeddingLookup(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([1, 1], "int32")).arraySync() // [[3,4],[3,4]]
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  return lookupWithGradient(table, ids) as tf.Tensor2D;
}

const lookupWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [table, ids, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([ids]);
  const tableShape = table.shape;
  return {
    value: gatherRows(table, ids),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedIds] = saved as [tf.Tensor1D];
      return tf.tidy(() => [tf.scatterND(tf.reshape(savedIds, [savedIds.shape[0], 1]), dy, tableShape), tf.zerosLike(savedIds)]);
    },
  };
});

/** `tf.gather(table, ids)` along axis 0; on wasm a JavaScript kernel that copies rows straight from the heap. */
function gatherRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  return onWasmHeap(table) ? (runGatherRows({ table, ids }) as tf.Tensor2D) : tf.gather(table, ids);
}

const runGatherRows = registerHeapKernel("RerankGatherRows", (inputs, backend) => {
  const table = inputs.table!;
  const ids = inputs.ids!;
  const [rows, width] = table.shape as [number, number];
  const count = ids.shape[0]!;
  const out = backend.makeOutput([count, width], "float32");
  const source = backend.typedArrayFromHeap(table);
  const idValues = backend.typedArrayFromHeap(ids);
  const target = backend.typedArrayFromHeap(out);
  for (let i = 0; i < count; i++) {
    const id = idValues[i]!;
    if (id < 0 || id >= rows) throw new Error(`embeddingLookup: id ${id} at position ${i} is outside the table's ${rows} rows.`);
    target.set(source.subarray(id * width, (id + 1) * width), i * width);
  }
  return out;
});
