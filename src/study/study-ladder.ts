import * as fs from "node:fs";
import * as path from "node:path";
import { WordPieceTokenizer } from "../data/wordpiece-tokenizer";
import { selectBackend } from "../model/backend";
import { readBertCheckpoint, type BertCheckpoint } from "../model/bert-checkpoint";
import { cacheDir } from "../paths";
import type { MlmPretrainingOptions, MlmPretrainingResult } from "../train/mlm";
import { buildOwnLadder } from "../train/own-ladder";
import { canonicalHash } from "./canonical-json";
import type { RunSpec } from "./run-spec";
import type { StudyPretraining } from "./study-config";

/**
 * The pretrained ladder a study fine-tunes from (`pretraining.ownLadder` in its config): where it is cached, how the
 * runner builds it before the first run starts, and how a worker loads its preset's encoder and the ladder's
 * vocabulary. The folder is named by a hash of the ladder's settings and the sequence length, so studies that ask
 * for the same ladder share it and a changed setting never reuses a stale one.
 */

/** `<cacheDir()>/ladders/study-<hash>`: one folder per preset inside, and the ladder's `vocab.txt`. */
export function studyLadderRoot(pretraining: StudyPretraining, seqLen: number): string {
  return path.join(cacheDir(), "ladders", `study-${canonicalHash({ ...pretraining.ownLadder, seqLen }, 10)}`);
}

/**
 * Builds (or finds cached) the encoders of every preset that `specs` fine-tune from a ladder, one preset after
 * another in this process (on the backend `selectBackend` picks), and returns each preset's pretraining record. Runs without `pretraining` need nothing.
 */
export async function prepareStudyLadder(
  specs: readonly RunSpec[],
  progress?: MlmPretrainingOptions["progress"],
  signal?: AbortSignal,
): Promise<Record<string, MlmPretrainingResult>> {
  const pretrained = specs.filter((spec) => spec.pretraining);
  if (pretrained.length === 0) return {};
  const { pretraining, training } = pretrained[0]!;
  // The runner pretrains in its own process: the same backend choice as a worker's (tfjs would default to "cpu").
  const backend = await selectBackend();
  console.error(`pretraining backend: ${backend.name} (${backend.reason})`);
  const shapes = Object.fromEntries(pretrained.map((spec) => [spec.preset, spec.model]));
  const ladder = await buildOwnLadder({
    outRoot: studyLadderRoot(pretraining!, training.maxSeqLen),
    datasets: pretraining!.ownLadder.datasets,
    presets: Object.keys(shapes).sort((left, right) => shapes[left]!.hidden * shapes[left]!.layers - shapes[right]!.hidden * shapes[right]!.layers),
    shapes,
    steps: pretraining!.ownLadder.steps,
    seqLen: training.maxSeqLen,
    batchSize: pretraining!.ownLadder.batchSize,
    learningRate: pretraining!.ownLadder.learningRate,
    vocabSize: pretraining!.ownLadder.vocabSize,
    maxDocumentsPerDataset: pretraining!.ownLadder.maxDocumentsPerDataset,
    seed: pretraining!.ownLadder.seed ?? 0,
    progress,
    signal,
  });
  return ladder.encoders;
}

/** What a worker fine-tunes from: the preset's pretrained encoder, the ladder's tokenizer, and its pretraining record. */
export interface StudyLadderEncoder {
  folder: string;
  encoder: BertCheckpoint;
  tokenizer: WordPieceTokenizer;
  record: MlmPretrainingResult;
}

/** Loads the run's pretrained encoder; a clear error when the ladder was not built (the runner builds it first). */
export function loadStudyLadderEncoder(spec: RunSpec): StudyLadderEncoder {
  if (!spec.pretraining) throw new Error(`loadStudyLadderEncoder: run ${spec.runId} has no pretraining; it trains from random weights.`);
  const root = studyLadderRoot(spec.pretraining, spec.training.maxSeqLen);
  const folder = path.join(root, spec.preset);
  const recordFile = path.join(folder, "pretraining.json");
  const record = fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, "utf8")) as MlmPretrainingResult) : undefined;
  if (!record?.finished) {
    throw new Error(
      `run ${spec.runId}: the pretrained encoder of preset ${spec.preset} is not in ${folder} (or its pretraining did not finish). ` +
        `runStudy (rerank-scaling study) builds the ladder before starting runs; run the study again, or check RERANK_CACHE.`,
    );
  }
  return { folder, encoder: readBertCheckpoint(folder), tokenizer: WordPieceTokenizer.load(path.join(root, "vocab.txt"), { lowerCase: true }), record };
}
