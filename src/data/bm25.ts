import { documentText, getSplit, type Dataset } from "./dataset";
import { Bm25Index, type Bm25Options } from "./bm25-index";
import type { Run } from "./trec-run";

/** Indexes built for a dataset object, per option set, so that retrieving train and test splits indexes once. */
const indexCache = new WeakMap<Dataset, Map<string, { index: Bm25Index; docIds: string[] }>>();

/**
 * The BM25 index of a dataset's documents (title + " " + text, as Anserini's BEIR "flat" indexes), built
 * once per dataset object and option set.
 * @example const { index, docIds } = bm25.indexOf(ds)
 */
export function indexOf(dataset: Dataset, options: Bm25Options = {}): { index: Bm25Index; docIds: string[] } {
  let byOptions = indexCache.get(dataset);
  if (!byOptions) indexCache.set(dataset, (byOptions = new Map()));
  const key = JSON.stringify(options);
  let built = byOptions.get(key);
  if (!built) {
    const docIds = [...dataset.documents.keys()];
    const index = Bm25Index.build((function* () {
      for (const document of dataset.documents.values()) yield documentText(document);
    })(), options);
    built = { index, docIds };
    byOptions.set(key, built);
  }
  return built;
}

/**
 * BM25 first-stage retrieval for every query of a split: the top `k` documents (default 100) per query as a
 * run (query id → document id → score, best first). Lucene/Anserini defaults: k1 = 0.9, b = 0.4, English
 * analyzer with stop words and Porter stemming. Queries with no matching term get an empty ranking.
 *
 * Reference: Anserini BEIR "flat" baselines (Kamphuis et al. 2020; Thakur et al. 2021).
 * @example const run = await bm25.retrieve(await datasets.load("scifact"), "test", { k: 100 }) // nDCG@10 ≈ 0.68
 */
export function retrieve(dataset: Dataset, splitName: string, options: Bm25Options & { k?: number } = {}): Run {
  const { k = 100, ...indexOptions } = options;
  const split = getSplit(dataset, splitName);
  const { index, docIds } = indexOf(dataset, indexOptions);
  const run: Run = new Map();
  for (const queryId of split.queryIds) {
    const query = dataset.queries.get(queryId);
    if (query === undefined) throw new Error(`bm25.retrieve: query ${queryId} of ${dataset.name}/${splitName} has no text.`);
    run.set(queryId, new Map(index.search(query, k).map((hit) => [docIds[hit.docIndex]!, hit.score])));
  }
  return run;
}

/**
 * Re-scores given candidate lists with BM25 over the whole dataset's statistics (e.g. WikiQA's or NovelEval's
 * fixed candidates); each query keeps exactly its candidates, re-ordered by BM25 score.
 */
export function rerank(dataset: Dataset, candidates: Run, options: Bm25Options = {}): Run {
  const { index, docIds } = indexOf(dataset, options);
  const positions = new Map(docIds.map((docId, position) => [docId, position]));
  const run: Run = new Map();
  for (const [queryId, scores] of candidates) {
    const candidateIds = [...scores.keys()];
    const missing = candidateIds.find((docId) => !positions.has(docId));
    if (missing !== undefined) throw new Error(`bm25.rerank: candidate ${missing} of query ${queryId} is not a document of ${dataset.name}.`);
    const bm25Scores = index.scoreDocuments(dataset.queries.get(queryId) ?? "", candidateIds.map((docId) => positions.get(docId)!));
    const reranked = candidateIds.map((docId, position) => [docId, bm25Scores[position]!] as [string, number]);
    reranked.sort((a, b) => b[1] - a[1]);
    run.set(queryId, new Map(reranked));
  }
  return run;
}
