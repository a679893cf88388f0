import * as tf from "@tensorflow/tfjs";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Qrels } from "../data/dataset";
import type { Run } from "../data/trec-run";
import { evaluate } from "../metrics/evaluate";
import { AdamW } from "./adamw";
import { type CheckpointTensor, latestCheckpoint, pruneCheckpoints, readCheckpoint, writeCheckpoint } from "./checkpoint";
import { globalNormClipScale } from "./clip-by-global-norm";
import { ExampleOrder, type ExampleOrderState } from "./example-order";
import { linearWarmupDecay } from "./learning-rate-schedule";
import { ProgressBar, type ProgressStream } from "./progress-bar";
import { RANKING_LOSSES, type RankingObjective, rankingLoss } from "./ranking-loss";
import {
  type CheckpointMetrics,
  RUN_DIRECTORY_FILES,
  type TrainingLogLine,
  appendJsonLine,
  readJsonLines,
  truncateJsonLinesAfterStep,
  writeJsonFileAtomic,
} from "./run-directory";
import { type RerankCandidates, scoreCandidates } from "./score-candidates";
import type { TrainingData } from "./prepare-training-data";
import type { PairEncoder, TrainableModel, TrainingGroup } from "./trainable-model";

/** Measures a run against qrels: metric means and metric → query id → value (src/metrics `evaluate` fits). */
export type RunEvaluator = (
  run: Run,
  qrels: Qrels,
  metrics: readonly string[],
  options: { relevanceThreshold: number },
) => { means: Record<string, number>; perQuery: Record<string, Record<string, number>> };

export interface TrainOptions {
  /** Loss: "pointwise" (BCE), "pairwise" (RankNet), "listwise" (ListNet) or "lambda" (NDCG-weighted pairs). */
  objective: RankingObjective;
  /** Optimizer steps. */
  steps: number;
  /** Training examples (groups) per step; pairs per step = batch × group size. */
  batch: number;
  /** Peak learning rate of AdamW. */
  lr: number;
  /**
   * Peak learning rate of everything but the scoring head (`classifier.*`), on the same schedule: fine-tuning a
   * pretrained encoder usually wants it smaller than the new head's `lr`. Default: `lr`.
   */
  encoderLr?: number;
  /** Fraction of the steps spent in linear warmup (then linear decay to 0). Default 0.1. */
  warmup?: number;
  /** AdamW decoupled weight decay on matrices and embeddings. Default 0.01. */
  weightDecay?: number;
  /** Clip gradients to this global L2 norm (Infinity: no clipping). Default 1. */
  maxGradNorm?: number;
  /** Seed of the example order. The model's own seed fixes its initial weights. Default 0. */
  seed?: number;
  /** Tokenizes (query, passage) pairs into an EncodedBatch (src/data's tokenizer). Default: the `TrainingData`'s. */
  encode?: PairEncoder;
  /** Steps between checkpoints (dev evaluation + checkpoint file). Default: only at the end. */
  evalEvery?: number;
  /**
   * Further steps to checkpoint at, e.g. log-spaced ones for a data-scaling curve (`[25, 50, 100, 200, 400]`);
   * with `evalAt` alone, only those steps and the last one are checkpointed.
   */
  evalAt?: readonly number[];
  /** Dev candidates measured at every checkpoint (with qrels). Default: the `TrainingData`'s dev split. */
  evalOn?: RerankCandidates;
  /** Dev measures, canonical names. Default ["ndcg@10", "map", "mrr@10"]. */
  evalMetrics?: string[];
  /** Dev measure that selects the best checkpoint. Default: the first of `evalMetrics`. */
  selectBy?: string;
  /** Pairs per forward pass when scoring dev candidates. Default 64. */
  evalBatch?: number;
  /** Computes dev metrics from a run. Default: src/metrics `evaluate`. */
  evaluate?: RunEvaluator;
  /** Run directory (config.json, checkpoints/, metrics.jsonl, log.jsonl, summary.json). Default: none (in memory). */
  checkpointDir?: string;
  /** Step checkpoints kept (older ones are deleted; best.ckpt is kept apart). Default 2. */
  keepCheckpoints?: number;
  /** Continue from the newest valid checkpoint in `checkpointDir`. Default true. */
  resume?: boolean;
  /** Load the best dev checkpoint's weights into the model when training ends. Default false (final weights). */
  restoreBest?: boolean;
  /** Steps between lines of log.jsonl. Default 10. */
  logEvery?: number;
  /** Progress bar on stderr (true, default), off (false), or on another stream. */
  progress?: boolean | ProgressStream;
  /** Label for the progress bar. */
  name?: string;
  /** Extra JSON saved in config.json under `metadata` (e.g. dataset, tokenizer and encoding settings). */
  metadata?: Record<string, unknown>;
}

/** The options that define the run's result, saved in config.json and compared when resuming. */
export interface TrainConfig {
  objective: RankingObjective;
  steps: number;
  batch: number;
  groupSize: number;
  lr: number;
  /** Present only when it differs from `lr` (so older run directories still resume). */
  encoderLr?: number;
  warmup: number;
  warmupSteps: number;
  weightDecay: number;
  maxGradNorm: number;
  seed: number;
  evalEvery: number;
  /** Present only when given: extra checkpoint steps, sorted (older run directories still resume). */
  evalAt?: number[];
  evalMetrics: string[];
  selectBy: string;
  trainingExamples: number;
}

/** What `train` returns. */
export interface TrainRun {
  config: TrainConfig;
  /** The run directory, when `checkpointDir` was given. */
  runDir?: string;
  /** Step of the checkpoint this call resumed from (undefined: started fresh). */
  resumedFromStep?: number;
  /** Every checkpoint's metrics, including those written before a resumption. */
  checkpoints: CheckpointMetrics[];
  /** The checkpoint with the best dev `selectBy` value (undefined without `evalOn`). */
  best?: { step: number; metric: string; value: number };
  /** Query-passage pairs scored in training (steps × batch × group size). */
  pairsSeen: number;
  /** Training seconds (without evaluation), summed over resumptions. */
  trainSeconds: number;
  /** Training throughput of this call in query-passage pairs per second. */
  pairsPerSecond: number;
  /** tfjs backend the run trained on. */
  backend: string;
}

/** JSON state stored with every checkpoint besides the tensors. */
interface TrainerState {
  format: "rerank-scaling-train/1";
  config: TrainConfig;
  /** The model's config (`crossEncoder.create(modelConfig)` rebuilds it), so a checkpoint stands on its own. */
  modelConfig: unknown;
  order: ExampleOrderState;
  optimizerSteps: number;
  trainSeconds: number;
  best?: { step: number; metric: string; value: number };
  variableNames: string[];
}

const DEFAULT_EVAL_METRICS = ["ndcg@10", "map", "mrr@10"];

/**
 * Trains a reranker on training groups with a ranking loss, AdamW, linear warmup and decay, and gradient clipping;
 * measures the dev candidates at every checkpoint (the data-scaling curve in metrics.jsonl); writes atomic, verified
 * checkpoints; and, called again on the same `checkpointDir`, resumes from the newest valid checkpoint so that the
 * final weights equal those of an uninterrupted run (same backend). Deterministic given the model's seed and `seed`.
 *
 * `trainingData` is either the result of {@link prepareTrainingData} (examples, encoder and dev candidates) or a
 * plain list of examples with `options.encode` (and `options.evalOn` for dev metrics).
 *
 * @example
 * const data = prepareTrainingData(await datasets.load("wikiqa"), { objective: "pairwise", budgetPairs: 192_000, maxLength: 64 });
 * const model = crossEncoder.create({ preset: "0.4M", vocabSize: data.tokenizer.vocabSize, maxLen: 64, exactMatch: true });
 * const run = await train(model, data, { objective: "pairwise", steps: 3000, batch: 32, lr: 3e-4, warmup: 0.1,
 *   evalEvery: 250, checkpointDir: "runs/x" });
 * run.best // { step: 1750, metric: "ndcg@10", value: 0.71 }
 */
export async function train(
  model: TrainableModel,
  trainingData: readonly TrainingGroup[] | Pick<TrainingData, "examples" | "encode" | "dev">,
  trainOptions: TrainOptions,
): Promise<TrainRun> {
  const examples = "examples" in trainingData ? trainingData.examples : trainingData;
  const fromData = "examples" in trainingData ? { encode: trainingData.encode, evalOn: trainingData.dev } : {};
  const options = { ...fromData, ...trainOptions };
  const encode = options.encode;
  if (!encode) {
    throw new Error("train: no encoder. Pass options.encode (a tokenizer's pair encoder), or pass prepareTrainingData(...) as the examples.");
  }
  const config = resolveTrainConfig(examples, options);
  const variables = model.variables();
  const variableNames = model.variableNames?.() ?? variables.map((variable) => variable.name);
  const lossFunction = rankingLoss(config.objective);
  const runDir = options.checkpointDir === undefined ? undefined : path.resolve(options.checkpointDir);
  const checkpointsDir = runDir && path.join(runDir, RUN_DIRECTORY_FILES.checkpoints);
  const metricsFile = runDir && path.join(runDir, RUN_DIRECTORY_FILES.metrics);
  const logFile = runDir && path.join(runDir, RUN_DIRECTORY_FILES.log);
  const evaluateRun = options.evaluate ?? evaluateWithTrecMeasures;
  if (options.evalOn && !options.evalOn.qrels) {
    throw new Error("train: evalOn has no qrels; dev candidates need judgments to be measured.");
  }

  const evalAtSteps = new Set(config.evalAt ?? []);
  const encoderScale = (config.encoderLr ?? config.lr) / config.lr;
  const optimizer = new AdamW(variables, {
    weightDecay: config.weightDecay,
    learningRateScales: variableNames.map((name) => (isScoringHead(name) ? 1 : encoderScale)),
  });
  let order = new ExampleOrder(examples.length, config.seed);
  let step = 0;
  let trainSecondsBefore = 0;
  let best: TrainRun["best"];
  let bestWeights: CheckpointTensor[] | undefined;
  let resumedFromStep: number | undefined;

  if (runDir) {
    const configFile = path.join(runDir, RUN_DIRECTORY_FILES.config);
    const latest = options.resume === false ? undefined : latestCheckpoint<TrainerState>(checkpointsDir!);
    if (latest) {
      assertSameConfig(latest.state.config, config, runDir);
      restoreVariables(variables, latest.tensors.weights ?? [], latest.filePath);
      optimizer.setState({
        step: latest.state.optimizerSteps,
        firstMoments: (latest.tensors["adamw.first"] ?? []).map((tensor) => tensor.values),
        secondMoments: (latest.tensors["adamw.second"] ?? []).map((tensor) => tensor.values),
      });
      order = new ExampleOrder(examples.length, config.seed, latest.state.order);
      step = latest.step;
      trainSecondsBefore = latest.state.trainSeconds;
      best = latest.state.best;
      resumedFromStep = step;
    } else if (fs.existsSync(configFile) && options.resume !== false) {
      const saved = JSON.parse(fs.readFileSync(configFile, "utf8")) as { train?: TrainConfig };
      if (saved.train) assertSameConfig(saved.train, config, runDir);
    }
    truncateJsonLinesAfterStep(metricsFile!, step);
    truncateJsonLinesAfterStep(logFile!, step);
    if (step === 0) {
      // Starting over (fresh, resume: false, or nothing valid to resume from): no artifact of an earlier attempt stays.
      fs.rmSync(metricsFile!, { force: true });
      fs.rmSync(logFile!, { force: true });
      fs.rmSync(path.join(runDir, RUN_DIRECTORY_FILES.summary), { force: true });
      fs.rmSync(checkpointsDir!, { recursive: true, force: true });
    }
    writeJsonFileAtomic(configFile, {
      train: config,
      model: model.config ?? null,
      modelDescription: model.describe?.() ?? null,
      backend: tf.getBackend(),
      metadata: options.metadata ?? null,
      createdBy: "rerank-scaling train",
    });
  }

  let flopsPerPair: number | undefined; // at the training sequence length, from the first batch
  const pairsPerStep = config.batch * config.groupSize;
  const progressStream = options.progress === false ? undefined : options.progress === true || options.progress === undefined ? process.stderr : options.progress;
  const bar = progressStream && new ProgressBar(config.steps, { stream: progressStream, startStep: step, label: options.name });
  const checkpoints: CheckpointMetrics[] = metricsFile ? readJsonLines<CheckpointMetrics>(metricsFile) : [];

  let trainSecondsThisCall = 0;
  let pairsThisCall = 0;
  let lossSumSinceCheckpoint = 0;
  let stepsSinceCheckpoint = 0;
  let lossSumSinceLog = 0;
  let stepsSinceLog = 0;
  let secondsSinceLog = 0;
  let smoothedLoss = NaN;

  const checkpointAt = async (learningRate: number) => {
    const metrics: CheckpointMetrics = {
      step,
      examplesSeen: step * config.batch,
      pairsSeen: step * pairsPerStep,
      ...(flopsPerPair !== undefined ? { trainingFlops: step * pairsPerStep * flopsPerPair } : {}),
      trainLoss: stepsSinceCheckpoint > 0 ? lossSumSinceCheckpoint / stepsSinceCheckpoint : NaN,
      learningRate,
      trainSeconds: trainSecondsBefore + trainSecondsThisCall,
    };
    if (options.evalOn) {
      const run = await scoreCandidates(model, options.evalOn, { encode, batchSize: options.evalBatch });
      const measured = evaluateRun(run, options.evalOn.qrels!, config.evalMetrics, {
        relevanceThreshold: options.evalOn.relevanceThreshold ?? 1,
      });
      metrics.dev = measured.means;
      metrics.devPerQuery = measured.perQuery;
      const value = measured.means[config.selectBy];
      if (value === undefined) {
        throw new Error(`train: selectBy "${config.selectBy}" is not among the dev metrics ${config.evalMetrics.join(", ")}.`);
      }
      if (best === undefined || value > best.value) {
        best = { step, metric: config.selectBy, value };
        bestWeights = await readVariables(variables, variableNames);
        if (checkpointsDir) {
          writeCheckpoint(checkpointsDir, { step, tensors: { weights: bestWeights }, state: { best } }, {
            fileName: RUN_DIRECTORY_FILES.bestCheckpoint,
          });
        }
      }
      bar?.log(
        `step ${step}: dev ` +
          Object.entries(measured.means).map(([name, mean]) => `${name} ${mean.toFixed(4)}`).join(", ") +
          (best.step === step ? " (best)" : ""),
      );
    }
    checkpoints.push(metrics);
    if (metricsFile) appendJsonLine(metricsFile, metrics);
    if (checkpointsDir) {
      const optimizerState = await optimizer.getState();
      const state: TrainerState = {
        format: "rerank-scaling-train/1",
        config,
        modelConfig: model.config ?? null,
        order: order.getState(),
        optimizerSteps: optimizerState.step,
        trainSeconds: trainSecondsBefore + trainSecondsThisCall,
        best,
        variableNames,
      };
      const asTensors = (moments: Float32Array[]) =>
        moments.map((values, index) => ({ name: variableNames[index]!, shape: variables[index]!.shape, values }));
      writeCheckpoint(checkpointsDir, {
        step,
        tensors: {
          weights: await readVariables(variables, variableNames),
          "adamw.first": asTensors(optimizerState.firstMoments),
          "adamw.second": asTensors(optimizerState.secondMoments),
        },
        state,
      });
      pruneCheckpoints(checkpointsDir, options.keepCheckpoints ?? 2);
    }
    lossSumSinceCheckpoint = 0;
    stepsSinceCheckpoint = 0;
  };

  try {
    while (step < config.steps) {
      const startedAt = performance.now();
      const groups = order.next(config.batch).map((index) => examples[index]!);
      const pairs = groups.flatMap((group) => group.passages.map((passage) => ({ query: group.query, passage })));
      const learningRate = linearWarmupDecay(step, {
        peakLearningRate: config.lr,
        warmupSteps: config.warmupSteps,
        totalSteps: config.steps,
      });
      const encoded = encode(pairs);
      flopsPerPair ??= model.describe?.(encoded.seqLen).trainingFlopsPerExample;
      const readout = tf.tidy(() => {
        const labels = tf.tensor2d(groups.flatMap((group) => [...group.labels]), [config.batch, config.groupSize]);
        const { value, grads } = tf.variableGrads(
          () => lossFunction(model.score(encoded, { training: true }).reshape([config.batch, config.groupSize]), labels),
          variables,
        );
        const gradients = variables.map((variable) => grads[variable.name] ?? tf.zerosLike(variable));
        const { globalNorm, scale } = globalNormClipScale(gradients, config.maxGradNorm);
        optimizer.step(gradients, learningRate, scale);
        return tf.stack([value, globalNorm]);
      });
      // One asynchronous read per step for the loss and the norm: a GPU is not stalled by a synchronous read,
      // and WebGPU in Node has none.
      const read = await readout.data();
      readout.dispose();
      const lossValue = read[0]!;
      const gradientNorm = read[1]!;
      if (!Number.isFinite(lossValue)) {
        throw new Error(
          `train: the loss is ${lossValue} at step ${step + 1} (learning rate ${learningRate.toExponential(2)}). ` +
            `Lower lr or maxGradNorm; the last checkpoint in ${runDir ?? "(no checkpointDir)"} is intact.`,
        );
      }
      step += 1;
      const seconds = (performance.now() - startedAt) / 1000;
      trainSecondsThisCall += seconds;
      pairsThisCall += pairsPerStep;
      lossSumSinceCheckpoint += lossValue;
      stepsSinceCheckpoint += 1;
      lossSumSinceLog += lossValue;
      stepsSinceLog += 1;
      secondsSinceLog += seconds;
      smoothedLoss = Number.isNaN(smoothedLoss) ? lossValue : 0.95 * smoothedLoss + 0.05 * lossValue;
      bar?.update({ step, examplesPerSecond: pairsThisCall / trainSecondsThisCall, loss: smoothedLoss });
      if (logFile && (step % (options.logEvery ?? 10) === 0 || step === config.steps)) {
        const line: TrainingLogLine = {
          step,
          loss: lossSumSinceLog / stepsSinceLog,
          learningRate,
          gradientNorm,
          pairsPerSecond: (stepsSinceLog * pairsPerStep) / secondsSinceLog,
        };
        appendJsonLine(logFile, line);
        lossSumSinceLog = 0;
        stepsSinceLog = 0;
        secondsSinceLog = 0;
      }
      if (step % config.evalEvery === 0 || step === config.steps || evalAtSteps.has(step)) await checkpointAt(learningRate);
      else if (step % 8 === 0) await new Promise((resolve) => setImmediate(resolve)); // let output and signals through
    }
  } finally {
    bar?.finish();
  }

  if (options.restoreBest && best) {
    if (!bestWeights && checkpointsDir) {
      bestWeights = readCheckpoint(path.join(checkpointsDir, RUN_DIRECTORY_FILES.bestCheckpoint)).tensors.weights;
    }
    if (bestWeights) restoreVariables(variables, bestWeights, "best checkpoint");
  }
  const result: TrainRun = {
    config,
    runDir,
    resumedFromStep,
    checkpoints,
    best,
    pairsSeen: step * pairsPerStep,
    trainSeconds: trainSecondsBefore + trainSecondsThisCall,
    pairsPerSecond: trainSecondsThisCall > 0 ? pairsThisCall / trainSecondsThisCall : NaN,
    backend: tf.getBackend(),
  };
  if (runDir) {
    const { checkpoints: _all, ...summary } = result;
    writeJsonFileAtomic(path.join(runDir, RUN_DIRECTORY_FILES.summary), {
      ...summary,
      final: checkpoints[checkpoints.length - 1] ? withoutPerQuery(checkpoints[checkpoints.length - 1]!) : null,
    });
  }
  return result;
}

/** The scoring head: the layer a cross-encoder adds on top of its encoder, trained at `lr` even when `encoderLr` differs. */
function isScoringHead(variableName: string): boolean {
  return variableName.startsWith("classifier");
}

/** Fills defaults and validates options against the examples; errors name the option and the fix. */
export function resolveTrainConfig(examples: readonly TrainingGroup[], options: TrainOptions): TrainConfig {
  if (!Object.prototype.hasOwnProperty.call(RANKING_LOSSES, options.objective)) rankingLoss(options.objective);
  for (const field of ["steps", "batch"] as const) {
    const value = options[field];
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`train: ${field} must be a positive integer, got ${value}.`);
  }
  if (!(options.lr > 0 && Number.isFinite(options.lr))) throw new Error(`train: lr must be a positive number, got ${options.lr}.`);
  const warmup = options.warmup ?? 0.1;
  if (!(warmup >= 0 && warmup <= 1)) throw new Error(`train: warmup is a fraction of the steps in [0, 1], got ${warmup}.`);
  if (examples.length === 0) throw new Error("train: no training examples. Build them with the data module first.");
  const groupSize = examples[0]!.passages.length;
  examples.forEach((example, index) => {
    if (example.passages.length !== groupSize || example.labels.length !== groupSize) {
      throw new Error(
        `train: example ${index} has ${example.passages.length} passages and ${example.labels.length} labels; ` +
          `every example must have the same group size (${groupSize}, from example 0).`,
      );
    }
  });
  if (groupSize < 1) throw new Error("train: examples have no passages.");
  if (options.objective !== "pointwise" && groupSize < 2) {
    throw new Error(`train: objective "${options.objective}" needs groups of ≥ 2 passages, got ${groupSize}. Use "pointwise".`);
  }
  const evalEvery = options.evalEvery ?? options.steps;
  if (!(Number.isInteger(evalEvery) && evalEvery > 0)) {
    throw new Error(`train: evalEvery must be a positive number of steps, got ${evalEvery}.`);
  }
  const badEvalAt = options.evalAt?.find((step) => !(Number.isInteger(step) && step >= 1 && step <= options.steps));
  if (badEvalAt !== undefined) throw new Error(`train: evalAt holds ${badEvalAt}; each entry must be a step in 1..${options.steps}.`);
  const evalMetrics = options.evalMetrics ?? DEFAULT_EVAL_METRICS;
  const selectBy = options.selectBy ?? evalMetrics[0]!;
  if (!evalMetrics.includes(selectBy)) {
    throw new Error(`train: selectBy "${selectBy}" must be one of evalMetrics (${evalMetrics.join(", ")}).`);
  }
  if (options.encoderLr !== undefined && !(options.encoderLr >= 0 && Number.isFinite(options.encoderLr))) {
    throw new Error(`train: encoderLr must be a number ≥ 0 (0 freezes the encoder), got ${options.encoderLr}.`);
  }
  return {
    objective: options.objective,
    steps: options.steps,
    batch: options.batch,
    groupSize,
    lr: options.lr,
    ...(options.encoderLr !== undefined && options.encoderLr !== options.lr ? { encoderLr: options.encoderLr } : {}),
    warmup,
    warmupSteps: Math.round(warmup * options.steps),
    weightDecay: options.weightDecay ?? 0.01,
    maxGradNorm: options.maxGradNorm ?? 1,
    seed: options.seed ?? 0,
    evalEvery,
    ...(options.evalAt ? { evalAt: [...new Set(options.evalAt)].sort((left, right) => left - right) } : {}),
    evalMetrics: [...evalMetrics],
    selectBy,
    trainingExamples: examples.length,
  };
}

function assertSameConfig(saved: TrainConfig, current: TrainConfig, runDir: string): void {
  const differences = (Object.keys(current) as (keyof TrainConfig)[]).filter(
    (key) => JSON.stringify(saved[key]) !== JSON.stringify(current[key]),
  );
  if (differences.length > 0) {
    const details = differences.map((key) => `${key}: ${JSON.stringify(saved[key])} → ${JSON.stringify(current[key])}`);
    throw new Error(
      `train: ${runDir} holds a run with another config (${details.join("; ")}). ` +
        `Use a new checkpointDir, or pass resume: false to start this one over.`,
    );
  }
}

/** Copies of the variables' values, in order, as checkpoint tensors (read asynchronously, as WebGPU needs). */
function readVariables(variables: readonly tf.Variable[], names: readonly string[]): Promise<CheckpointTensor[]> {
  return Promise.all(variables.map(async (variable, index) => ({
    name: names[index]!,
    shape: [...variable.shape],
    values: ((await variable.data()) as Float32Array).slice(),
  })));
}

function restoreVariables(variables: readonly tf.Variable[], tensors: readonly CheckpointTensor[], source: string): void {
  if (tensors.length !== variables.length) {
    throw new Error(`train: ${source} holds ${tensors.length} weight tensors, the model has ${variables.length}. Another model shape?`);
  }
  variables.forEach((variable, index) => {
    const tensor = tensors[index]!;
    if (JSON.stringify(tensor.shape) !== JSON.stringify(variable.shape)) {
      throw new Error(
        `train: ${source} weight ${index} ("${tensor.name}") has shape [${tensor.shape}], ` +
          `the model's "${variable.name}" has [${variable.shape}]. Another model shape?`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(tensor.values, variable.shape, "float32")));
  });
}

function withoutPerQuery(metrics: CheckpointMetrics): Omit<CheckpointMetrics, "devPerQuery"> {
  const { devPerQuery: _perQuery, ...rest } = metrics;
  return rest;
}

/** trec_eval-exact measures from src/metrics, reshaped to metric → query id → value. */
export const evaluateWithTrecMeasures: RunEvaluator = (run, qrels, metrics, options) => {
  const result = evaluate(qrels, run, metrics, { relevanceThreshold: options.relevanceThreshold });
  const perQuery: Record<string, Record<string, number>> = {};
  for (const metric of Object.keys(result.mean)) perQuery[metric] = {};
  for (const [queryId, values] of result.perQuery) {
    for (const [metric, value] of Object.entries(values)) (perQuery[metric] ??= {})[queryId] = value;
  }
  return { means: result.mean, perQuery };
};
