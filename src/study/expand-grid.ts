import { runIdOf, type RunSpec } from "./run-spec";
import { SIZE_PRESETS, SIZE_PRESET_NAMES } from "../model/size-presets";
import type { CheckpointSpacing, ModelShape, StudyConfig } from "./study-config";

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
            model: presetShape(config, preset),
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
            // Only when set: the ids of runs trained from scratch stay what they were.
            ...(config.pretraining ? { pretraining: config.pretraining } : {}),
          };
          specs.push({ runId: runIdOf(fields), ...fields });
        }
      }
    }
  }
  return specs;
}

/**
 * The shape of a preset: from the config's `customPresets`, else from the model's ladder (`SIZE_PRESETS`).
 * @example presetShape(defaultStudyConfig(), "0.4M") // { layers: 2, hidden: 128, heads: 4 }
 */
export function presetShape(config: StudyConfig, preset: string): ModelShape {
  const custom = config.customPresets?.[preset];
  if (custom) return { layers: custom.layers, hidden: custom.hidden, heads: custom.heads };
  const ladder = (SIZE_PRESETS as Record<string, ModelShape>)[preset];
  if (!ladder) {
    throw new Error(`expandGrid: preset "${preset}" is neither in the model ladder (${SIZE_PRESET_NAMES.join(", ")}) nor in customPresets.`);
  }
  return { layers: ladder.layers, hidden: ladder.hidden, heads: ladder.heads };
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
