/**
 * WikiQA reranking setup shared by the real-data test and the WikiQA benchmark (../shared/DESIGN.md §4):
 * - answerable questions only (a question without a correct sentence has nothing to rank);
 * - `prepareTrainingData`: a dev split of 20% of the answerable train questions (checkpoint selection), a WordPiece
 *   vocabulary trained on the other train questions and their sentences, examples with negatives from the same
 *   question's sentences; test = the official test split;
 * - the per-token exact-match flag, without which from-scratch rerankers do not beat the baselines here;
 * - baselines over the same candidates with ties broken at random, never by file order or docno: document
 *   order (the sentences' order in the article), BM25 (Anserini defaults), and a random order.
 */
import { type Dataset, type Qrels, getSplit } from "../../src/data/dataset";
import { pairedRandomizationTest as metricsRandomizationTest } from "../../src/metrics/paired-statistics";
import { load } from "../../src/data/datasets";
import { rerank as bm25Rerank } from "../../src/data/bm25";
import type { Run } from "../../src/data/trec-run";
import type { WordPieceTokenizer } from "../../src/data/wordpiece-tokenizer";
import { Random } from "../../src/random";
import { prepareTrainingData } from "../../src/train/prepare-training-data";
import type { RerankCandidates } from "../../src/train/score-candidates";
import type { PairEncoder, TrainingGroup } from "../../src/train/trainable-model";

export interface WikiqaSetup {
  dataset: Dataset;
  tokenizer: WordPieceTokenizer;
  encode: PairEncoder;
  /** Training examples: one correct sentence and `groupSize − 1` wrong ones of the same question. */
  groups: TrainingGroup[];
  dev: RerankCandidates;
  test: RerankCandidates;
  /** Baseline runs over the test candidates. */
  baselines: { documentOrder: Run; bm25: Run; random: Run };
}

export interface WikiqaSetupOptions {
  /** Passages per training example: 1 pointwise, 2 pairwise, more listwise (1 correct + groupSize − 1 wrong). */
  groupSize: number;
  /** Training data budget in query-passage pairs scored. Default: one pass over the (question, correct sentence) units. */
  budgetPairs?: number;
  maxLength: number;
  vocabSize?: number;
  /** Seed of the dev split, the negative sampling and the baselines' tie-breaking. */
  seed?: number;
  devFraction?: number;
}

function answerableQueryIds(dataset: Dataset, splitName: string): string[] {
  const split = getSplit(dataset, splitName);
  return split.queryIds.filter((queryId) => [...(split.qrels.get(queryId)?.values() ?? [])].some((grade) => grade >= 1));
}

/** Candidates of `queryIds` in file order (the order of the sentences in the Wikipedia article). */
function candidatesInFileOrder(dataset: Dataset, splitName: string, queryIds: readonly string[]): RerankCandidates {
  const split = getSplit(dataset, splitName);
  const lists = split.candidates!.wikiqa!;
  const queries = new Map<string, string>();
  const candidates = new Map<string, { docId: string; text: string }[]>();
  for (const queryId of queryIds) {
    queries.set(queryId, dataset.queries.get(queryId)!);
    candidates.set(queryId, [...lists.get(queryId)!.keys()].map((docId) => ({ docId, text: dataset.documents.get(docId)!.text })));
  }
  return { queries, candidates, qrels: split.qrels, relevanceThreshold: 1 };
}

/**
 * Rank-valued scores (n, n−1, …, 1) from an ordering key per document: higher key first, ties broken by a seeded
 * random permutation — so neither the file order nor trec_eval's docno tie-break can leak into a baseline.
 */
export function breakTiesRandomly(keys: Run, seed: number): Run {
  const random = new Random(seed);
  const run: Run = new Map();
  for (const [queryId, scores] of keys) {
    const entries = [...scores].map(([docId, key]) => ({ docId, key, tieBreak: random.next() }));
    entries.sort((a, b) => b.key - a.key || a.tieBreak - b.tieBreak);
    run.set(queryId, new Map(entries.map((entry, index) => [entry.docId, entries.length - index])));
  }
  return run;
}

/** Number of (question, correct sentence) units among `queryIds`. */
function positiveUnitCount(qrels: Qrels, queryIds: readonly string[]): number {
  return queryIds.reduce((count, queryId) => count + [...(qrels.get(queryId)?.values() ?? [])].filter((grade) => grade >= 1).length, 0);
}

/**
 * The paired randomization test of src/metrics with this module's older call shape (`permutations`, `p`),
 * kept for test/bench/pretrained-wikiqa.bench.ts.
 */
export function pairedRandomizationTest(a: readonly number[], b: readonly number[], options: { permutations?: number; seed?: number } = {}): { meanDifference: number; p: number } {
  const result = metricsRandomizationTest(a, b, { trialCount: options.permutations, seed: options.seed });
  return { meanDifference: result.meanDifference, p: result.pValue };
}

export async function wikiqaSetup(options: WikiqaSetupOptions): Promise<WikiqaSetup> {
  const seed = options.seed ?? 1;
  const dataset = await load("wikiqa");
  const trainSplit = getSplit(dataset, "train");
  const objective = options.groupSize === 1 ? "pointwise" : options.groupSize === 2 ? "pairwise" : "listwise";
  const data = prepareTrainingData(dataset, {
    objective,
    groupSize: options.groupSize,
    budgetPairs: options.budgetPairs ?? positiveUnitCount(trainSplit.qrels, answerableQueryIds(dataset, "train")) * Math.max(2, options.groupSize),
    maxLength: options.maxLength,
    devFraction: options.devFraction ?? 0.2,
    vocabSize: options.vocabSize ?? 8000,
    seed,
  });
  const { tokenizer, encode, examples: groups } = data;
  const testIds = answerableQueryIds(dataset, "test");

  const test = candidatesInFileOrder(dataset, "test", testIds);
  const positionKeys: Run = new Map(
    [...test.candidates].map(([queryId, list]) => [queryId, new Map(list.map((candidate, index) => [candidate.docId, -index]))]),
  );
  const fileOrderCandidates: Run = new Map([...positionKeys].map(([queryId, keys]) => [queryId, new Map([...keys.keys()].map((docId) => [docId, 0]))]));
  return {
    dataset,
    tokenizer,
    encode,
    groups,
    dev: data.dev,
    test,
    baselines: {
      documentOrder: breakTiesRandomly(positionKeys, seed),
      bm25: breakTiesRandomly(bm25Rerank(dataset, fileOrderCandidates), seed),
      random: breakTiesRandomly(fileOrderCandidates, seed),
    },
  };
}

