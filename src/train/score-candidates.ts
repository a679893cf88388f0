import * as tf from "@tensorflow/tfjs";
import type { Qrels } from "../data/dataset";
import type { Run } from "../data/trec-run";
import type { PairEncoder, QueryPassagePair, TrainableModel } from "./trainable-model";

/** One first-stage candidate of a query: document id and the passage text the model reads. */
export interface Candidate {
  docId: string;
  text: string;
}

/**
 * Queries with their first-stage candidates (in first-stage order) and, for evaluation, their judgments:
 * the dev candidates a run is measured on at every checkpoint, or a test set to rerank.
 */
export interface RerankCandidates {
  /** Query id → query text. */
  queries: ReadonlyMap<string, string>;
  /** Query id → candidates, best first-stage candidate first. */
  candidates: ReadonlyMap<string, readonly Candidate[]>;
  /** Judgments, needed to evaluate (not to rerank). */
  qrels?: Qrels;
  /** Grade from which a document counts as relevant for binary measures (trec_eval `-l`). Default 1. */
  relevanceThreshold?: number;
}

export interface ScoreCandidatesOptions {
  encode: PairEncoder;
  /** Pairs scored per forward pass. Default 64. */
  batchSize?: number;
  /** Called after each batch with (pairs scored, total pairs). */
  onProgress?: (scoredPairs: number, totalPairs: number) => void;
}

/**
 * Scores every (query, candidate) pair with the model in batches (inference mode) and returns the reranked run:
 * query id → document id → model score. Queries keep the order of `candidates.candidates`; a query id without
 * text is an error that names it. Batches span query boundaries, so small candidate lists do not waste a pass.
 *
 * @example const run = await scoreCandidates(model, devCandidates, { encode: tokenizer.encodePairs });
 */
export async function scoreCandidates(
  model: TrainableModel,
  candidates: RerankCandidates,
  options: ScoreCandidatesOptions,
): Promise<Run> {
  const batchSize = options.batchSize ?? 64;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new Error(`scoreCandidates: batchSize must be a positive integer, got ${batchSize}.`);
  }
  const pairs: QueryPassagePair[] = [];
  const owners: Array<{ queryId: string; docId: string }> = [];
  for (const [queryId, list] of candidates.candidates) {
    const query = candidates.queries.get(queryId);
    if (query === undefined) {
      throw new Error(`scoreCandidates: query "${queryId}" has candidates but no text in candidates.queries.`);
    }
    for (const candidate of list) {
      pairs.push({ query, passage: candidate.text });
      owners.push({ queryId, docId: candidate.docId });
    }
  }
  const run: Run = new Map();
  for (const queryId of candidates.candidates.keys()) run.set(queryId, new Map());
  for (let start = 0; start < pairs.length; start += batchSize) {
    const batchPairs = pairs.slice(start, start + batchSize);
    const scoreTensor = tf.tidy(() => model.score(options.encode(batchPairs), { training: false }));
    const scores = await scoreTensor.data();
    scoreTensor.dispose();
    for (let index = 0; index < batchPairs.length; index++) {
      const owner = owners[start + index]!;
      const score = scores[index]!;
      if (!Number.isFinite(score)) {
        throw new Error(
          `scoreCandidates: the model scored query "${owner.queryId}", document "${owner.docId}" as ${score}. ` +
            `The weights have diverged; lower the learning rate or resume from an earlier checkpoint.`,
        );
      }
      run.get(owner.queryId)!.set(owner.docId, score);
    }
    options.onProgress?.(Math.min(start + batchSize, pairs.length), pairs.length);
  }
  return run;
}
