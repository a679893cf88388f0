import * as fs from "node:fs";
import * as path from "node:path";
import { writePartsAtomic } from "./checkpoint";

/**
 * The layout of a training run directory, in one place so that the trainer, resume and the study runner agree:
 * - `config.json`: the resolved training config (and model config), written atomically at the start;
 * - `checkpoints/step-<8 digits>.ckpt`: weights, optimizer state, RNG and data position (see checkpoint.ts);
 * - `checkpoints/best.ckpt`: the weights of the checkpoint with the best dev metric (dev-split selection);
 * - `metrics.jsonl`: one {@link CheckpointMetrics} line per checkpoint — the data-scaling curve;
 * - `log.jsonl`: one {@link TrainingLogLine} every `logEvery` steps (loss, learning rate, gradient norm, speed);
 * - `summary.json`: written atomically when the run has finished (its presence marks a complete run).
 */
export const RUN_DIRECTORY_FILES = {
  config: "config.json",
  checkpoints: "checkpoints",
  bestCheckpoint: "best.ckpt",
  metrics: "metrics.jsonl",
  log: "log.jsonl",
  summary: "summary.json",
} as const;

/** One line of `metrics.jsonl`: where training stood at a checkpoint and what the dev candidates measured. */
export interface CheckpointMetrics {
  /** Optimizer steps completed. */
  step: number;
  /** Training groups (examples) drawn so far: step × batch. */
  examplesSeen: number;
  /** Query-passage pairs scored in training so far (the data budget unit shared by all objectives). */
  pairsSeen: number;
  /** Training FLOPs so far (pairsSeen × the model's training FLOPs per pair), when the model reports them. */
  trainingFlops?: number;
  /** Mean training loss over the steps since the previous checkpoint. */
  trainLoss: number;
  learningRate: number;
  /** Seconds of training (excluding evaluation) since the run started, summed over resumptions. */
  trainSeconds: number;
  /** Dev metrics (canonical names, e.g. "ndcg@10") averaged over the dev queries; absent without `evalOn`. */
  dev?: Record<string, number>;
  /** Dev metric → query id → value, for paired comparisons between checkpoints. */
  devPerQuery?: Record<string, Record<string, number>>;
}

/** One line of `log.jsonl`. */
export interface TrainingLogLine {
  step: number;
  /** Mean loss over the steps since the previous log line. */
  loss: number;
  learningRate: number;
  /** Global gradient norm before clipping, at this step. */
  gradientNorm: number;
  /** Query-passage pairs scored per second of training since the previous log line. */
  pairsPerSecond: number;
}

/** Writes JSON (pretty, final newline) atomically. */
export function writeJsonFileAtomic(filePath: string, value: unknown): void {
  writePartsAtomic(filePath, [Buffer.from(JSON.stringify(value, null, 2) + "\n", "utf8")]);
}

/** Appends one JSON line and flushes it to disk. */
export function appendJsonLine(filePath: string, record: unknown): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const descriptor = fs.openSync(filePath, "a");
  try {
    fs.writeSync(descriptor, JSON.stringify(record) + "\n");
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Reads a JSON-lines file (missing file: no lines). A last line without its newline, left by a process killed
 * mid-append, is dropped; a broken line anywhere else is an error naming the file and line.
 */
export function readJsonLines<T>(filePath: string): T[] {
  if (!fs.existsSync(filePath)) return [];
  const text = fs.readFileSync(filePath, "utf8");
  const lines = text.split("\n");
  const complete = lines.slice(0, -1); // what follows the last newline is empty or a torn line
  return complete
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== "")
    .map(({ line, index }) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`readJsonLines: ${filePath} line ${index + 1} is not valid JSON. Delete the run folder to start over.`);
      }
    });
}

/**
 * Keeps only the lines of a JSON-lines file with `step <= lastStep` (rewritten atomically): after resuming from a
 * checkpoint at `lastStep`, lines written later by the killed process are redone, not duplicated.
 */
export function truncateJsonLinesAfterStep(filePath: string, lastStep: number): void {
  if (!fs.existsSync(filePath)) return;
  const kept = readJsonLines<{ step: number }>(filePath).filter((record) => record.step <= lastStep);
  writePartsAtomic(filePath, [Buffer.from(kept.map((record) => JSON.stringify(record) + "\n").join(""), "utf8")]);
}
