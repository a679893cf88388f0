import * as tf from "@tensorflow/tfjs";

/**
 * Pointwise binary cross-entropy on logits, averaged over every (query, passage) score in the batch.
 * The target of a passage is 1 when its label is > 0 (relevant at any grade) and 0 otherwise.
 * Computed in the numerically stable form `max(s, 0) − s·y + log(1 + exp(−|s|))`, so huge scores do not overflow.
 *
 * `scores` and `labels` are `[groups, groupSize]`; any group size works (pointwise training uses 1).
 *
 * Reference: PyTorch `torch.nn.BCEWithLogitsLoss` (same formula, mean reduction).
 * @example pointwiseBceLoss(tf.tensor2d([[0]]), tf.tensor2d([[1]])) // ln 2 = 0.6931
 */
export function pointwiseBceLoss(scores: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const targets = tf.cast(tf.greater(labels, 0), "float32");
    const perScore = tf.add(
      tf.sub(tf.relu(scores), tf.mul(scores, targets)),
      tf.log1p(tf.exp(tf.neg(tf.abs(scores)))),
    );
    return tf.mean(perScore) as tf.Scalar;
  });
}
