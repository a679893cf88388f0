import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../paths";
import { documentText, type Dataset } from "./dataset";
import { WordPieceTokenizer } from "./wordpiece-tokenizer";

export interface DatasetTokenizerOptions {
  vocabSize: number;
  /** Splits whose query texts join the documents as training text (default: every split except "test"). */
  querySplits?: string[];
  minFrequency?: number;
  /** Where to keep the vocab.txt (default `<cacheDir()>/tokenizers/`); pass null to train without caching. */
  cacheFolder?: string | null;
}

/**
 * A WordPiece tokenizer trained on a dataset's own text (all documents plus the queries of `querySplits`,
 * never the test queries by default), cached as `<name>-<vocabSize>-<hash>.vocab.txt` so notebooks and
 * worker processes reuse one file. The hash covers the options, the document count and the query ids used,
 * so a changed dataset trains a new vocabulary. Training is deterministic, so a lost cache rebuilds the same file.
 *
 * @example const tokenizer = datasetTokenizer(await datasets.load("scifact"), { vocabSize: 8000 })
 */
export function datasetTokenizer(dataset: Dataset, options: DatasetTokenizerOptions): WordPieceTokenizer {
  const querySplits = options.querySplits ?? Object.keys(dataset.splits).filter((name) => name !== "test");
  const queryIds = querySplits.flatMap((name) => {
    const split = dataset.splits[name];
    if (!split) throw new Error(`datasetTokenizer: ${dataset.name} has no split "${name}". Splits: ${Object.keys(dataset.splits).join(", ")}.`);
    return split.queryIds;
  });
  const key = createHash("sha256")
    .update(JSON.stringify({ name: dataset.name, documents: dataset.documents.size, queryIds, vocabSize: options.vocabSize, minFrequency: options.minFrequency ?? 2 }))
    .digest("hex")
    .slice(0, 12);
  const folder = options.cacheFolder === undefined ? path.join(cacheDir(), "tokenizers") : options.cacheFolder;
  const file = folder === null ? undefined : path.join(folder, `${dataset.name}-${options.vocabSize}-${key}.vocab.txt`);
  if (file && fs.existsSync(file)) return WordPieceTokenizer.load(file);
  const texts = function* () {
    for (const document of dataset.documents.values()) yield documentText(document);
    for (const queryId of queryIds) yield dataset.queries.get(queryId) ?? "";
  };
  const tokenizer = WordPieceTokenizer.train(texts(), { vocabSize: options.vocabSize, minFrequency: options.minFrequency });
  if (file) tokenizer.save(file);
  return tokenizer;
}
