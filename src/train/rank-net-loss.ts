import * as tf from "@tensorflow/tfjs";

/**
 * Pairwise RankNet loss: for every pair (i, j) in a group with label_i > label_j, the logistic loss
 * `log(1 + exp(−(s_i − s_j)))` on the score difference, averaged over all such pairs in the batch.
 * A group of [positive, negative] gives the classic triplet form; larger groups give all ordered pairs.
 * Groups whose labels are all equal contribute no pairs; a batch with no pairs at all has loss 0.
 *
 * Reference: Burges et al. 2005, "Learning to Rank using Gradient Descent" (ICML), eq. 3 with target P̄ = 1.
 * @example rankNetLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]])) // log(1 + e^−1) = 0.3133
 */
export function rankNetLoss(scores: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const { pairMask, scoreDiff } = orderedPairs(scores, labels);
    const pairCount = tf.maximum(tf.sum(pairMask), 1);
    return tf.div(tf.sum(tf.mul(pairMask, tf.softplus(tf.neg(scoreDiff)))), pairCount) as tf.Scalar;
  });
}

/**
 * For `[groups, n]` scores and labels: `scoreDiff[g, i, j] = s_i − s_j` and `pairMask[g, i, j] = 1` where
 * label_i > label_j (i should rank above j). Shared by the pairwise losses.
 */
export function orderedPairs(scores: tf.Tensor2D, labels: tf.Tensor2D): { pairMask: tf.Tensor3D; scoreDiff: tf.Tensor3D } {
  const [groups, groupSize] = scores.shape;
  const scoreDiff = tf.sub(scores.reshape([groups, groupSize, 1]), scores.reshape([groups, 1, groupSize])) as tf.Tensor3D;
  const pairMask = tf.cast(
    tf.greater(labels.reshape([groups, groupSize, 1]), labels.reshape([groups, 1, groupSize])),
    "float32",
  ) as tf.Tensor3D;
  return { pairMask, scoreDiff };
}
