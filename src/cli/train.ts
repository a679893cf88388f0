import * as fs from "node:fs";
import * as path from "node:path";
import * as datasets from "../data/datasets";
import { retrieve as bm25Retrieve } from "../data/bm25";
import { documentText, getSplit } from "../data/dataset";
import { formatRun, readRun, writeRun, type Run } from "../data/trec-run";
import { WordPieceTokenizer } from "../data/wordpiece-tokenizer";
import { evaluate } from "../metrics/evaluate";
import { crossEncoder, selectBackend, SIZE_PRESET_NAMES, type BackendName, type CreateOptions, type CrossEncoderConfig, type SizePresetName } from "../model";
import { RUN_DIRECTORY_FILES, latestCheckpoint, prepareTrainingData, readCheckpoint, rerankRun, train, type PairEncoder, type RankingObjective, RANKING_LOSSES } from "../train";

const USAGE = `usage: rerank-scaling train --dataset NAME --out RUN_DIR [options]
       rerank-scaling train rerank --run-dir RUN_DIR [--split test] [--candidates RUN.trec] [--depth 100] [--out RERANKED.trec] [--eval]

Trains a cross-encoder reranker on a registered dataset's training split (dev split held out for checkpoint
selection; negatives from the split's candidates or BM25), writing RUN_DIR/{config.json, vocab.txt, checkpoints/,
metrics.jsonl, log.jsonl, summary.json}. Run it again with the same options to resume after a crash or kill -9.
"train rerank" scores a first-stage run (default: the split's candidates, else BM25 top-depth) with the run's best
dev checkpoint and writes the reranked TREC run (to --out, or stdout).

training options:
  --preset NAME        model size: ${SIZE_PRESET_NAMES.join(", ")} (default 0.1M); or --layers L --hidden D --heads H
  --objective NAME     ${Object.keys(RANKING_LOSSES).join(" | ")} (default listwise)
  --group N            passages per listwise/lambda example, 1 positive + N-1 negatives (default 8)
  --budget-pairs N     training data in query-passage pairs scored (default: steps x batch x group)
  --steps N            optimizer steps (default: budget / (batch x group), else 300)
  --batch N            examples per step (default 16)
  --lr X               peak AdamW learning rate (default 1e-3); --warmup X fraction of steps (default 0.1)
  --max-len N          tokens per [CLS] q [SEP] p [SEP] row (default 64); --vocab N WordPiece size (default 8000)
  --eval-every N       steps between checkpoints with dev evaluation (default steps / 5)
  --split NAME         training split (default train); --dev-fraction X (default 0.2); --seed N (default 1)
  --backend NAME       force a backend (tensorflow-gpu, tensorflow, webgpu, wasm, cpu)
  --no-exact-match     leave out the exact-match input flag; --no-progress hides the progress bar`;

const VALUE_FLAGS = [
  "dataset", "out", "preset", "layers", "hidden", "heads", "objective", "group", "budget-pairs", "steps", "batch", "lr",
  "warmup", "max-len", "vocab", "eval-every", "split", "dev-fraction", "seed", "backend", "run-dir", "candidates", "depth",
];

interface ParsedArguments {
  values: Record<string, string>;
  flags: Set<string>;
}

function parseArguments(args: readonly string[]): ParsedArguments {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.replace(/^--/, "");
    if (["--no-exact-match", "--no-progress", "--eval", "--help", "-h"].includes(arg)) flags.add(name);
    else if (arg.startsWith("--") && VALUE_FLAGS.includes(name) && args[i + 1] !== undefined) values[name] = args[++i]!;
    else throw new Error(`rerank-scaling train: unknown or incomplete argument "${arg}".\n${USAGE}`);
  }
  return { values, flags };
}

function numberOption(values: Record<string, string>, name: string, fallback: number, integer = false): number {
  if (values[name] === undefined) return fallback;
  const value = Number(values[name]);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`rerank-scaling train: --${name} needs ${integer ? "an integer" : "a number"}, got ${JSON.stringify(values[name])}.`);
  }
  return value;
}

/** Settings besides the model and trainer that a run directory needs to rebuild its encoder (config.json `metadata`). */
interface RunMetadata {
  dataset: string;
  split: string;
  maxLength: number;
  exactMatch: boolean;
  vocabFile: string;
  devQueryIds: string[];
  candidateSource: string;
  budgetPairs: number;
}

/** `rerank-scaling train …`: trains (or resumes) a run; `rerank-scaling train rerank …` reranks with it. */
export async function run(args: string[]): Promise<number> {
  if (args[0] === "rerank") return rerankCommand(parseArguments(args.slice(1)));
  const { values, flags } = parseArguments(args);
  if (flags.has("help") || flags.has("h")) {
    console.log(USAGE);
    return 0;
  }
  if (!values.dataset || !values.out) {
    console.error(`rerank-scaling train: --dataset and --out are required. Datasets: ${datasets.list().map((m) => m.name).join(", ")}.\n${USAGE}`);
    return 2;
  }
  const objective = (values.objective ?? "listwise") as RankingObjective;
  if (!(objective in RANKING_LOSSES)) throw new Error(`rerank-scaling train: --objective must be one of ${Object.keys(RANKING_LOSSES).join(", ")}, got "${objective}".`);
  const groupSize = objective === "pointwise" ? 1 : objective === "pairwise" ? 2 : numberOption(values, "group", 8, true);
  const batch = numberOption(values, "batch", 16, true);
  const pairsPerStep = batch * groupSize;
  const steps = values.steps !== undefined
    ? numberOption(values, "steps", 0, true)
    : values["budget-pairs"] !== undefined ? Math.max(1, Math.floor(numberOption(values, "budget-pairs", 0) / pairsPerStep)) : 300;
  const budgetPairs = numberOption(values, "budget-pairs", steps * pairsPerStep);
  const maxLength = numberOption(values, "max-len", 64, true);
  const exactMatch = !flags.has("no-exact-match");
  const seed = numberOption(values, "seed", 1, true);

  const backend = await selectBackend(values.backend ? { prefer: values.backend as BackendName } : {});
  console.error(`backend: ${backend.name} (${backend.reason})`);
  const dataset = await datasets.load(values.dataset);
  const split = values.split ?? "train";
  const runDir = path.resolve(values.out);
  const vocabFile = path.join(runDir, "vocab.txt");
  const data = prepareTrainingData(dataset, {
    objective, groupSize, budgetPairs, maxLength, split, exactMatch, seed,
    devFraction: numberOption(values, "dev-fraction", 0.2),
    vocabSize: numberOption(values, "vocab", 8000, true),
    // A resumed run keeps the vocabulary it started with.
    tokenizer: fs.existsSync(vocabFile) ? WordPieceTokenizer.load(vocabFile, { lowerCase: true }) : undefined,
  });
  if (!fs.existsSync(vocabFile)) data.tokenizer.save(vocabFile);
  const shape: CreateOptions = values.layers || values.hidden || values.heads
    ? { layers: numberOption(values, "layers", 2, true), hidden: numberOption(values, "hidden", 128, true), heads: numberOption(values, "heads", 4, true) }
    : { preset: (values.preset ?? "0.1M") as SizePresetName };
  const model = crossEncoder.create({ ...shape, vocabSize: data.tokenizer.vocabSize, maxLen: maxLength, exactMatch, seed } as CreateOptions);
  console.error(
    `${dataset.name}/${split}: ${data.examples.length} examples (${budgetPairs} pairs budget) from ${data.trainQueryIds.length} queries, ` +
      `${data.devQueryIds.length} dev queries; ${model.describe(maxLength).nonEmbeddingParams} non-embedding parameters`,
  );
  const metadata: RunMetadata = {
    dataset: dataset.name, split, maxLength, exactMatch, vocabFile: "vocab.txt", devQueryIds: data.devQueryIds,
    candidateSource: data.candidateSource, budgetPairs,
  };
  const result = await train(model, data.examples, {
    objective, steps, batch, seed,
    lr: numberOption(values, "lr", 1e-3),
    warmup: numberOption(values, "warmup", 0.1),
    evalEvery: numberOption(values, "eval-every", Math.max(1, Math.round(steps / 5)), true),
    evalOn: data.dev,
    encode: data.encode,
    checkpointDir: runDir,
    progress: !flags.has("no-progress"),
    name: path.basename(runDir),
    metadata: metadata as unknown as Record<string, unknown>,
  });
  model.dispose();
  const { checkpoints, ...summary } = result;
  console.log(JSON.stringify({ ...summary, final: checkpoints[checkpoints.length - 1]?.dev ?? null }));
  return 0;
}

async function rerankCommand({ values, flags }: ParsedArguments): Promise<number> {
  if (!values["run-dir"]) {
    console.error(`rerank-scaling train rerank: --run-dir is required.\n${USAGE}`);
    return 2;
  }
  const runDir = path.resolve(values["run-dir"]);
  const configFile = path.join(runDir, RUN_DIRECTORY_FILES.config);
  if (!fs.existsSync(configFile)) throw new Error(`rerank-scaling train rerank: ${configFile} not found; is ${runDir} a run directory made by "rerank-scaling train"?`);
  const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as { model: CrossEncoderConfig; metadata: RunMetadata };
  if (!config.metadata?.vocabFile) throw new Error(`rerank-scaling train rerank: ${configFile} has no tokenizer metadata; it was not made by "rerank-scaling train".`);
  await selectBackend(values.backend ? { prefer: values.backend as BackendName } : {});
  const bestFile = path.join(runDir, RUN_DIRECTORY_FILES.checkpoints, RUN_DIRECTORY_FILES.bestCheckpoint);
  const checkpoint = fs.existsSync(bestFile) ? readCheckpoint(bestFile) : latestCheckpoint(path.join(runDir, RUN_DIRECTORY_FILES.checkpoints));
  if (!checkpoint) throw new Error(`rerank-scaling train rerank: ${runDir} has no valid checkpoint yet; train first.`);
  const model = crossEncoder.create(config.model);
  model.setWeights(checkpoint.tensors.weights!);
  const tokenizer = WordPieceTokenizer.load(path.join(runDir, config.metadata.vocabFile), { lowerCase: true });
  const encode: PairEncoder = (pairs) =>
    tokenizer.encodePairs(pairs.map((pair) => [pair.query, pair.passage] as const), { maxLength: config.metadata.maxLength, exactMatch: config.metadata.exactMatch });

  const dataset = await datasets.load(config.metadata.dataset);
  const splitName = values.split ?? "test";
  const split = getSplit(dataset, splitName);
  const depth = numberOption(values, "depth", 100, true);
  const shipped = split.candidates && Object.values(split.candidates)[0];
  const firstStage: Run = values.candidates ? readRun(values.candidates) : shipped ?? bm25Retrieve(dataset, splitName, { k: depth });
  const reranked = await rerankRun(model, firstStage, {
    queries: dataset.queries,
    documents: (docId) => {
      const document = dataset.documents.get(docId);
      return document && documentText(document);
    },
    depth,
    encode,
    batchSize: 128,
  });
  model.dispose();
  const runTag = `rerank-${path.basename(runDir)}`.replace(/\s+/g, "_");
  if (values.out) writeRun(values.out, reranked, { runTag });
  else if (!flags.has("eval")) process.stdout.write(formatRun(reranked, { runTag }));
  if (flags.has("eval")) {
    const result = evaluate(split.qrels, reranked, ["ndcg_cut.10", "map", "mrr_cut.10"], { relevanceThreshold: split.relevanceThreshold });
    console.log(`checkpoint step ${checkpoint.step}`);
    for (const measure of result.measures) console.log(`${measure}\t${result.mean[measure]!.toFixed(4)}`);
  }
  return 0;
}
