import { Random } from "../random";
import { addJudgment, documentText, type Dataset, type Qrels } from "./dataset";
import { PSEUDO_QUERY_PREFIX } from "./training-examples";

export interface PseudoQueryOptions {
  /** Number of pseudo-queries to make (each from a different passage while passages last). */
  count: number;
  seed: number;
  /** Split to create (default "pseudo"). */
  splitName?: string;
  /** Pseudo-query length in words, drawn uniformly in [minWords, maxWords] (defaults 4 and 12). */
  minWords?: number;
  maxWords?: number;
  /** Only passages with at least this many words are used (default 2 × maxWords). */
  minPassageWords?: number;
  /** Source documents: ids to draw from (default: every document of the dataset). */
  documentIds?: readonly string[];
}

/**
 * More training data from the corpus itself, for datasets with too few labelled training queries to span a
 * data budget of 1.5 orders of magnitude or more: pseudo-queries cut from passages. Each pseudo-query is a
 * random window of words of one passage, and that passage is its only positive (grade 1). They form a new
 * split (default "pseudo") with ids `pseudo-<n>`; examples built from it carry `pseudo: true`, and the
 * dataset's notes say how they were made. Retrieve BM25 candidates for the split to get hard negatives.
 * Do not evaluate on this split. Pseudo-queries are lexical by construction (BM25 finds their source easily)
 * and transfer poorly on their own (see DESIGN.md §4): use them to extend a curve, and label curves that do.
 *
 * Reference: the Inverse Cloze Task of Lee, Chang, Toutanova, "Latent Retrieval for Weakly Supervised Open Domain
 * Question Answering" (ACL 2019), here with word windows instead of sentences.
 * @example const more = addPseudoQueries(ds, { count: 5000, seed: 1 }); bm25.retrieve(more, "pseudo", { k: 100 })
 */
export function addPseudoQueries(dataset: Dataset, options: PseudoQueryOptions): Dataset {
  const splitName = options.splitName ?? "pseudo";
  const minWords = options.minWords ?? 4;
  const maxWords = options.maxWords ?? 12;
  if (!(Number.isInteger(minWords) && Number.isInteger(maxWords) && minWords >= 1 && maxWords >= minWords)) {
    throw new Error(`addPseudoQueries: need integers 1 <= minWords <= maxWords, got ${minWords} and ${maxWords}.`);
  }
  if (!(Number.isInteger(options.count) && options.count >= 1)) throw new Error(`addPseudoQueries: count must be a positive integer, got ${options.count}.`);
  if (dataset.splits[splitName]) throw new Error(`addPseudoQueries: ${dataset.name} already has a split "${splitName}"; pass another splitName.`);
  const minPassageWords = options.minPassageWords ?? 2 * maxWords;
  const random = new Random(options.seed);
  const sourceIds = random.shuffle([...(options.documentIds ?? dataset.documents.keys())]);
  const queries = new Map(dataset.queries);
  const qrels: Qrels = new Map();
  const queryIds: string[] = [];
  for (const docId of sourceIds) {
    if (queryIds.length >= options.count) break;
    const document = dataset.documents.get(docId);
    if (!document) throw new Error(`addPseudoQueries: document ${docId} is not in ${dataset.name}.`);
    const words = documentText(document).split(/\s+/).filter(Boolean);
    if (words.length < minPassageWords) continue;
    const length = minWords + random.int(maxWords - minWords + 1);
    const start = random.int(words.length - length + 1);
    const queryId = `${PSEUDO_QUERY_PREFIX}${queryIds.length + 1}`;
    queries.set(queryId, words.slice(start, start + length).join(" "));
    addJudgment(qrels, queryId, docId, 1);
    queryIds.push(queryId);
  }
  if (queryIds.length < options.count) {
    throw new Error(`addPseudoQueries: only ${queryIds.length} passages of ${dataset.name} have ≥ ${minPassageWords} words; asked for ${options.count}. Lower count or minPassageWords.`);
  }
  return {
    ...dataset,
    queries,
    splits: { ...dataset.splits, [splitName]: { name: splitName, queryIds, qrels, relevanceThreshold: 1 } },
    notes: [
      ...dataset.notes,
      `Split "${splitName}" holds ${queryIds.length} PSEUDO-queries (seed ${options.seed}): random ${minWords}–${maxWords}-word windows cut from passages, each passage its own only positive. Not real queries; never evaluate on them.`,
    ],
  };
}
