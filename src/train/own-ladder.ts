import * as fs from "node:fs";
import * as path from "node:path";
import { documentText } from "../data/dataset";
import * as datasets from "../data/datasets";
import { WordPieceTokenizer } from "../data/wordpiece-tokenizer";
import { cacheDir } from "../paths";
import { SIZE_PRESET_NAMES, type SizePresetName } from "../model/size-presets";
import { pretrainMlm, type MlmPretrainingOptions, type MlmPretrainingResult } from "./mlm";

/**
 * "Our own ladder": one MLM-pretrained BERT per size preset, on the document text of registered datasets (no
 * queries, no judgments), with one WordPiece vocabulary trained on the same text. Everything is cached under
 * `outRoot` (default `<cacheDir()>/ladders/<name>`): `vocab.txt`, then one HF BERT folder per preset that
 * `encoders.load(folder)` reads. Run once; a later call returns the cached results, an interrupted one resumes.
 * Pretraining compute is reported per preset (`pretrainingFlops`) so studies can add it apart from fine-tuning.
 *
 * Note: pretraining on the documents of a test collection is in-domain, unsupervised adaptation (no labels are
 * read); say so when comparing with encoders pretrained elsewhere.
 * @example const ladder = await buildOwnLadder({ datasets: ["scifact"], presets: ["0.1M", "0.4M"], steps: 2000 })
 */
export interface OwnLadderOptions {
  /** Names for the cache folder (default "own"). */
  name?: string;
  /** Where to write (default `<cacheDir()>/ladders/<name>`). */
  outRoot?: string;
  /** Registered datasets whose documents form the corpus. */
  datasets: readonly string[];
  /** Presets to pretrain (default: all, smallest first): names of the model's ladder, or keys of `shapes`. */
  presets?: readonly string[];
  /** Shapes of presets that are not in the model's ladder (e.g. a study's tinier custom presets). */
  shapes?: Record<string, { layers: number; hidden: number; heads: number; ffn?: number }>;
  /** WordPiece vocabulary size, special tokens included (default 8192). */
  vocabSize?: number;
  /** Use at most this many documents per dataset, the first ones in file order (default: all). */
  maxDocumentsPerDataset?: number;
  /** MLM settings shared by the presets (steps is required); see {@link pretrainMlm}. */
  steps: number;
  seqLen?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  checkpointEvery?: number;
  progress?: MlmPretrainingOptions["progress"];
  /** Aborting stops the preset being pretrained at its next step, checkpointed (see `pretrainMlm`). */
  signal?: AbortSignal;
}

/** What {@link buildOwnLadder} built. */
export interface OwnLadder {
  outRoot: string;
  vocabularyFile: string;
  documents: number;
  /** Per preset: the checkpoint folder and its pretraining record. */
  encoders: Record<string, MlmPretrainingResult>;
  /** Wall seconds over all presets (summed from their records, resumptions included). */
  totalWallSeconds: number;
  totalPretrainingFlops: number;
}

/** Builds (or resumes, or returns) the ladder; see {@link OwnLadderOptions}. */
export async function buildOwnLadder(options: OwnLadderOptions): Promise<OwnLadder> {
  const name = options.name ?? "own";
  const outRoot = path.resolve(options.outRoot ?? path.join(cacheDir(), "ladders", name));
  const presets = options.presets ?? SIZE_PRESET_NAMES;
  const unknown = presets.filter((preset) => !options.shapes?.[preset] && !(SIZE_PRESET_NAMES as readonly string[]).includes(preset));
  if (unknown.length > 0) throw new Error(`buildOwnLadder: unknown presets ${unknown.join(", ")}; use ${SIZE_PRESET_NAMES.join(", ")} or give their shapes.`);
  if (options.datasets.length === 0) throw new Error("buildOwnLadder: name at least one dataset whose documents form the corpus, e.g. [\"scifact\"].");

  const texts: string[] = [];
  for (const datasetName of options.datasets) {
    const dataset = await datasets.load(datasetName);
    let count = 0;
    for (const document of dataset.documents.values()) {
      if (options.maxDocumentsPerDataset !== undefined && count >= options.maxDocumentsPerDataset) break;
      texts.push(documentText(document));
      count++;
    }
  }

  const vocabularyFile = path.join(outRoot, "vocab.txt");
  const vocabSize = options.vocabSize ?? 8192;
  let tokenizer: WordPieceTokenizer;
  if (fs.existsSync(vocabularyFile)) {
    tokenizer = WordPieceTokenizer.load(vocabularyFile);
    if (tokenizer.vocabSize > vocabSize) throw new Error(`buildOwnLadder: ${vocabularyFile} has ${tokenizer.vocabSize} tokens, more than vocabSize ${vocabSize}; delete it or use another outRoot.`);
  } else {
    tokenizer = WordPieceTokenizer.train(texts, { vocabSize });
    tokenizer.save(vocabularyFile);
  }
  const mlmTokenizer = { vocab: tokenizer.vocabulary, tokenIds: (text: string) => tokenizer.encodeText(text), doLowerCase: true };

  const built: Record<string, MlmPretrainingResult> = {};
  for (const preset of presets) {
    built[preset] = await pretrainMlm({
      outDir: path.join(outRoot, preset),
      texts,
      tokenizer: mlmTokenizer,
      size: options.shapes?.[preset] ?? (preset as SizePresetName),
      steps: options.steps,
      seqLen: options.seqLen,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      seed: options.seed,
      checkpointEvery: options.checkpointEvery,
      progress: options.progress,
      signal: options.signal,
    });
  }
  const records = Object.values(built);
  return {
    outRoot,
    vocabularyFile,
    documents: texts.length,
    encoders: built,
    totalWallSeconds: records.reduce((sum, record) => sum + record.wallSeconds, 0),
    totalPretrainingFlops: records.reduce((sum, record) => sum + record.pretrainingFlops, 0),
  };
}
