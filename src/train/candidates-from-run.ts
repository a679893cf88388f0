import { rankedDocIds, type Run } from "../data/trec-run";
import type { Qrels } from "../data/dataset";
import type { Candidate, RerankCandidates } from "./score-candidates";

export interface CandidatesFromRunOptions {
  /** Query id → query text. */
  queries: ReadonlyMap<string, string>;
  /** Document id → passage text (or a lookup function). */
  documents: ReadonlyMap<string, string> | ((docId: string) => string | undefined);
  /** Keep the top `depth` candidates of each query in trec_eval order. Default 100. */
  depth?: number;
  /** Only these queries (e.g. a dev split, or answerable questions); default every query of the run. */
  queryIds?: Iterable<string>;
  qrels?: Qrels;
  relevanceThreshold?: number;
}

/**
 * The candidates to rerank from a first-stage TREC run: each query's top `depth` documents in trec_eval order
 * (score descending, ties by docno descending — break ties yourself beforehand if that order is not meaningful)
 * with their texts. A run query without text, or a document without text, is an error that names it.
 *
 * @example candidatesFromRun(bm25Run, { queries, documents, depth: 100, qrels })
 */
export function candidatesFromRun(run: Run, options: CandidatesFromRunOptions): RerankCandidates {
  const depth = options.depth ?? 100;
  if (!(Number.isInteger(depth) && depth > 0)) throw new Error(`candidatesFromRun: depth must be a positive integer, got ${depth}.`);
  const lookup = typeof options.documents === "function" ? options.documents : (docId: string) => (options.documents as ReadonlyMap<string, string>).get(docId);
  const queryIds = options.queryIds ? [...options.queryIds] : [...run.keys()];
  const queries = new Map<string, string>();
  const candidates = new Map<string, Candidate[]>();
  for (const queryId of queryIds) {
    const scores = run.get(queryId);
    if (!scores) continue;
    const query = options.queries.get(queryId);
    if (query === undefined) throw new Error(`candidatesFromRun: run query "${queryId}" has no text in options.queries.`);
    queries.set(queryId, query);
    candidates.set(
      queryId,
      rankedDocIds(scores).slice(0, depth).map((docId) => {
        const text = lookup(docId);
        if (text === undefined) throw new Error(`candidatesFromRun: document "${docId}" (query "${queryId}") has no text in options.documents.`);
        return { docId, text };
      }),
    );
  }
  return { queries, candidates, qrels: options.qrels, relevanceThreshold: options.relevanceThreshold };
}
