import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "./atomic-write";
import type { EvaluationRole } from "./study-config";

/** File names inside a run directory, in one place so that writer, verifier and readers agree. */
export const RUN_FILES = {
  spec: "spec.json",
  summary: "summary.json",
  evaluations: "evaluations.jsonl",
  trecRuns: "trec",
  logs: "logs",
  workerLog: "logs/worker.log",
  workerPid: "worker.pid",
  complete: "complete.json",
  /** The trainer's own run directory (config.json, checkpoints/, metrics.jsonl, log.jsonl, summary.json), kept for resuming. */
  training: "training",
} as const;

/** What a finished run says about itself besides its measurements. */
export interface RunSummary {
  runId: string;
  /** Non-embedding parameters N of the trained model (the scaling axis). */
  nonEmbeddingParams: number;
  embeddingParams: number;
  /** Training FLOPs per query-passage pair scored (forward + backward), so compute C = pairs × this. */
  trainingFlopsPerPair: number;
  /** Pairs actually seen when training stopped (the budget unless stopped early). */
  pairsSeen: number;
  /** Compute backend the run trained on, e.g. "wasm". */
  backend: string;
  wallSeconds: number;
  /** Free-form details the worker kind records (versions, dataset sizes). */
  details?: Record<string, unknown>;
}

/** One checkpoint of one run measured on one query set: means and per-query values of each metric. */
export interface CheckpointEvaluation {
  /** Optimizer steps taken at this checkpoint. */
  step: number;
  pairsSeen: number;
  /** Training FLOPs spent up to this checkpoint. */
  trainingFlops: number;
  /** "dev" (held-out training queries) or the name of a study evaluation set. */
  evalSet: string;
  role: "dev" | EvaluationRole;
  /** Queries averaged over. */
  queries: number;
  means: Record<string, number>;
  /** metric → query id → value. */
  perQuery: Record<string, Record<string, number>>;
}

/** Everything a worker hands to the store when a run has finished. */
export interface RunResults {
  summary: RunSummary;
  evaluations: CheckpointEvaluation[];
  /** Evaluation set name → TREC run text of the final checkpoint's reranking. */
  trecRuns: Record<string, string>;
}

/**
 * Writes a finished run's results into its directory, each file atomically. The completion marker is written
 * afterwards by the worker harness (`writeCompletionMarker`), so a crash here leaves a run without marker,
 * which the store treats as incomplete and re-runs.
 *
 * @example writeRunResults("runs/smoke/xs-listwise-1024p-seed1-3f9a0c1d2e", results)
 */
export function writeRunResults(runDir: string, results: RunResults): void {
  for (const evaluation of results.evaluations) {
    for (const [metric, value] of Object.entries(evaluation.means)) {
      if (!Number.isFinite(value)) {
        throw new Error(
          `writeRunResults: ${metric} on ${evaluation.evalSet} at step ${evaluation.step} is ${value}; ` +
            `a run with non-finite metrics is a failed run, not a result.`,
        );
      }
    }
  }
  for (const [name, text] of Object.entries(results.trecRuns)) {
    writeFileAtomic(path.join(runDir, RUN_FILES.trecRuns, `${name}.trec`), text);
  }
  writeFileAtomic(
    path.join(runDir, RUN_FILES.evaluations),
    results.evaluations.map((evaluation) => JSON.stringify(evaluation)).join("\n") + "\n",
  );
  writeJsonAtomic(path.join(runDir, RUN_FILES.summary), results.summary);
}

/** Reads a run's evaluations, one per line; a line that does not parse is an error that names the file and line. */
export function readEvaluations(runDir: string): CheckpointEvaluation[] {
  const file = path.join(runDir, RUN_FILES.evaluations);
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const evaluations: CheckpointEvaluation[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      evaluations.push(JSON.parse(line) as CheckpointEvaluation);
    } catch {
      throw new Error(`readEvaluations: ${file} line ${index + 1} is not valid JSON (a half-written run?).`);
    }
  });
  return evaluations;
}

/** Reads a run's summary.json. */
export function readSummary(runDir: string): RunSummary {
  return JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.summary), "utf8")) as RunSummary;
}
