import {
  CHECKPOINT_SELECTIONS,
  CHECKPOINT_SPACINGS,
  EVALUATION_ROLES,
  FIRST_STAGES,
  OBJECTIVES,
  RUN_ORDERS,
  STUDY_SCALES,
  type StudyConfig,
} from "./study-config";

/** Registries to check names against; each list is optional (an absent list skips that check). */
export interface StudyConfigRegistries {
  /** Model size presets that exist (from the model's preset ladder). */
  presets?: readonly string[];
  /** Registered dataset names. */
  datasets?: readonly string[];
  /** Returns an error text for a measure name it cannot compute, undefined when it can. */
  checkMetric?: (name: string) => string | undefined;
}

/** The shape of a canonical measure name (`ndcg@10`, `map`, `mrr@10`, `P@10`, `ce@32`); `checkMetric` checks the rest. */
const CANONICAL_METRIC = /^[A-Za-z][A-Za-z0-9_]*(@[0-9.]+)?$/;

/**
 * Checks that `input` (parsed JSON, never evaluated code) is a complete, consistent `StudyConfig` and returns it
 * typed. Every error names the field by its path and says what is allowed, e.g.
 * `study config: objectives[1] must be one of pointwise, pairwise, listwise; got "pairwize".`
 * Unknown fields are errors too (a typo would otherwise be silently ignored).
 *
 * @example validateStudyConfig(defaultStudyConfig("smoke")) // returns the same config
 */
export function validateStudyConfig(input: unknown, registries: StudyConfigRegistries = {}): StudyConfig {
  const config = object(input, "(top level)", [
    "name", "scale", "datasets", "presets", "customPresets", "objectives", "dataBudgetsPairs", "seeds", "checkpoints", "metrics",
    "training", "pretraining", "order",
  ]);
  const name = string(config.name, "name");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    fail("name", `must be a folder-safe name (letters, digits, ".", "_", "-")`, name);
  }
  oneOf(config.scale, "scale", STUDY_SCALES);

  const datasets = object(config.datasets, "datasets", ["train", "evaluation", "firstStage", "candidateDepth"]);
  const train = object(datasets.train, "datasets.train", ["dataset", "split", "devQueries"]);
  datasetName(train.dataset, "datasets.train.dataset", registries);
  string(train.split, "datasets.train.split");
  integer(train.devQueries, "datasets.train.devQueries", 1);
  const evaluation = array(datasets.evaluation, "datasets.evaluation");
  const evaluationNames = new Set<string>();
  evaluation.forEach((item, index) => {
    const where = `datasets.evaluation[${index}]`;
    const set = object(item, where, ["name", "dataset", "split", "role", "maxQueries"]);
    const setName = string(set.name, `${where}.name`);
    if (evaluationNames.has(setName)) fail(`${where}.name`, "must be unique among the evaluation sets", setName);
    if (setName === "dev") fail(`${where}.name`, `must not be "dev" (the name of the held-out training queries)`, setName);
    evaluationNames.add(setName);
    datasetName(set.dataset, `${where}.dataset`, registries);
    string(set.split, `${where}.split`);
    oneOf(set.role, `${where}.role`, EVALUATION_ROLES);
    if (set.maxQueries !== undefined) integer(set.maxQueries, `${where}.maxQueries`, 1);
  });
  oneOf(datasets.firstStage, "datasets.firstStage", FIRST_STAGES);
  const candidateDepth = integer(datasets.candidateDepth, "datasets.candidateDepth", 2);

  const customNames: string[] = [];
  if (config.customPresets !== undefined) {
    const custom = object(config.customPresets, "customPresets", Object.keys(config.customPresets ?? {}));
    for (const [presetName, shapeValue] of Object.entries(custom)) {
      const where = `customPresets.${presetName}`;
      if (registries.presets?.includes(presetName)) fail(where, "must not reuse the name of a ladder preset", presetName);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(presetName)) fail(where, "must have a folder-safe name", presetName);
      const shape = object(shapeValue, where, ["layers", "hidden", "heads"]);
      integer(shape.layers, `${where}.layers`, 1);
      const hidden = integer(shape.hidden, `${where}.hidden`, 2);
      const heads = integer(shape.heads, `${where}.heads`, 1);
      if (hidden % heads !== 0) fail(`${where}.hidden`, `must be divisible by heads (${heads})`, hidden);
      customNames.push(presetName);
    }
  }
  const presets = array(config.presets, "presets", { unique: true });
  presets.forEach((preset, index) => {
    if (registries.presets) oneOf(preset, `presets[${index}]`, [...registries.presets, ...customNames]);
    else string(preset, `presets[${index}]`);
  });
  array(config.objectives, "objectives", { unique: true }).forEach((objective, index) =>
    oneOf(objective, `objectives[${index}]`, OBJECTIVES),
  );
  array(config.dataBudgetsPairs, "dataBudgetsPairs", { unique: true }).forEach((budget, index) =>
    integer(budget, `dataBudgetsPairs[${index}]`, 1),
  );
  array(config.seeds, "seeds", { unique: true }).forEach((seed, index) => integer(seed, `seeds[${index}]`, 0));

  const checkpoints = object(config.checkpoints, "checkpoints", ["count", "spacing"]);
  integer(checkpoints.count, "checkpoints.count", 1);
  oneOf(checkpoints.spacing, "checkpoints.spacing", CHECKPOINT_SPACINGS);

  array(config.metrics, "metrics", { unique: true }).forEach((metric, index) => {
    const where = `metrics[${index}]`;
    const metricName = string(metric, where);
    if (!CANONICAL_METRIC.test(metricName)) {
      fail(where, "must be a canonical measure name such as ndcg@10, map, mrr@10, recall@100, P@10 or ce@32", metricName);
    }
    const problem = registries.checkMetric?.(metricName);
    if (problem) fail(where, problem, metricName);
  });

  const training = object(config.training, "training", [
    "batchPairs", "learningRate", "warmupFraction", "maxSeqLen", "listwiseGroupSize", "exactMatch", "vocabSize",
    "checkpointSelection",
  ]);
  integer(training.batchPairs, "training.batchPairs", 1);
  number(training.learningRate, "training.learningRate", { above: 0 });
  number(training.warmupFraction, "training.warmupFraction", { atLeast: 0, below: 1 });
  integer(training.maxSeqLen, "training.maxSeqLen", 8);
  const groupSize = integer(training.listwiseGroupSize, "training.listwiseGroupSize", 2);
  if (candidateDepth < groupSize) {
    fail("training.listwiseGroupSize", `must not exceed datasets.candidateDepth (${candidateDepth})`, groupSize);
  }
  if (typeof training.exactMatch !== "boolean") fail("training.exactMatch", "must be true or false", training.exactMatch);
  integer(training.vocabSize, "training.vocabSize", 100);
  oneOf(training.checkpointSelection, "training.checkpointSelection", CHECKPOINT_SELECTIONS);
  if (config.pretraining !== undefined) {
    const pretraining = object(config.pretraining, "pretraining", ["ownLadder", "encoderLearningRate"]);
    const ladder = object(pretraining.ownLadder, "pretraining.ownLadder", [
      "datasets", "steps", "batchSize", "learningRate", "vocabSize", "maxDocumentsPerDataset", "seed",
    ]);
    array(ladder.datasets, "pretraining.ownLadder.datasets", { unique: true }).forEach((dataset, index) =>
      datasetName(dataset, `pretraining.ownLadder.datasets[${index}]`, registries),
    );
    integer(ladder.steps, "pretraining.ownLadder.steps", 0);
    if (ladder.batchSize !== undefined) integer(ladder.batchSize, "pretraining.ownLadder.batchSize", 1);
    if (ladder.learningRate !== undefined) number(ladder.learningRate, "pretraining.ownLadder.learningRate", { above: 0 });
    if (ladder.vocabSize !== undefined) integer(ladder.vocabSize, "pretraining.ownLadder.vocabSize", 100);
    if (ladder.maxDocumentsPerDataset !== undefined) integer(ladder.maxDocumentsPerDataset, "pretraining.ownLadder.maxDocumentsPerDataset", 1);
    if (ladder.seed !== undefined) integer(ladder.seed, "pretraining.ownLadder.seed", 0);
    if (pretraining.encoderLearningRate !== undefined) number(pretraining.encoderLearningRate, "pretraining.encoderLearningRate", { atLeast: 0 });
  }
  oneOf(config.order, "order", RUN_ORDERS);
  return input as StudyConfig;
}

function fail(field: string, rule: string, got: unknown): never {
  throw new Error(`study config: ${field} ${rule}; got ${JSON.stringify(got) ?? String(got)}.`);
}

function object(value: unknown, field: string, allowedKeys: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(field, "must be an object", value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowedKeys.includes(key)) {
      const prefix = field === "(top level)" ? "" : `${field}.`;
      const near = allowedKeys.find((allowed) => allowed.toLowerCase() === key.toLowerCase() || editDistance(allowed, key) <= 2);
      throw new Error(
        `study config: ${prefix}${key} is not a known field${near ? ` (did you mean ${prefix}${near}?)` : ""}. ` +
          `Known fields here: ${allowedKeys.join(", ")}.`,
      );
    }
  }
  return record;
}

function array(value: unknown, field: string, options: { unique?: boolean } = {}): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(field, "must be a non-empty list", value);
  if (options.unique) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = JSON.stringify(item);
      if (seen.has(key)) fail(field, `must not repeat ${key}`, value);
      seen.add(key);
    }
  }
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) fail(field, "must be a non-empty string", value);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) fail(field, `must be one of ${allowed.join(", ")}`, value);
  return value as T;
}

function datasetName(value: unknown, field: string, registries: StudyConfigRegistries): string {
  return registries.datasets ? oneOf(value, field, registries.datasets) : string(value, field);
}

function integer(value: unknown, field: string, minimum: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    fail(field, `must be an integer >= ${minimum}`, value);
  }
  return value;
}

function number(value: unknown, field: string, bounds: { above?: number; atLeast?: number; below?: number }): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (bounds.above === undefined || value > bounds.above) &&
    (bounds.atLeast === undefined || value >= bounds.atLeast) &&
    (bounds.below === undefined || value < bounds.below);
  if (!ok) {
    const rules = [
      bounds.above !== undefined ? `> ${bounds.above}` : undefined,
      bounds.atLeast !== undefined ? `>= ${bounds.atLeast}` : undefined,
      bounds.below !== undefined ? `< ${bounds.below}` : undefined,
    ].filter(Boolean);
    fail(field, `must be a finite number ${rules.join(" and ")}`, value);
  }
  return value as number;
}

function editDistance(left: string, right: string): number {
  const previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= right.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (left[i - 1] === right[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[right.length]!;
}
