import type * as tf from "@tensorflow/tfjs";
import { lambdaLoss } from "./lambda-loss";
import { listNetLoss } from "./list-net-loss";
import { pointwiseBceLoss } from "./pointwise-bce-loss";
import { rankNetLoss } from "./rank-net-loss";

/** A loss over `[groups, groupSize]` scores and graded labels of the same shape; returns a scalar. */
export type RankingLoss = (scores: tf.Tensor2D, labels: tf.Tensor2D) => tf.Scalar;

/**
 * The training objectives, by the name used in configs, run directories and charts.
 * - `pointwise`: binary cross-entropy per (query, passage) ({@link pointwiseBceLoss});
 * - `pairwise`: RankNet on (positive, negative) pairs ({@link rankNetLoss});
 * - `listwise`: ListNet softmax cross-entropy over a group of 1 positive + n negatives ({@link listNetLoss});
 * - `lambda`: NDCG-weighted pairs over a group, LambdaRank/LambdaLoss style ({@link lambdaLoss}).
 */
export const RANKING_LOSSES = {
  pointwise: pointwiseBceLoss,
  pairwise: rankNetLoss,
  listwise: listNetLoss,
  lambda: lambdaLoss,
} as const satisfies Record<string, RankingLoss>;

export type RankingObjective = keyof typeof RANKING_LOSSES;

/**
 * The loss function of an objective.
 * @example rankingLoss("pairwise") === rankNetLoss
 */
export function rankingLoss(objective: string): RankingLoss {
  if (!Object.prototype.hasOwnProperty.call(RANKING_LOSSES, objective)) {
    throw new Error(
      `rankingLoss: unknown objective "${objective}". Use one of: ${Object.keys(RANKING_LOSSES).join(", ")}.`,
    );
  }
  return RANKING_LOSSES[objective as RankingObjective];
}
