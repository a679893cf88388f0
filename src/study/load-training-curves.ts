import * as path from "node:path";
import { verifyCompletionMarker } from "./completion-marker";
import { readJsonLines, RUN_DIRECTORY_FILES, type CheckpointMetrics } from "../train/run-directory";
import { RUN_FILES } from "./run-result";
import { RunStore } from "./run-store";
import { loadStudyRows } from "./load-study";

/** One run's dev checkpoints (the trainer's metrics.jsonl), labelled for `charts.trainingCurve`. */
export interface StudyTrainingCurve {
  /** "<preset> <objective> <budget>p seed <seed>". */
  label: string;
  runId: string;
  preset: string;
  objective: string;
  budgetPairs: number;
  seed: number;
  checkpoints: CheckpointMetrics[];
}

/**
 * The training curves of a study's complete runs: every checkpoint's dev metrics and training loss, read from
 * each run's `training/metrics.jsonl` after checking it against the run's completion marker (a changed or
 * half-written file is never read). Optionally only the runs `keep` accepts.
 *
 * @example charts.trainingCurve(loadTrainingCurves("runs/smoke", (run) => run.objective === "listwise"))
 */
export function loadTrainingCurves(
  out: string,
  keep: (run: Omit<StudyTrainingCurve, "checkpoints" | "label">) => boolean = () => true,
): StudyTrainingCurve[] {
  const store = new RunStore(out);
  const metricsFile = `${RUN_FILES.training}/${RUN_DIRECTORY_FILES.metrics}`;
  const curves: StudyTrainingCurve[] = [];
  for (const runId of loadStudyRows(out).completeRunIds) {
    const { preset, objective, budgetPairs, seed } = store.readSpec(runId);
    const run = { runId, preset, objective, budgetPairs, seed };
    if (!keep(run)) continue;
    const problem = verifyCompletionMarker(store.runDir(runId), runId, { only: [metricsFile] });
    if (problem) throw new Error(`loadTrainingCurves: run ${runId}: ${problem}. Run the study again to remake it.`);
    const checkpoints = readJsonLines<CheckpointMetrics>(path.join(store.runDir(runId), metricsFile));
    curves.push({ ...run, label: `${preset} ${objective} ${budgetPairs}p seed ${seed}`, checkpoints });
  }
  return curves;
}
