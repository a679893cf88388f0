import * as fs from "node:fs";
import * as path from "node:path";
import type { DataFrame } from "danfojs-node";
import type { CheckpointEvaluation, RunSummary } from "./run-result";
import type { RunSpec } from "./run-spec";
import { RunStore, STORE_FILES } from "./run-store";
import type { StudyConfig } from "./study-config";

/**
 * One row per (run, checkpoint, query set): the run's grid coordinates and model sizes, the checkpoint's place
 * in training (step, pairsSeen, trainingFlops), the query set (evalSet "dev" or an evaluation set's name, its role,
 * the number of queries), `final` (true on the last measurement of that query set in the run: the last dev
 * checkpoint; the evaluation sets are measured once, with the selected checkpoint), and the mean of every metric as its own
 * column named by its canonical name (e.g. "ndcg@10").
 */
export type StudyRow = Pick<RunSpec, "runId" | "preset" | "objective" | "budgetPairs" | "seed"> &
  Pick<RunSummary, "nonEmbeddingParams" | "embeddingParams"> &
  Omit<CheckpointEvaluation, "means" | "perQuery"> & { final: boolean; [metric: string]: string | number | boolean };

export interface LoadedStudy {
  config: StudyConfig;
  /** Runs in the grid. */
  total: number;
  /** Complete runs whose results verified. */
  completeRunIds: string[];
  /** Grid runs left out: absent, incomplete or corrupt (never read). */
  missingRunIds: string[];
  rows: StudyRow[];
}

/**
 * Reads a study's store into plain rows (see `StudyRow`): only runs whose result files match their completion
 * marker are read; the others are listed in `missingRunIds`, never used.
 *
 * @example loadStudyRows("runs/smoke").rows.filter((row) => row.final && row.evalSet === "scifact-test")
 */
export function loadStudyRows(out: string): LoadedStudy {
  const store = new RunStore(out);
  const studyFile = path.join(store.root, STORE_FILES.study);
  if (!fs.existsSync(studyFile)) {
    throw new Error(`study.load: ${studyFile} does not exist. Run the study first: npx rerank-scaling study --out ${out}`);
  }
  const study = JSON.parse(fs.readFileSync(studyFile, "utf8")) as { config: StudyConfig; runIds: string[] };
  const rows: StudyRow[] = [];
  const completeRunIds: string[] = [];
  const missingRunIds: string[] = [];
  for (const runId of study.runIds) {
    if (!store.resultsVerify(runId)) {
      missingRunIds.push(runId);
      continue;
    }
    completeRunIds.push(runId);
    const spec: RunSpec = store.readSpec(runId);
    const summary = store.readSummary(runId);
    const evaluations = store.readEvaluations(runId);
    const lastPairs = new Map<string, number>();
    for (const evaluation of evaluations) {
      lastPairs.set(evaluation.evalSet, Math.max(lastPairs.get(evaluation.evalSet) ?? 0, evaluation.pairsSeen));
    }
    for (const evaluation of evaluations) {
      rows.push({
        runId,
        preset: spec.preset,
        objective: spec.objective,
        budgetPairs: spec.budgetPairs,
        seed: spec.seed,
        nonEmbeddingParams: summary.nonEmbeddingParams,
        embeddingParams: summary.embeddingParams,
        step: evaluation.step,
        pairsSeen: evaluation.pairsSeen,
        trainingFlops: evaluation.trainingFlops,
        evalSet: evaluation.evalSet,
        role: evaluation.role,
        queries: evaluation.queries,
        final: evaluation.pairsSeen === lastPairs.get(evaluation.evalSet),
        ...evaluation.means,
      });
    }
  }
  return { config: study.config, total: study.runIds.length, completeRunIds, missingRunIds, rows };
}

/**
 * A study's results as a danfojs DataFrame, one call from a notebook: one row per (run, checkpoint, query set),
 * metric means as columns (see `StudyRow`). Runs that are not complete and verified are left out; a metric a
 * row lacks is NaN.
 *
 * @example const df = study.load("runs/smoke"); df.query(df["evalSet"].eq("scifact-test")).print()
 */
export function load(out: string): DataFrame {
  const { rows } = loadStudyRows(out);
  if (rows.length === 0) throw new Error(`study.load: ${out} holds no complete runs yet. Run the study first.`);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const filled = rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? NaN])));
  // danfojs loads tfjs; required here so that importing the study module stays light.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  return new danfo.DataFrame(filled, { columns });
}
