/**
 * Train a cross-encoder on WikiQA train (dev-split checkpoint selection), rerank the answerable test questions'
 * candidates, and compare per-query AP with document order, BM25 and a random order (paired randomization test).
 * Used by test/train/wikiqa-rerank.test.ts (small budget) and test/bench/wikiqa-rerank.bench.ts (larger ones).
 */
import { crossEncoder, type SizePresetName } from "../../src/model";
import { evaluate } from "../../src/metrics/evaluate";
import type { Run } from "../../src/data/trec-run";
import { scoreCandidates } from "../../src/train/score-candidates";
import { train, type TrainRun } from "../../src/train/train";
import type { RankingObjective } from "../../src/train/ranking-loss";
import { pairedRandomizationTest } from "../../src/metrics/paired-statistics";
import { reciprocalRankFusion } from "../../src/train/fusion";
import { wikiqaSetup } from "./wikiqa-setup";

export interface WikiqaExperimentOptions {
  preset: SizePresetName;
  objective: RankingObjective;
  steps: number;
  batch: number;
  lr: number;
  groupSize: number;
  maxLength: number;
  evalEvery: number;
  seed?: number;
  checkpointDir?: string;
  progress?: boolean;
}

export interface WikiqaComparison {
  /** Test MAP of the reranker and of the baseline, and the paired randomization test over the test questions. */
  rerankerMap: number;
  baselineMap: number;
  meanDifference: number;
  p: number;
}

export interface WikiqaExperimentResult {
  options: WikiqaExperimentOptions;
  nonEmbeddingParams: number;
  trainingGroups: number;
  testQueries: number;
  run: TrainRun;
  test: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  versus: Record<"documentOrder" | "bm25" | "random", WikiqaComparison>;
  /**
   * The reranker's run fused with document order by reciprocal-rank fusion (k = 60, equal weights: nothing tuned),
   * against document order alone: whether the reranker adds to the original order what it lacks alone.
   */
  fusedWithDocumentOrder: WikiqaComparison & { measures: Record<string, number> };
  /** Controls: BM25's and a random order fused with document order the same way, against document order. */
  fusionControls: Record<"bm25" | "random", WikiqaComparison>;
}

const MEASURES = ["map", "mrr", "ndcg@10"];

export async function wikiqaExperiment(options: WikiqaExperimentOptions): Promise<WikiqaExperimentResult> {
  // Budget: exactly the pairs the steps consume (one pass over the examples).
  const budgetPairs = options.steps * options.batch * options.groupSize;
  const setup = await wikiqaSetup({ groupSize: options.groupSize, budgetPairs, maxLength: options.maxLength, seed: options.seed ?? 1 });
  const model = crossEncoder.create({
    preset: options.preset, vocabSize: setup.tokenizer.vocabSize, maxLen: options.maxLength, exactMatch: true, seed: options.seed ?? 1,
  });
  const run = await train(model, setup.groups, {
    objective: options.objective, steps: options.steps, batch: options.batch, lr: options.lr, warmup: 0.1, seed: options.seed ?? 1,
    evalEvery: options.evalEvery, evalOn: setup.dev, evalMetrics: MEASURES, encode: setup.encode, restoreBest: true,
    evalBatch: 128, checkpointDir: options.checkpointDir, progress: options.progress ?? false, name: `wikiqa ${options.preset}`,
  });
  const reranked = await scoreCandidates(model, setup.test, { encode: setup.encode, batchSize: 128 });
  const nonEmbeddingParams = model.describe().nonEmbeddingParams;
  model.dispose();
  const qrels = setup.test.qrels!;
  const rerankedResult = evaluate(qrels, reranked, MEASURES);
  const perQueryMap = (result: ReturnType<typeof evaluate>) => result.queryIds.map((queryId) => result.perQuery.get(queryId)!.map!);
  const baselines: Record<string, Record<string, number>> = {};
  const versus = {} as WikiqaExperimentResult["versus"];
  for (const [name, baselineRun] of Object.entries(setup.baselines) as Array<[keyof typeof setup.baselines, Run]>) {
    const baselineResult = evaluate(qrels, baselineRun, MEASURES);
    baselines[name] = baselineResult.mean;
    const test = pairedRandomizationTest(perQueryMap(rerankedResult), perQueryMap(baselineResult), { trialCount: 20000, seed: 7 });
    versus[name] = { rerankerMap: rerankedResult.mean.map!, baselineMap: baselineResult.mean.map!, meanDifference: test.meanDifference, p: test.pValue };
  }
  const documentOrderResult = evaluate(qrels, setup.baselines.documentOrder, MEASURES);
  const fuseWithDocumentOrder = (first: Run) => {
    const fusedResult = evaluate(qrels, reciprocalRankFusion([first, setup.baselines.documentOrder]), MEASURES);
    const fusedTest = pairedRandomizationTest(perQueryMap(fusedResult), perQueryMap(documentOrderResult), { trialCount: 20000, seed: 7 });
    return {
      rerankerMap: fusedResult.mean.map!, baselineMap: documentOrderResult.mean.map!, meanDifference: fusedTest.meanDifference,
      p: fusedTest.pValue, measures: fusedResult.mean,
    };
  };
  const fusedWithDocumentOrder = fuseWithDocumentOrder(reranked);
  const fusionControls = { bm25: fuseWithDocumentOrder(setup.baselines.bm25), random: fuseWithDocumentOrder(setup.baselines.random) };
  return {
    options, nonEmbeddingParams, trainingGroups: setup.groups.length, testQueries: setup.test.candidates.size,
    run, test: rerankedResult.mean, baselines, versus, fusedWithDocumentOrder, fusionControls,
  };
}
