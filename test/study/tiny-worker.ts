/**
 * A TEST worker kind (not part of the toolkit): a real but tiny computation standing in for cross-encoder
 * training, so that the runner's mechanics (pool, failures, resume, corruption) are tested with real processes
 * in seconds. It trains a linear scorer by SGD on a synthetic ranking task (more features for a larger preset,
 * `budgetPairs` pairs seen) and measures NDCG@10, MRR@10 and MAP at each checkpoint. Deterministic in its spec.
 *
 * Test controls (environment, never the spec): TINY_WORKER_FAIL=<substring of run ids that must fail>, TINY_WORKER_HANG_AT_EXIT=1,
 * TINY_WORKER_SLEEP_MS=<pause per checkpoint>, TINY_WORKER_TRACE=<folder: trace.txt gets "start <runId> <pid> <ms>" per attempt and "end <runId> <pid> <startMs> <endMs>" per finished computation>.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Random } from "../../src/random";
import type { CheckpointEvaluation, RunResults } from "../../src/study/run-result";
import { runWorker } from "../../src/study/run-worker";
import type { RunSpec } from "../../src/study/run-spec";

const FEATURES = 16;
const CANDIDATES = 20;

interface Query { id: string; features: number[][]; labels: number[] }

function makeQueries(seed: number, count: number, prefix: string): Query[] {
  const random = new Random(seed);
  const truth = Array.from({ length: FEATURES }, (_, index) => 1 / (index + 1));
  return Array.from({ length: count }, (_, q) => {
    const features = Array.from({ length: CANDIDATES }, () => Array.from({ length: FEATURES }, () => random.normal()));
    const labels = features.map((x) => (x.reduce((sum, v, i) => sum + v * truth[i]!, 0) + 0.5 * random.normal() > 1.2 ? 1 : 0));
    return { id: `${prefix}${q}`, features, labels };
  });
}

function measure(weights: number[], queries: Query[]): Record<string, Record<string, number>> {
  const perQuery: Record<string, Record<string, number>> = { "ndcg@10": {}, "mrr@10": {}, map: {} };
  for (const query of queries) {
    const scores = query.features.map((x) => x.reduce((sum, v, i) => sum + v * (weights[i] ?? 0), 0));
    const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || b - a);
    const relevant = query.labels.reduce((sum, label) => sum + label, 0);
    let dcg = 0, idcg = 0, rr = 0, hits = 0, precisionSum = 0;
    order.forEach((doc, rank) => {
      const label = query.labels[doc]!;
      if (rank < 10) dcg += label / Math.log2(rank + 2);
      if (rank < Math.min(10, relevant)) idcg += 1 / Math.log2(rank + 2);
      if (label && rr === 0 && rank < 10) rr = 1 / (rank + 1);
      if (label) precisionSum += ++hits / (rank + 1);
    });
    perQuery["ndcg@10"]![query.id] = idcg > 0 ? dcg / idcg : 0;
    perQuery["mrr@10"]![query.id] = rr;
    perQuery.map![query.id] = relevant > 0 ? precisionSum / relevant : 0;
  }
  return perQuery;
}

async function executeTinyRun(spec: RunSpec, runDir: string): Promise<RunResults> {
  const traceDir = process.env.TINY_WORKER_TRACE;
  const startMs = Date.now();
  if (traceDir) fs.appendFileSync(path.join(traceDir, "trace.txt"), `start ${spec.runId} ${process.pid} ${startMs}\n`);
  const failOn = process.env.TINY_WORKER_FAIL;
  if (failOn && spec.runId.includes(failOn)) throw new Error(`tiny worker: asked to fail on ${spec.runId}`);
  const sleepMs = Number(process.env.TINY_WORKER_SLEEP_MS ?? 0);
  const presetIndex = ["smoke-1k", "smoke-3k", "smoke-13k", "smoke-57k"].indexOf(spec.preset);
  const usedFeatures = Math.min(FEATURES, 2 << Math.max(0, presetIndex));
  const random = new Random(spec.seed);
  const train = makeQueries(1000 + spec.seed, 200, "t");
  const sets = [
    { name: "dev", role: "dev" as const, queries: makeQueries(7, 30, "d") },
    ...spec.evaluation.map((set, index) => ({ name: set.name, role: set.role, queries: makeQueries(100 + index, set.maxQueries ?? 50, "q") })),
  ];
  const weights = new Array<number>(FEATURES).fill(0);
  const evaluations: CheckpointEvaluation[] = [];
  let pairsSeen = 0;
  for (const checkpoint of spec.checkpointPairs) {
    for (; pairsSeen < checkpoint; pairsSeen++) {
      // One pairwise (RankNet) SGD step on a random (positive, negative) pair of a random training query.
      const query = train[random.int(train.length)]!;
      const positives = query.labels.flatMap((label, i) => (label ? [i] : []));
      const negatives = query.labels.flatMap((label, i) => (label ? [] : [i]));
      if (positives.length === 0 || negatives.length === 0) continue;
      const pos = query.features[positives[random.int(positives.length)]!]!;
      const neg = query.features[negatives[random.int(negatives.length)]!]!;
      let margin = 0;
      for (let i = 0; i < usedFeatures; i++) margin += weights[i]! * (pos[i]! - neg[i]!);
      const gradient = -1 / (1 + Math.exp(margin));
      for (let i = 0; i < usedFeatures; i++) weights[i] = weights[i]! - spec.training.learningRate * 10 * gradient * (pos[i]! - neg[i]!);
    }
    for (const set of sets) {
      const perQuery = measure(weights, set.queries);
      const means = Object.fromEntries(
        Object.entries(perQuery).map(([metric, values]) => [metric, Object.values(values).reduce((a, b) => a + b, 0) / set.queries.length]),
      );
      evaluations.push({ step: Math.ceil(checkpoint / spec.training.batchPairs), pairsSeen: checkpoint, trainingFlops: checkpoint * 6 * usedFeatures, evalSet: set.name, role: set.role, queries: set.queries.length, means, perQuery });
    }
    if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  }
  const trecRuns = Object.fromEntries(
    sets.filter((set) => set.role !== "dev").map((set) => [set.name, set.queries.map((q) => `${q.id} Q0 d0 1 ${weights[0]!.toFixed(6)} tiny`).join("\n") + "\n"]),
  );
  if (traceDir) fs.appendFileSync(path.join(traceDir, "trace.txt"), `end ${spec.runId} ${process.pid} ${startMs} ${Date.now()}\n`);
  return {
    summary: { runId: spec.runId, nonEmbeddingParams: usedFeatures, embeddingParams: 0, trainingFlopsPerPair: 6 * usedFeatures, pairsSeen, backend: "tiny-test-worker", wallSeconds: 0 },
    evaluations,
    trecRuns,
  };
}

if (require.main === module) {
  // TINY_WORKER_HANG_AT_EXIT=1: the process never finishes exiting, like Node deadlocked in its teardown
  // (nodejs/node#54918): an exit handler that blocks the thread for good, so no timer or message runs again.
  if (process.env.TINY_WORKER_HANG_AT_EXIT === "1") process.on("exit", () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
  runWorker(executeTinyRun);
}
