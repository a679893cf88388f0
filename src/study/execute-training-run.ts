import * as fs from "node:fs";
import * as path from "node:path";
import { examples as trainingExamples } from "../data";
import { documentText, getSplit } from "../data/dataset";
import { formatRun } from "../data/trec-run";
import { CONTRASTIVE_ENTROPY_NAME } from "../metrics/contrastive-entropy";
import { selectBackend } from "../model/backend";
import { crossEncoder } from "../model/cross-encoder";
import { candidatesFromRun } from "../train/candidates-from-run";
import { RUN_DIRECTORY_FILES } from "../train/run-directory";
import { scoreCandidates, type RerankCandidates } from "../train/score-candidates";
import { train } from "../train/train";
import type { PairEncoder } from "../train/trainable-model";
import { evaluateStudyMetrics } from "./evaluate-study-metrics";
import { prepareStudyData, type StudyData } from "./prepare-study-data";
import { loadStudyLadderEncoder } from "./study-ladder";
import { RUN_FILES, type CheckpointEvaluation, type RunResults } from "./run-result";
import type { RunSpec } from "./run-spec";
import type { Objective } from "./study-config";

/** Pairs per forward pass when scoring candidates (inference only). */
const SCORING_BATCH_PAIRS = 128;

/** Passages per training example for each objective: pointwise 1, pairwise 2 (positive, negative), listwise a group. */
export function groupSizeOf(objective: Objective, listwiseGroupSize: number): number {
  return objective === "pointwise" ? 1 : objective === "pairwise" ? 2 : listwiseGroupSize;
}

/**
 * Executes one run of the study (the body of src/study/worker.ts):
 * 1. picks the compute backend (`selectBackend`: wasm here; RERANK_BACKEND forces one);
 * 2. prepares the data (`prepareStudyData`: dev split, BM25 candidates, tokenizer; shared by the runs);
 * 3. builds the training examples for the objective within the budget (nested across budgets, seeded);
 * 4. creates the size preset's cross-encoder (weights seeded by the run's seed), or loads the preset's encoder
 *    from the study's pretrained ladder (`spec.pretraining`) with a fresh scoring head;
 * 5. trains it, writing checkpoints and dev metrics into `<runDir>/training/` (resumes from there after a kill);
 * 6. reranks every evaluation set with the selected checkpoint and measures it, per query.
 * Steps = budget / pairs per step (batch = batchPairs / group size examples); checkpoints at `checkpointPairs`
 * (every `checkpointPairs[0]` pairs when they are evenly spaced, else exactly at each).
 * Training FLOPs are counted at `maxSeqLen` tokens per pair (padding included), the same for every run.
 */
export async function executeTrainingRun(spec: RunSpec, runDir: string): Promise<RunResults> {
  // 1. Backend.
  const backend = await selectBackend();
  console.log(`backend: ${backend.name} (${backend.reason})`);

  // 2. Data.
  const data = await prepareStudyData(spec, path.dirname(path.resolve(runDir)));
  const { maxSeqLen, exactMatch } = spec.training;
  // A run fine-tuned from the study's ladder reads text with the ladder's vocabulary, not the dataset's.
  const pretrained = spec.pretraining ? loadStudyLadderEncoder(spec) : undefined;
  const tokenizer = pretrained?.tokenizer ?? data.tokenizer;
  const encode: PairEncoder = (pairs) =>
    tokenizer.encodePairs(
      pairs.map((pair) => [pair.query, pair.passage] as const),
      { maxLength: maxSeqLen, exactMatch },
    );

  // 3. Training examples.
  const groupSize = groupSizeOf(spec.objective, spec.training.listwiseGroupSize);
  const examples = trainingExamples.build(data.trainDataset, "study-train", {
    objective: spec.objective,
    negatives: spec.objective === "listwise" ? groupSize - 1 : 1,
    from: data.trainCandidates,
    budget: spec.budgetPairs,
    seed: spec.seed,
  });

  // 4. Model.
  const model = pretrained
    ? crossEncoder.fromEncoder(pretrained.encoder, { exactMatch, maxLen: maxSeqLen, seed: spec.seed, head: "fresh" })
    : crossEncoder.create({ ...spec.model, vocabSize: tokenizer.vocabSize, maxLen: maxSeqLen, exactMatch, seed: spec.seed });
  try {
    const description = model.describe(maxSeqLen);
    const flopsPerPair = description.trainingFlopsPerExample;

    // 5. Training with dev checkpoints.
    const batch = Math.max(1, Math.round(spec.training.batchPairs / groupSize));
    const pairsPerStep = batch * groupSize;
    const steps = Math.max(1, Math.round(spec.budgetPairs / pairsPerStep));
    // Evenly spaced checkpoints are every `evalEvery` steps; any other schedule (log) is checkpointed exactly where
    // it asks (`evalAt`), not at every multiple of its smallest interval.
    const checkpointSteps = spec.checkpointPairs.map((pairs) => Math.min(steps, Math.max(1, Math.round(pairs / pairsPerStep))));
    const evenlySpaced = checkpointSteps.every((checkpointStep, index) => checkpointStep === checkpointSteps[0]! * (index + 1));
    const evalEvery = evenlySpaced ? checkpointSteps[0]! : steps;
    const selectBy = spec.metrics.find((metric) => !CONTRASTIVE_ENTROPY_NAME.test(metric)) ?? spec.metrics[0]!;
    const trained = await train(model, examples, {
      objective: spec.objective,
      steps,
      batch,
      lr: spec.training.learningRate,
      ...(spec.pretraining?.encoderLearningRate !== undefined ? { encoderLr: spec.pretraining.encoderLearningRate } : {}),
      warmup: spec.training.warmupFraction,
      seed: spec.seed,
      encode,
      evalEvery,
      ...(evenlySpaced ? {} : { evalAt: checkpointSteps }),
      evalOn: devCandidates(data, spec),
      evalMetrics: spec.metrics,
      selectBy,
      evalBatch: SCORING_BATCH_PAIRS,
      evaluate: evaluateStudyMetrics,
      checkpointDir: path.join(runDir, RUN_FILES.training),
      restoreBest: spec.training.checkpointSelection === "best-dev",
      name: spec.runId,
    });
    const evaluations: CheckpointEvaluation[] = trained.checkpoints.map((checkpoint) => ({
      step: checkpoint.step,
      pairsSeen: checkpoint.pairsSeen,
      trainingFlops: checkpoint.pairsSeen * flopsPerPair,
      evalSet: "dev",
      role: "dev",
      queries: spec.train.devQueries,
      means: checkpoint.dev ?? {},
      perQuery: checkpoint.devPerQuery ?? {},
    }));

    // 6. The evaluation sets, reranked by the selected checkpoint.
    const selectedStep = spec.training.checkpointSelection === "best-dev" && trained.best ? trained.best.step : steps;
    const trecRuns: Record<string, string> = {};
    for (const { set, dataset, split, candidates } of data.evaluation) {
      const toRerank = candidatesFromRun(candidates, {
        queries: dataset.queries,
        documents: (docId) => {
          const document = dataset.documents.get(docId);
          return document && documentText(document);
        },
        depth: spec.candidateDepth,
        qrels: split.qrels,
        relevanceThreshold: split.relevanceThreshold,
      });
      const reranked = await scoreCandidates(model, toRerank, { encode, batchSize: SCORING_BATCH_PAIRS });
      const measured = evaluateStudyMetrics(reranked, split.qrels, spec.metrics, { relevanceThreshold: split.relevanceThreshold });
      evaluations.push({
        step: selectedStep,
        pairsSeen: selectedStep * pairsPerStep,
        trainingFlops: selectedStep * pairsPerStep * flopsPerPair,
        evalSet: set.name,
        role: set.role,
        queries: reranked.size,
        means: measured.means,
        perQuery: measured.perQuery,
      });
      trecRuns[set.name] = formatRun(reranked, { runTag: spec.runId });
      console.log(`${set.name}: ${Object.entries(measured.means).map(([metric, value]) => `${metric} ${value.toFixed(4)}`).join(", ")}`);
    }

    // The step checkpoints (weights + optimizer state) only serve resuming; best.ckpt stays.
    const checkpointsDir = path.join(runDir, RUN_FILES.training, RUN_DIRECTORY_FILES.checkpoints);
    for (const file of fs.existsSync(checkpointsDir) ? fs.readdirSync(checkpointsDir) : []) {
      if (file !== RUN_DIRECTORY_FILES.bestCheckpoint) fs.rmSync(path.join(checkpointsDir, file), { force: true });
    }
    return {
      summary: {
        runId: spec.runId,
        nonEmbeddingParams: description.nonEmbeddingParams,
        embeddingParams: description.embeddingParams,
        trainingFlopsPerPair: flopsPerPair,
        pairsSeen: trained.pairsSeen,
        backend: backend.name,
        wallSeconds: 0,
        details: {
          backendReason: backend.reason,
          selectedStep,
          steps,
          batchExamples: batch,
          pairsPerStep,
          trainingExamples: examples.length,
          trainSeconds: trained.trainSeconds,
          pairsPerSecond: trained.pairsPerSecond,
          resumedFromStep: trained.resumedFromStep ?? null,
          vocabSize: tokenizer.vocabSize,
          // Pretraining compute is reported here, apart from the fine-tuning FLOPs of the evaluations.
          ...(pretrained
            ? {
                pretraining: {
                  encoder: pretrained.folder,
                  pretrainingFlops: pretrained.record.pretrainingFlops,
                  mlmSteps: pretrained.record.stepsDone,
                  mlmTokensSeen: pretrained.record.tokensSeen,
                  mlmWallSeconds: pretrained.record.wallSeconds,
                  mlmBackend: pretrained.record.backend,
                },
              }
            : {}),
          preparedData: path.basename(data.preparedDir),
        },
      },
      evaluations,
      trecRuns,
    };
  } finally {
    model.dispose();
  }
}

/** The dev queries' first-stage candidates with their judgments: what every checkpoint is measured on. */
function devCandidates(data: StudyData, spec: RunSpec): RerankCandidates {
  const dev = getSplit(data.trainDataset, "study-dev");
  return candidatesFromRun(data.trainCandidates, {
    queries: data.trainDataset.queries,
    documents: (docId) => {
      const document = data.trainDataset.documents.get(docId);
      return document && documentText(document);
    },
    depth: spec.candidateDepth,
    queryIds: dev.queryIds,
    qrels: dev.qrels,
    relevanceThreshold: dev.relevanceThreshold,
  });
}
