import type { RunResults } from "./run-result";
import type { RunSpec } from "./run-spec";

/**
 * Executes one run of the study: data (training examples within the budget, first-stage candidates), model
 * (the size preset), training with checkpoints measured on the dev split, then the final checkpoint measured on
 * every evaluation set, with per-query values and TREC runs.
 */
export async function executeTrainingRun(spec: RunSpec, runDir: string): Promise<RunResults> {
  throw new Error(
    `executeTrainingRun: training runs are not wired yet (run ${spec.runId} in ${runDir}); the train API is pending.`,
  );
}
