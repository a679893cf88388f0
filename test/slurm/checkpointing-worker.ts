/**
 * A TEST worker kind (not part of the toolkit) that checkpoints and resumes like the training worker, in
 * seconds: one "segment" of deterministic work per checkpoint of the spec, each seeded by (seed, segment), so
 * a run resumed from any checkpoint ends with exactly the values of an uninterrupted one. After each segment it
 * writes `<runDir>/training/checkpoint.json` atomically (the runner keeps `training/` across attempts).
 *
 * Test controls (environment, never the spec): CHECKPOINT_WORKER_SEGMENT_MS=<pause per segment>,
 * CHECKPOINT_WORKER_TRACE=<folder: trace.txt gets "start <runId> <firstSegment>", "segment <runId> <k>" and
 * "end <runId>" lines>.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Random } from "../../src/random";
import { writeJsonAtomic } from "../../src/study/atomic-write";
import { RUN_FILES, type CheckpointEvaluation, type RunResults } from "../../src/study/run-result";
import type { RunSpec } from "../../src/study/run-spec";
import { runWorker } from "../../src/study/run-worker";

const QUERIES = 5;

interface Checkpoint {
  segmentsDone: number;
  weights: number[];
  evaluations: CheckpointEvaluation[];
}

function trace(line: string): void {
  const folder = process.env.CHECKPOINT_WORKER_TRACE;
  if (folder) fs.appendFileSync(path.join(folder, "trace.txt"), `${line}\n`);
}

async function executeCheckpointedRun(spec: RunSpec, runDir: string): Promise<RunResults> {
  const checkpointFile = path.join(runDir, RUN_FILES.training, "checkpoint.json");
  const state: Checkpoint = fs.existsSync(checkpointFile)
    ? (JSON.parse(fs.readFileSync(checkpointFile, "utf8")) as Checkpoint)
    : { segmentsDone: 0, weights: [0, 0, 0, 0], evaluations: [] };
  trace(`start ${spec.runId} ${state.segmentsDone}`);
  const pauseMs = Number(process.env.CHECKPOINT_WORKER_SEGMENT_MS ?? 0);
  for (let segment = state.segmentsDone; segment < spec.checkpointPairs.length; segment++) {
    const random = new Random(spec.seed * 7919 + segment);
    state.weights = state.weights.map((weight) => weight + 0.1 * random.normal());
    const perQuery: Record<string, number> = {};
    for (let query = 0; query < QUERIES; query++) {
      const score = state.weights.reduce((sum, weight, index) => sum + weight * Math.cos(query + index), 0);
      perQuery[`q${query}`] = 1 / (1 + Math.exp(-score));
    }
    const mean = Object.values(perQuery).reduce((sum, value) => sum + value, 0) / QUERIES;
    const pairsSeen = spec.checkpointPairs[segment]!;
    state.evaluations.push({ step: segment + 1, pairsSeen, trainingFlops: 6 * pairsSeen, evalSet: "dev", role: "dev", queries: QUERIES, means: { "ndcg@10": mean }, perQuery: { "ndcg@10": perQuery } });
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    state.segmentsDone = segment + 1;
    writeJsonAtomic(checkpointFile, state);
    trace(`segment ${spec.runId} ${segment}`);
  }
  trace(`end ${spec.runId}`);
  return {
    summary: { runId: spec.runId, nonEmbeddingParams: 4, embeddingParams: 0, trainingFlopsPerPair: 6, pairsSeen: spec.budgetPairs, backend: "checkpointing-test-worker", wallSeconds: 0 },
    evaluations: state.evaluations,
    trecRuns: {},
  };
}

if (require.main === module) runWorker(executeCheckpointedRun);
