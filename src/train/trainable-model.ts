import type * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/encoded-batch";

/**
 * What the trainer and inference need from a model — the cross-encoder (src/model) satisfies it, and so can any
 * small scorer in a test. Scores are logits: higher means more relevant.
 */
export interface TrainableModel {
  /** The trainable variables, always in the same order (the optimizer state and checkpoints follow it). */
  variables(): tf.Variable[];
  /** One relevance score per row of the batch. */
  score(batch: EncodedBatch, options: { training: boolean }): tf.Tensor1D;
  /**
   * Sizes and costs at `seqLen` tokens; `trainingFlopsPerExample` (per query-passage pair) gives checkpoints a
   * compute axis. Saved in the run's config.json.
   */
  describe?(seqLen?: number): { trainingFlopsPerExample?: number };
  /** Stable names of `variables()` (same order), used in checkpoints; default: the tfjs variable names. */
  variableNames?(): string[];
  /** The model's config, saved in the run's config.json. */
  readonly config?: unknown;
}

/** One query-passage pair to score. */
export interface QueryPassagePair {
  query: string;
  passage: string;
}

/** Turns pairs into a padded batch (the tokenizer's job, see src/data). */
export type PairEncoder = (pairs: readonly QueryPassagePair[]) => EncodedBatch;

/**
 * One training example: a query with a group of passages and their graded labels. Pointwise examples have one
 * passage, pairwise ones [positive, negative], listwise ones 1 positive + n negatives. A batch stacks examples of
 * the same group size.
 */
export interface TrainingGroup {
  queryId?: string;
  query: string;
  passages: readonly string[];
  labels: readonly number[];
}
