import * as tf from "@tensorflow/tfjs";

/**
 * Rows of an embedding table: table [rows, d], ids int32 [n] → [n, d], with a gradient that works on every
 * backend. tfjs's gradient of `tf.gather` needs the UnsortedSegmentSum kernel, which tfjs-backend-wasm lacks;
 * here dtable = scatterND(ids, dy) (duplicate ids are summed).
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
    value: tf.gather(table, ids),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedIds] = saved as [tf.Tensor1D];
      const indices = tf.reshape(savedIds, [savedIds.shape[0], 1]);
      return [tf.scatterND(indices, dy, tableShape), tf.zerosLike(savedIds)];
    },
  };
});
