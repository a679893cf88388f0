import type { Run } from "../data/trec-run";
import { candidatesFromRun, type CandidatesFromRunOptions } from "./candidates-from-run";
import { scoreCandidates } from "./score-candidates";
import type { PairEncoder, TrainableModel } from "./trainable-model";

export interface RerankRunOptions extends Omit<CandidatesFromRunOptions, "qrels" | "relevanceThreshold"> {
  encode: PairEncoder;
  /** Pairs per forward pass. Default 64. */
  batchSize?: number;
}

/**
 * Reranks a first-stage TREC run with a model: the top `depth` candidates of each query are scored in batches and
 * returned as a new run (query id → document id → model score), ready for `formatRun`/`writeRun` (src/data) or
 * `evaluate` (src/metrics). Candidates below `depth` are dropped, as in the usual rerank-top-k setting.
 *
 * @example writeRun("runs/x/test.trec", await rerankRun(model, bm25Run, { queries, documents, depth: 100, encode }))
 */
export async function rerankRun(model: TrainableModel, firstStage: Run, options: RerankRunOptions): Promise<Run> {
  const candidates = candidatesFromRun(firstStage, options);
  return scoreCandidates(model, candidates, { encode: options.encode, batchSize: options.batchSize });
}
