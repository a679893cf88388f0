import { runIdOf, type RunSpec } from "./run-spec";
import type { CheckpointSpacing, StudyConfig } from "./study-config";

/**
 * The runs of a study: one per (preset, objective, data budget, seed), in that nesting order, each with its
 * checkpoint schedule and its stable id. Deterministic: the same config always gives the same list.
 *
 * @example expandGrid(defaultStudyConfig("smoke")).length // presets × objectives × budgets × seeds
 */
export function expandGrid(config: StudyConfig): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const preset of config.presets) {
    for (const objective of config.objectives) {
      for (const budgetPairs of config.dataBudgetsPairs) {
        for (const seed of config.seeds) {
          const fields: Omit<RunSpec, "runId"> = {
            preset,
            objective,
            budgetPairs,
            seed,
            train: config.datasets.train,
            evaluation: config.datasets.evaluation,
            firstStage: config.datasets.firstStage,
            candidateDepth: config.datasets.candidateDepth,
            training: config.training,
            checkpointPairs: checkpointSchedule(budgetPairs, config.checkpoints.count, config.checkpoints.spacing, config.training.batchPairs),
            metrics: config.metrics,
          };
          specs.push({ runId: runIdOf(fields), ...fields });
        }
      }
    }
  }
  return specs;
}

/**
 * Pairs seen at each checkpoint of a run with budget `budgetPairs`: `count` points ending at the budget, either
 * halving backwards from it (`log`: budget/2^(count−1), …, budget/2, budget) or evenly spaced (`linear`),
 * rounded up to whole batches and without repeats (so a small budget may get fewer checkpoints).
 *
 * @example checkpointSchedule(1024, 3, "log", 16) // [256, 512, 1024]
 */
export function checkpointSchedule(budgetPairs: number, count: number, spacing: CheckpointSpacing, batchPairs: number): number[] {
  const points = new Set<number>();
  for (let index = 0; index < count; index++) {
    const fraction = spacing === "log" ? Math.pow(2, index - (count - 1)) : (index + 1) / count;
    const pairs = Math.min(budgetPairs, Math.ceil((budgetPairs * fraction) / batchPairs) * batchPairs);
    points.add(pairs);
  }
  points.add(budgetPairs);
  return [...points].sort((left, right) => left - right);
}
