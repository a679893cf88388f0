import * as tf from "@tensorflow/tfjs";

/**
 * Listwise ListNet loss (top-one probabilities): the cross-entropy between the label distribution of a group,
 * `labels / Σ labels`, and the softmax of its scores, `−Σ_i p_i · log softmax(s)_i`, averaged over groups.
 * With one positive and n negatives this is the softmax cross-entropy of the positive against the group
 * (the "localized contrastive estimation" form used to train cross-encoders). Groups without any label > 0
 * have no target distribution and are left out of the average; a batch with none of them has loss 0.
 *
 * Policy (documented, not silent): the target is the normalised labels, not `softmax(labels)` as in allRank's
 * `listNet`; with binary labels `softmax(labels)` would give the positive only e/(e+n) of the mass.
 *
 * Reference: Cao et al. 2007, "Learning to Rank: From Pairwise Approach to Listwise Approach" (ICML), eq. 3–6.
 * @example listNetLoss(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]])) // ln 2 = 0.6931
 */
export function listNetLoss(scores: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const positiveLabels = tf.relu(labels);
    const labelMass = tf.sum(positiveLabels, 1, true);
    const hasTarget = tf.cast(tf.greater(labelMass, 0), "float32");
    const target = tf.div(positiveLabels, tf.maximum(labelMass, 1e-12));
    const perGroup = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(scores, 1)), 1, true));
    const groupCount = tf.maximum(tf.sum(hasTarget), 1);
    return tf.div(tf.sum(tf.mul(perGroup, hasTarget)), groupCount) as tf.Scalar;
  });
}
