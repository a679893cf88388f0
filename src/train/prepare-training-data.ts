import { retrieve as bm25Retrieve } from "../data/bm25";
import { type Dataset, documentText, getSplit } from "../data/dataset";
import { build as buildExamples } from "../data/training-examples";
import type { Run } from "../data/trec-run";
import { WordPieceTokenizer } from "../data/wordpiece-tokenizer";
import { Random } from "../random";
import { candidatesFromRun } from "./candidates-from-run";
import type { RankingObjective } from "./ranking-loss";
import type { RerankCandidates } from "./score-candidates";
import type { PairEncoder, TrainingGroup } from "./trainable-model";

export interface PrepareTrainingDataOptions {
  objective: RankingObjective;
  /** Passages per listwise/lambda example (1 positive + groupSize − 1 negatives). Pairwise uses 2, pointwise 1. Default 8. */
  groupSize?: number;
  /** Training data budget in query-passage pairs scored (src/data `examples.build`). */
  budgetPairs: number;
  /** Tokens per `[CLS] query [SEP] passage [SEP]` row. */
  maxLength: number;
  /** Split the examples come from. Default "train". */
  split?: string;
  /** Fraction of the split's answerable queries held out as the dev split (checkpoint selection). Default 0.2. */
  devFraction?: number;
  /** First-stage candidates of the split (negatives and dev candidates). Default: the split's own candidate list if it ships one, else BM25 top-`depth`. */
  candidates?: Run;
  /** Candidates per dev query (and hard-negative depth). Default 100. */
  depth?: number;
  /** WordPiece vocabulary size. Default 8000. */
  vocabSize?: number;
  /** Per-token exact-match flags (../shared/DESIGN.md §4: needed by from-scratch rerankers). Default true. */
  exactMatch?: boolean;
  /** A tokenizer to reuse instead of training one on the split's text. */
  tokenizer?: WordPieceTokenizer;
  /** Seed of the dev split and the examples. Default 1. */
  seed?: number;
}

export interface TrainingData {
  tokenizer: WordPieceTokenizer;
  encode: PairEncoder;
  examples: TrainingGroup[];
  /** Dev candidates (held-out training queries) with qrels. */
  dev: RerankCandidates;
  trainQueryIds: string[];
  devQueryIds: string[];
  /** Where the candidates came from, e.g. "wikiqa" (shipped) or "bm25". */
  candidateSource: string;
}

/** Texts the tokenizer is trained on at most (queries and candidate passages of the training split). */
const MAX_TOKENIZER_TEXTS = 200_000;

/**
 * Everything `train` needs from a dataset, in the order of ../shared/DESIGN.md §4's recipe:
 * 1. a dev split: a seeded `devFraction` of the split's answerable queries (≥ 1 relevant), never test queries;
 * 2. first-stage candidates: the split's own list if it ships one (WikiQA), else BM25 top-`depth`;
 * 3. a WordPiece tokenizer trained on the training queries and their candidate passages;
 * 4. training examples of the remaining queries within the budget (src/data `examples.build`, hard negatives
 *    from the candidates), and the dev queries' candidates with qrels for checkpoint evaluation.
 *
 * @example const data = prepareTrainingData(await datasets.load("wikiqa"), { objective: "listwise", budgetPairs: 20_000, maxLength: 64 });
 */
export function prepareTrainingData(dataset: Dataset, options: PrepareTrainingDataOptions): TrainingData {
  const splitName = options.split ?? "train";
  const split = getSplit(dataset, splitName);
  const seed = options.seed ?? 1;
  const depth = options.depth ?? 100;
  const groupSize = options.objective === "pointwise" ? 1 : options.objective === "pairwise" ? 2 : (options.groupSize ?? 8);
  if (!(Number.isInteger(groupSize) && groupSize >= 1)) {
    throw new Error(`prepareTrainingData: groupSize must be a positive integer, got ${options.groupSize}.`);
  }
  const devFraction = options.devFraction ?? 0.2;
  if (!(devFraction > 0 && devFraction < 1)) throw new Error(`prepareTrainingData: devFraction must be in (0, 1), got ${devFraction}.`);

  // 1. Dev split.
  const answerable = split.queryIds.filter((queryId) =>
    [...(split.qrels.get(queryId)?.values() ?? [])].some((grade) => grade >= split.relevanceThreshold),
  );
  if (answerable.length < 2) throw new Error(`prepareTrainingData: ${dataset.name}/${splitName} has ${answerable.length} answerable queries; need at least 2.`);
  const shuffled = new Random(seed).shuffle([...answerable]);
  const devCount = Math.max(1, Math.round(devFraction * shuffled.length));
  const devQueryIds = shuffled.slice(0, devCount).sort();
  const trainQueryIds = shuffled.slice(devCount).sort();

  // 2. Candidates.
  const shipped = split.candidates && Object.entries(split.candidates)[0];
  const candidateSource = options.candidates ? "given" : shipped ? shipped[0] : "bm25";
  const candidates = options.candidates ?? (shipped ? shipped[1] : bm25Retrieve(dataset, splitName, { k: depth }));

  // 3. Tokenizer.
  const tokenizer = options.tokenizer ?? WordPieceTokenizer.train(tokenizerTexts(dataset, trainQueryIds, candidates), { vocabSize: options.vocabSize ?? 8000 });
  const exactMatch = options.exactMatch ?? true;
  const encode: PairEncoder = (pairs) =>
    tokenizer.encodePairs(pairs.map((pair) => [pair.query, pair.passage] as const), { maxLength: options.maxLength, exactMatch });

  // 4. Examples and dev candidates.
  const fitSplit = { ...split, queryIds: trainQueryIds };
  const examples = buildExamples({ ...dataset, splits: { ...dataset.splits, [`${splitName}-fit`]: fitSplit } }, `${splitName}-fit`, {
    objective: options.objective === "lambda" ? "listwise" : options.objective,
    negatives: Math.max(1, groupSize - 1),
    from: candidates,
    hardNegativeDepth: depth,
    budget: options.budgetPairs,
    seed,
  });
  const dev = candidatesFromRun(candidates, {
    queries: dataset.queries,
    documents: (docId) => {
      const document = dataset.documents.get(docId);
      return document && documentText(document);
    },
    depth,
    queryIds: devQueryIds,
    qrels: split.qrels,
    relevanceThreshold: split.relevanceThreshold,
  });
  return { tokenizer, encode, examples, dev, trainQueryIds, devQueryIds, candidateSource };
}

function* tokenizerTexts(dataset: Dataset, queryIds: readonly string[], candidates: Run): Generator<string> {
  let count = 0;
  for (const queryId of queryIds) {
    const query = dataset.queries.get(queryId);
    if (query !== undefined) yield query;
    for (const docId of candidates.get(queryId)?.keys() ?? []) {
      const document = dataset.documents.get(docId);
      if (document) yield documentText(document);
      if (++count >= MAX_TOKENIZER_TEXTS) return;
    }
  }
}
