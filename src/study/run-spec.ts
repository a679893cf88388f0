import { canonicalHash } from "./canonical-json";
import type {
  EvaluationSetConfig,
  FirstStage,
  ModelShape,
  StudyPretraining,
  Objective,
  TrainingHyperparameters,
  TrainingSetConfig,
} from "./study-config";

/**
 * Everything one worker needs to execute one run of a study, and nothing about the study around it: two studies
 * that contain the same run give it the same spec, and so the same `runId`.
 */
export interface RunSpec {
  /** Stable id: readable prefix plus a hash of every other field (see `runIdOf`). */
  runId: string;
  preset: string;
  /** The preset's shape, resolved when the grid is expanded (so the run id changes if a preset's shape does). */
  model: ModelShape;
  objective: Objective;
  /** Training budget in query-passage pairs scored. */
  budgetPairs: number;
  seed: number;
  train: TrainingSetConfig;
  evaluation: EvaluationSetConfig[];
  firstStage: FirstStage;
  candidateDepth: number;
  training: TrainingHyperparameters;
  /** Pairs seen at which a checkpoint is written and measured on the dev split; the last equals `budgetPairs`. */
  checkpointPairs: number[];
  metrics: string[];
  /** Fine-tune from this pretrained ladder's encoder of the preset (absent: random initial weights). */
  pretraining?: StudyPretraining;
}

/**
 * The id of a run: `<preset>-<objective>-<budget>p-seed<seed>-<hash>`, where the hash is the first 10 hex digits of
 * the sha256 of the canonical JSON of the spec without its id. Any change to the run's config gives a new id, so a
 * stored result can never be mistaken for one made under another config.
 *
 * @example runIdOf(spec) // "xs-listwise-1024p-seed1-3f9a0c1d2e"
 */
export function runIdOf(spec: Omit<RunSpec, "runId"> & { runId?: string }): string {
  const { runId: _ignored, ...fields } = spec;
  const preset = spec.preset.replace(/[^A-Za-z0-9.-]+/g, "_");
  return `${preset}-${spec.objective}-${spec.budgetPairs}p-seed${spec.seed}-${canonicalHash(fields, 10)}`;
}
