import { Random } from "../random";
import { getSplit, type Dataset, documentText } from "./dataset";
import { rankedDocIds, type Run } from "./trec-run";

export type Objective = "pointwise" | "pairwise" | "listwise";

/**
 * One training example, in the shape the trainer consumes (`TrainingGroup` in src/train): a query and a group
 * of passages with labels. Pointwise: 1 passage, label 1 or 0. Pairwise: [positive, negative], labels [1, 0].
 * Listwise: [positive, negative × n], labels [1, 0, …]. `pseudo` marks examples built from pseudo-queries.
 */
export interface TrainingExample {
  queryId: string;
  query: string;
  docIds: string[];
  passages: string[];
  labels: number[];
  /** True when the query is a pseudo-query cut from its positive passage (not a real labelled query). */
  pseudo: boolean;
}

export interface BuildExamplesOptions {
  objective: Objective;
  /** Negatives per positive: listwise group size is 1 + negatives; pairwise emits `negatives` pairs; pointwise emits 1 positive + `negatives` negative examples. Default 1 (pairwise, pointwise) or 7 (listwise). */
  negatives?: number;
  /** First-stage candidates to draw hard negatives from (e.g. `bm25.retrieve(ds, "train", { k: 100 })`). Without it, every negative is random. */
  from?: Run;
  /** Only the top `hardNegativeDepth` candidates of each query are hard-negative material (default: all of `from`). */
  hardNegativeDepth?: number;
  /** How many of each unit's negatives are drawn at random from the whole corpus instead of the candidates (default 0). */
  randomNegatives?: number;
  /** Data budget in query–passage pairs scored (see `pairsScored`); the examples are the longest prefix of the seeded stream within it. */
  budget: number;
  seed: number;
}

/**
 * Query–passage pairs a list of examples makes the model score: the sum of group sizes. This is the data-budget
 * unit, comparable across objectives: a pointwise example costs 1, a pairwise one 2, a listwise group 1 + n.
 * @example pairsScored(examples.build(ds, "train", { objective: "listwise", negatives: 7, budget: 800, seed: 1 })) // ≤ 800, a multiple of 8
 */
export function pairsScored(examples: ReadonlyArray<{ passages: readonly unknown[] }>): number {
  let total = 0;
  for (const example of examples) total += example.passages.length;
  return total;
}

/**
 * Size of one pass over a split's labelled data: the number of (query, positive) units and the query–passage
 * pairs one pass scores for an objective. Budgets beyond `pairsPerPass` repeat positives (with fresh
 * negatives); when a data-scaling curve needs more distinct data than that (say a budget range of 1.5 orders
 * of magnitude with the top well above one pass), add pseudo-queries (`addPseudoQueries`) and label the curve.
 * @example passSize(scifact, "train", { objective: "listwise", negatives: 7 }) // { units: 919, pairsPerPass: 7352 }
 */
export function passSize(dataset: Dataset, splitName: string, options: { objective: Objective; negatives?: number }): { units: number; pairsPerPass: number } {
  const split = getSplit(dataset, splitName);
  const negatives = options.negatives ?? (options.objective === "listwise" ? 7 : 1);
  let units = 0;
  for (const queryId of split.queryIds) {
    for (const [docId, grade] of split.qrels.get(queryId) ?? []) if (grade >= split.relevanceThreshold && dataset.documents.has(docId)) units++;
  }
  return { units, pairsPerPass: units * (options.objective === "pairwise" ? 2 * negatives : 1 + negatives) };
}

/**
 * Builds training examples for one objective from a split's judgments, with hard negatives from first-stage
 * candidates and optionally random ones, up to a data budget counted in query–passage pairs scored.
 *
 * The examples come from one seeded, budget-independent stream: passes over the split's (query, positive)
 * units, each pass in a fresh seeded shuffle; each unit draws its negatives without replacement (hard: from
 * the candidates; topped up at random from the corpus when a query has too few). Negatives are unjudged or
 * judged 0: documents graded above 0 but below the relevance threshold (TREC DL's "related", grade 1) are
 * used neither as positives nor as negatives. A budget takes the longest prefix of that stream that fits, so with the same seed and options the
 * 10k-pair set is a prefix of the 20k-pair set (nested budgets: data-scaling curves are not confounded by
 * resampling). Positives are documents with grade ≥ the split's relevance threshold that have text.
 *
 * Reference: the hard-negative recipe of Nogueira & Cho, "Passage Re-ranking with BERT" (2019), and
 * Gao et al., "Rethink Training of BERT Rerankers in Multi-Stage Retrieval Pipeline" (ECIR 2021, localized contrastive estimation).
 * @example build(ds, "train", { objective: "listwise", negatives: 7, from: cands, budget: 20_000, seed: 1 })
 */
export function build(dataset: Dataset, splitName: string, options: BuildExamplesOptions): TrainingExample[] {
  const split = getSplit(dataset, splitName);
  const objective = options.objective;
  if (!["pointwise", "pairwise", "listwise"].includes(objective)) throw new Error(`examples.build: objective must be "pointwise", "pairwise" or "listwise", got ${JSON.stringify(objective)}.`);
  const negatives = options.negatives ?? (objective === "listwise" ? 7 : 1);
  if (!Number.isInteger(negatives) || negatives < 1) throw new Error(`examples.build: negatives must be a positive integer, got ${negatives}.`);
  const randomNegatives = options.randomNegatives ?? 0;
  if (!Number.isInteger(randomNegatives) || randomNegatives < 0 || randomNegatives > negatives) {
    throw new Error(`examples.build: randomNegatives must be an integer from 0 to negatives (${negatives}), got ${randomNegatives}.`);
  }
  if (!(options.budget >= 1) || !Number.isFinite(options.budget)) throw new Error(`examples.build: budget (query–passage pairs) must be a positive number, got ${options.budget}.`);
  const pairsPerUnit = objective === "pairwise" ? 2 * negatives : 1 + negatives;

  const units: { queryId: string; positiveId: string }[] = [];
  for (const queryId of split.queryIds) {
    for (const [docId, grade] of split.qrels.get(queryId) ?? []) {
      if (grade >= split.relevanceThreshold && dataset.documents.has(docId)) units.push({ queryId, positiveId: docId });
    }
  }
  if (units.length === 0) throw new Error(`examples.build: ${dataset.name}/${splitName} has no judged-relevant documents with text; nothing to train on.`);
  if (options.from && !units.some((unit) => options.from!.has(unit.queryId))) {
    throw new Error(`examples.build: "from" has candidates for none of the ${split.queryIds.length} queries of ${dataset.name}/${splitName}; retrieve them for this split, e.g. bm25.retrieve(ds, "${splitName}", { k: 100 }).`);
  }
  const allDocIds = [...dataset.documents.keys()];
  if (allDocIds.length < 2) throw new Error(`examples.build: ${dataset.name} needs at least 2 documents to draw negatives.`);
  const depth = options.hardNegativeDepth ?? Infinity;
  const hardPools = new Map<string, string[]>();
  const hardPool = (queryId: string) => {
    let pool = hardPools.get(queryId);
    if (!pool) {
      const judged = split.qrels.get(queryId);
      const ranked = options.from?.get(queryId);
      pool = ranked ? rankedDocIds(ranked).slice(0, depth).filter((docId) => (judged?.get(docId) ?? 0) <= 0 && dataset.documents.has(docId)) : [];
      hardPools.set(queryId, pool);
    }
    return pool;
  };
  // Documents judged above 0 but below the threshold (TREC DL grade 1, "related") are neither positives nor negatives.
  const notNegative = (queryId: string, docId: string) => (split.qrels.get(queryId)?.get(docId) ?? 0) > 0;

  const random = new Random(options.seed);
  const text = (docId: string) => documentText(dataset.documents.get(docId)!);
  const examples: TrainingExample[] = [];
  let spent = 0;
  // Pointwise and listwise units can be cut mid-unit (a pointwise unit is 1 + n separate examples).
  const fitsPartial = objective === "pointwise";
  while (spent + (fitsPartial ? 1 : pairsPerUnit) <= options.budget) {
    const order = random.shuffle(units.map((_, index) => index));
    for (const unitIndex of order) {
      if (spent + (fitsPartial ? 1 : pairsPerUnit) > options.budget) break;
      const { queryId, positiveId } = units[unitIndex]!;
      const query = dataset.queries.get(queryId) ?? "";
      const chosen = drawNegatives(random, hardPool(queryId), negatives - randomNegatives, randomNegatives, allDocIds, (docId) => docId === positiveId || notNegative(queryId, docId));
      const pseudo = queryId.startsWith(PSEUDO_QUERY_PREFIX);
      if (objective === "listwise") {
        examples.push({ queryId, query, docIds: [positiveId, ...chosen], passages: [text(positiveId), ...chosen.map(text)], labels: [1, ...chosen.map(() => 0)], pseudo });
        spent += pairsPerUnit;
      } else if (objective === "pairwise") {
        for (const negativeId of chosen) examples.push({ queryId, query, docIds: [positiveId, negativeId], passages: [text(positiveId), text(negativeId)], labels: [1, 0], pseudo });
        spent += pairsPerUnit;
      } else {
        for (const [docId, label] of [[positiveId, 1], ...chosen.map((id) => [id, 0])] as [string, number][]) {
          if (spent + 1 > options.budget) break;
          examples.push({ queryId, query, docIds: [docId], passages: [text(docId)], labels: [label], pseudo });
          spent += 1;
        }
      }
    }
  }
  return examples;
}

/** Prefix of query ids made by `addPseudoQueries`; examples from them are flagged `pseudo`. */
export const PSEUDO_QUERY_PREFIX = "pseudo-";

/** `hardCount` distinct hard negatives from the pool (topped up at random when short) plus `randomCount` random ones, none excluded, no repeats. */
function drawNegatives(random: Random, pool: string[], hardCount: number, randomCount: number, allDocIds: string[], excluded: (docId: string) => boolean): string[] {
  const chosen: string[] = [];
  const taken = new Set<string>();
  const available = pool.slice();
  while (chosen.length < hardCount && available.length > 0) {
    const pick = random.int(available.length);
    const docId = available[pick]!;
    available[pick] = available[available.length - 1]!;
    available.pop();
    if (taken.has(docId)) continue;
    taken.add(docId);
    chosen.push(docId);
  }
  const want = hardCount + randomCount;
  for (let attempts = 0; chosen.length < want && attempts < 100 * want; attempts++) {
    const docId = allDocIds[random.int(allDocIds.length)]!;
    if (taken.has(docId) || excluded(docId)) continue;
    taken.add(docId);
    chosen.push(docId);
  }
  if (chosen.length < want) throw new Error(`examples.build: could not find ${want} distinct non-relevant documents for a query; lower negatives.`);
  return chosen;
}
