/**
 * Data: datasets (registry, loaders, download), BM25 first stage, WordPiece tokenizer, training examples.
 * Namespaces as the notebooks use them: `datasets.load("scifact")`, `bm25.retrieve(ds, "test", { k: 100 })`,
 * `examples.build(ds, "train", {...})`, `tokenizer.WordPieceTokenizer.train(texts, { vocabSize: 8000 })`.
 */
import * as bm25 from "./bm25";
import * as datasets from "./datasets";
import * as examplesCore from "./training-examples";
import * as pseudoQueries from "./pseudo-queries";

export { bm25, datasets };
export const examples = { ...examplesCore, ...pseudoQueries };

export * from "./dataset";
export * from "./encoded-batch";
export { DataFormatError } from "./data-format-error";
export { Bm25Index, ANSERINI_BM25_K1, ANSERINI_BM25_B, type Bm25Options, type Bm25Hit } from "./bm25-index";
export { EnglishAnalyzer, standardTokens, LUCENE_ENGLISH_STOP_WORDS } from "./english-analyzer";
export { porterStem } from "./porter-stemmer";
export { bertBasicTokens } from "./bert-basic-tokenizer";
export { WordPieceTokenizer, type EncodeOptions } from "./wordpiece-tokenizer";
export { datasetTokenizer, type DatasetTokenizerOptions } from "./dataset-tokenizer";
export { trainWordPieceVocabulary, SPECIAL_TOKENS, type WordPieceTrainingOptions } from "./train-wordpiece-vocabulary";
export { type TrainingExample, type BuildExamplesOptions, type Objective, pairsScored, passSize } from "./training-examples";
export { type PseudoQueryOptions, addPseudoQueries } from "./pseudo-queries";
export { type DatasetManifest, type ManifestFile, readManifests, validateManifest } from "./dataset-manifest";
export { locateDataset, datasetCacheDir } from "./dataset-files";
export { readZipEntries, unzipToFolder, writeZip } from "./zip-archive";
export { untarToFolder } from "./tar-archive";
export { loadBeirFolder } from "./loaders/beir";
export { loadTsvCollection, type TsvCollectionFiles } from "./loaders/tsv-collection";
export { readMsMarcoTriples } from "./loaders/msmarco-triples";
export { readRankLlmCandidates } from "./loaders/rank-llm-candidates";
