import * as fs from "node:fs";
import * as path from "node:path";
import { bm25, datasets } from "../data";
import { documentText, getSplit, type Dataset, type DatasetSplit } from "../data/dataset";
import { formatRun, readRun, type Run } from "../data/trec-run";
import { WordPieceTokenizer } from "../data/wordpiece-tokenizer";
import { Random } from "../random";
import { canonicalHash } from "./canonical-json";
import { verifyCompletionMarker, writeCompletionMarker } from "./completion-marker";
import type { RunSpec } from "./run-spec";
import { STORE_FILES } from "./run-store";
import type { EvaluationSetConfig } from "./study-config";

/** Seed of the dev/train division of the training queries: fixed, so that every run of a study shares its dev split. */
export const DEV_SPLIT_SEED = 20240601;

/** The data of one run: datasets, the training and dev queries, first-stage candidates and the tokenizer. */
export interface StudyData {
  /** The training dataset with two added splits: `study-train` (training queries minus dev) and `study-dev`. */
  trainDataset: Dataset;
  /** First-stage candidates of the training split (hard negatives and dev candidates). */
  trainCandidates: Run;
  /** The evaluation sets: dataset, split (queries cut to `maxQueries`) and first-stage candidates. */
  evaluation: { set: EvaluationSetConfig; dataset: Dataset; split: DatasetSplit; candidates: Run }[];
  tokenizer: WordPieceTokenizer;
  /** The folder in the store where the prepared artifacts live. */
  preparedDir: string;
}

/**
 * What determines the prepared data: the spec's data fields and the registry manifests (files and their sha256)
 * of the datasets involved, so that a changed dataset gets new artifacts. Runs that agree on them share them.
 */
function dataFields(spec: RunSpec): unknown {
  const names = [...new Set([spec.train.dataset, ...spec.evaluation.map((set) => set.dataset)])].sort();
  return {
    manifests: names.map((name) => datasets.info(name)),
    train: spec.train,
    evaluation: spec.evaluation,
    firstStage: spec.firstStage,
    candidateDepth: spec.candidateDepth,
    vocabSize: spec.training.vocabSize,
  };
}

/**
 * Loads and prepares the data of a run. The artifacts that take seconds to make and are the same for every run
 * of a study — the dev division of the training queries, BM25 candidates of every split, the WordPiece
 * vocabulary trained on the training corpus — are built once into `<store>/prepared/<hash of the data config>/`
 * (in a temporary folder, checksummed with a completion marker, renamed into place) and read back by the other
 * runs; a prepared folder that fails its checksums is rebuilt, never used.
 *
 * Dev split: the training queries with at least one relevant document, shuffled with `DEV_SPLIT_SEED`; the
 * first `devQueries` are held out. Evaluation sets: the split's judged queries in file order, the first
 * `maxQueries` when set. Candidates: BM25 (Anserini defaults) top `candidateDepth`.
 *
 * @example const data = await prepareStudyData(spec, "runs/smoke");
 */
export async function prepareStudyData(spec: RunSpec, storeRoot: string): Promise<StudyData> {
  const key = canonicalHash(dataFields(spec), 12);
  const preparedDir = path.join(storeRoot, STORE_FILES.prepared, key);
  const trainSource = await datasets.load(spec.train.dataset);
  const loaded = new Map<string, Dataset>([[spec.train.dataset, trainSource]]);
  for (const set of spec.evaluation) {
    if (!loaded.has(set.dataset)) loaded.set(set.dataset, await datasets.load(set.dataset));
  }
  if (!fs.existsSync(preparedDir) || verifyCompletionMarker(preparedDir, key) !== undefined) {
    buildPrepared(spec, key, preparedDir, trainSource, loaded);
  }
  const devQueryIds = fs.readFileSync(path.join(preparedDir, "dev-queries.txt"), "utf8").split("\n").filter(Boolean);
  const trainSplit = getSplit(trainSource, spec.train.split);
  const devSet = new Set(devQueryIds);
  const subset = (queryIds: string[], name: string): DatasetSplit => ({
    ...trainSplit,
    name,
    queryIds,
    qrels: new Map(queryIds.filter((id) => trainSplit.qrels.has(id)).map((id) => [id, trainSplit.qrels.get(id)!])),
  });
  const trainDataset: Dataset = {
    ...trainSource,
    splits: {
      ...trainSource.splits,
      "study-train": subset(trainSplit.queryIds.filter((id) => !devSet.has(id)), "study-train"),
      "study-dev": subset(devQueryIds, "study-dev"),
    },
  };
  const evaluation = spec.evaluation.map((set) => {
    const dataset = loaded.get(set.dataset)!;
    const split = getSplit(dataset, set.split);
    const queryIds = evaluationQueryIds(split, set);
    return {
      set,
      dataset,
      split: { ...split, queryIds, qrels: new Map(queryIds.map((id) => [id, split.qrels.get(id)!])) },
      candidates: readRun(path.join(preparedDir, `candidates-${set.name}.trec`)),
    };
  });
  return {
    trainDataset,
    trainCandidates: readRun(path.join(preparedDir, "candidates-train.trec")),
    evaluation,
    tokenizer: WordPieceTokenizer.load(path.join(preparedDir, "vocab.txt")),
    preparedDir,
  };
}

/**
 * The queries of an evaluation set: the split's queries with at least one relevant judgment, in file order, cut to
 * the first `maxQueries` when set.
 * @example evaluationQueryIds(getSplit(scifact, "test"), { maxQueries: 40, ... }).length // 40
 */
export function evaluationQueryIds(split: DatasetSplit, set: Pick<EvaluationSetConfig, "maxQueries">): string[] {
  const judged = split.queryIds.filter((id) => [...(split.qrels.get(id)?.values() ?? [])].some((grade) => grade >= split.relevanceThreshold));
  return set.maxQueries === undefined ? judged : judged.slice(0, set.maxQueries);
}

function buildPrepared(spec: RunSpec, key: string, preparedDir: string, trainSource: Dataset, loaded: Map<string, Dataset>): void {
  const temporary = `${preparedDir}.tmp-${process.pid}`;
  fs.rmSync(temporary, { recursive: true, force: true });
  fs.mkdirSync(temporary, { recursive: true });
  const trainSplit = getSplit(trainSource, spec.train.split);
  const answerable = trainSplit.queryIds.filter((id) =>
    [...(trainSplit.qrels.get(id)?.values() ?? [])].some((grade) => grade >= trainSplit.relevanceThreshold),
  );
  if (answerable.length <= spec.train.devQueries) {
    throw new Error(
      `prepareStudyData: ${spec.train.dataset}/${spec.train.split} has ${answerable.length} queries with a relevant ` +
        `document; datasets.train.devQueries (${spec.train.devQueries}) must leave some for training.`,
    );
  }
  const devQueryIds = new Random(DEV_SPLIT_SEED).shuffle(answerable.slice()).slice(0, spec.train.devQueries);
  fs.writeFileSync(path.join(temporary, "dev-queries.txt"), devQueryIds.join("\n") + "\n");
  const trainRun = bm25.retrieve(trainSource, spec.train.split, { k: spec.candidateDepth });
  fs.writeFileSync(path.join(temporary, "candidates-train.trec"), formatRun(trainRun, { runTag: "bm25" }));
  for (const set of spec.evaluation) {
    const dataset = loaded.get(set.dataset)!;
    const split = getSplit(dataset, set.split);
    const queryIds = new Set(evaluationQueryIds(split, set));
    const run = bm25.retrieve(dataset, set.split, { k: spec.candidateDepth });
    for (const queryId of [...run.keys()]) if (!queryIds.has(queryId)) run.delete(queryId);
    fs.writeFileSync(path.join(temporary, `candidates-${set.name}.trec`), formatRun(run, { runTag: "bm25" }));
  }
  const texts = [...trainSource.documents.values()].map(documentText);
  for (const queryId of trainSplit.queryIds) texts.push(trainSource.queries.get(queryId) ?? "");
  WordPieceTokenizer.train(texts, { vocabSize: spec.training.vocabSize }).save(path.join(temporary, "vocab.txt"));
  writeCompletionMarker(temporary, key, 0);
  if (fs.existsSync(preparedDir) && verifyCompletionMarker(preparedDir, key) === undefined) {
    fs.rmSync(temporary, { recursive: true, force: true }); // another worker finished the same artifacts first
    return;
  }
  fs.rmSync(preparedDir, { recursive: true, force: true }); // a corrupt earlier attempt
  try {
    fs.renameSync(temporary, preparedDir);
  } catch (error) {
    // Another worker put the same (deterministic) artifacts in place first: use theirs.
    fs.rmSync(temporary, { recursive: true, force: true });
    if (!fs.existsSync(preparedDir)) throw error;
  }
}
