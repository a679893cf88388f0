import * as tf from "@tensorflow/tfjs";
import { orderedPairs } from "./rank-net-loss";

/**
 * LambdaLoss-style NDCG-weighted pairwise loss (the LambdaRank weighting): every pair (i, j) with
 * label_i > label_j contributes `|ΔNDCG_ij| · log(1 + exp(−(s_i − s_j)))`, where
 * `|ΔNDCG_ij| = |G_i − G_j| · |1/log2(1 + r_i) − 1/log2(1 + r_j)| / IDCG`, `G = 2^label − 1`, and `r` is the
 * rank of a passage under the current scores (1 = highest). Summed over the pairs of a group and averaged
 * over groups with IDCG > 0 (a group without any label > 0 has nothing to order and is left out).
 *
 * The weights are constants of the scores: ranks are counted with `tf.step`, whose gradient is zero, so only
 * the logistic term is differentiated (as in LambdaRank). Tied scores share the better rank.
 *
 * Reference: Burges 2010, "From RankNet to LambdaRank to LambdaMART: An Overview" (MSR-TR-2010-82), §4;
 * Wang et al. 2018, "The LambdaLoss Framework for Ranking Metric Optimization" (CIKM), eq. 11.
 * @example lambdaLoss(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0]])) // (1 − 1/log2 3) · log(1 + e) = 0.4874
 */
export function lambdaLoss(scores: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [groups, groupSize] = scores.shape;
    const idealDcg = idealDcgPerGroup(labels);
    const hasRelevant = tf.cast(tf.greater(idealDcg, 0), "float32");
    const { pairMask, scoreDiff } = orderedPairs(scores, labels);
    // rank_i = 1 + #{j : s_j > s_i}; scoreDiff[g, i, j] = s_i − s_j, so s_j > s_i ⇔ step(−scoreDiff) = 1.
    const ranks = tf.add(1, tf.sum(tf.step(tf.neg(scoreDiff)), 2));
    const discounts = tf.div(Math.LN2, tf.log(tf.add(1, ranks))); // 1 / log2(1 + rank)
    const gains = tf.sub(tf.pow(2, labels), 1);
    const gainDelta = tf.abs(tf.sub(gains.reshape([groups, groupSize, 1]), gains.reshape([groups, 1, groupSize])));
    const discountDelta = tf.abs(
      tf.sub(discounts.reshape([groups, groupSize, 1]), discounts.reshape([groups, 1, groupSize])),
    );
    const ndcgDelta = tf.div(tf.mul(gainDelta, discountDelta), tf.maximum(idealDcg, 1e-12).reshape([groups, 1, 1]));
    const perGroup = tf.sum(tf.mul(tf.mul(pairMask, ndcgDelta), tf.softplus(tf.neg(scoreDiff))), [1, 2]);
    const groupCount = tf.maximum(tf.sum(hasRelevant), 1);
    return tf.div(tf.sum(tf.mul(perGroup, hasRelevant.reshape([groups]))), groupCount) as tf.Scalar;
  });
}

/**
 * Ideal DCG of each group's labels (gains `2^label − 1`, discount `1/log2(1 + rank)`), over the whole group,
 * [groups, 1]. Computed on the device (labels sorted by topk), so the loss never reads back a tensor.
 */
function idealDcgPerGroup(labels: tf.Tensor2D): tf.Tensor2D {
  const groupSize = labels.shape[1];
  const sorted = tf.topk(labels, groupSize).values;
  const discounts = tf.tensor1d(Array.from({ length: groupSize }, (_, index) => 1 / Math.log2(index + 2)));
  return tf.sum(tf.mul(tf.sub(tf.pow(2, sorted), 1), discounts), 1, true) as tf.Tensor2D;
}
