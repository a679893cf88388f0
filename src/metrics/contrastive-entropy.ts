import { Random } from "../random";
import type { NestedScores } from "./evaluate";
import { compareQueryIds } from "./evaluate";

/**
 * Contrastive entropy of one positive against its negatives: the cross-entropy of picking the positive under a
 * softmax over the scores, CE = −log( e^{s+} / (e^{s+} + Σ e^{s−}) ) = logsumexp(s+, s−…) − s+ (natural log).
 * Limits: 0 when the positive's score dominates; log(k+1) when all k+1 scores are equal.
 * CE depends on the scale of the scores (multiply every score by 2 and it changes), so values from models trained
 * with different losses are not directly comparable; compare within one loss.
 *
 * Reference: Fang et al. 2024, "Scaling Laws for Dense Retrieval" (SIGIR), contrastive entropy.
 * @example contrastiveEntropyOfScores(0, [0, 0, 0]) // Math.log(4) = 1.3862943611198906
 */
export function contrastiveEntropyOfScores(positiveScore: number, negativeScores: readonly number[]): number {
  if (!Number.isFinite(positiveScore) || negativeScores.some((score) => !Number.isFinite(score))) {
    throw new Error(`contrastiveEntropyOfScores: scores must be finite numbers, got positive ${positiveScore} and negatives [${negativeScores.join(", ")}].`);
  }
  let max = positiveScore;
  for (const score of negativeScores) if (score > max) max = score;
  let sum = Math.exp(positiveScore - max);
  for (const score of negativeScores) sum += Math.exp(score - max);
  return max + Math.log(sum) - positiveScore;
}

/**
 * The measure name of contrastive entropy with k negatives, `ce@k` (the study's metric lists, fits and linter).
 * @example CONTRASTIVE_ENTROPY_NAME.exec("ce@16")?.[1] // "16"
 */
export const CONTRASTIVE_ENTROPY_NAME = /^ce@([1-9][0-9]*)$/;

/** Options of {@link contrastiveEntropy}. */
export interface ContrastiveEntropyOptions {
  /** k: negatives per positive (the paper reports CE32, CE64, CE100). */
  negativeCount: number;
  /** Seed of the negative sampling (default 0). Same seed, candidates and qrels → same negatives, whatever the scores. */
  seed?: number;
  /** Grade at or above which a candidate is a positive (default 1, as trec_eval's -l). */
  relevanceThreshold?: number;
}

/** Result of {@link contrastiveEntropy}. */
export interface ContrastiveEntropyResult {
  /** Mean CE over all (query, positive) pairs (natural log; lower is better). */
  value: number;
  /** Mean CE over each query's positives, for queries with at least one positive among the candidates. */
  perQuery: Map<string, number>;
  /** Number of (query, positive) pairs averaged. */
  pairCount: number;
  /** Pairs that had fewer than k negatives available and used all of them. */
  pairsWithFewerNegatives: number;
  /** Smallest number of negatives any pair used (k_effective; equals k when no query ran short). */
  minNegativeCount: number;
  /** The options used, defaults filled in. */
  options: Required<ContrastiveEntropyOptions>;
}

/**
 * Contrastive entropy CE@k of a reranker over first-stage candidates.
 *
 * Sampling rule: queries are visited in trec_eval order (string order of ids), and within a query the positives
 * (candidates with grade ≥ relevanceThreshold) in string order of document ids. For each positive p+, k negatives
 * are drawn without replacement (partial Fisher–Yates) from the query's candidates that are not relevant
 * (judged below the threshold or unjudged), listed in string order of document ids, using one {@link Random}
 * stream seeded with `seed`. Where fewer than k such candidates exist, all are used and the pair is counted in
 * `pairsWithFewerNegatives` (k_effective = `minNegativeCount`). Positives judged in the qrels but absent from the
 * candidates are skipped. Because the draw depends only on candidates, qrels and seed, two rerankers scoring the
 * same candidates are compared on the same negatives.
 *
 * CE depends on the scale of the scores: values across losses (pointwise, pairwise, listwise) are not comparable.
 *
 * Reference: Fang et al. 2024, "Scaling Laws for Dense Retrieval" (SIGIR).
 * @example contrastiveEntropy(scores, qrels, { negativeCount: 32, seed: 1 }).value
 */
export function contrastiveEntropy(
  scores: NestedScores,
  qrels: NestedScores,
  options: ContrastiveEntropyOptions,
): ContrastiveEntropyResult {
  const resolved: Required<ContrastiveEntropyOptions> = {
    negativeCount: options.negativeCount,
    seed: options.seed ?? 0,
    relevanceThreshold: options.relevanceThreshold ?? 1,
  };
  if (!Number.isInteger(resolved.negativeCount) || resolved.negativeCount < 1) {
    throw new Error(`contrastiveEntropy: negativeCount must be a positive integer, got ${resolved.negativeCount}. The paper uses 32, 64 or 100.`);
  }
  const scoresByQuery = asMap(scores);
  const qrelsByQuery = asMap(qrels);
  const random = new Random(resolved.seed);
  const perQuery = new Map<string, number>();
  let total = 0;
  let pairCount = 0;
  let pairsWithFewerNegatives = 0;
  let minNegativeCount = resolved.negativeCount;
  for (const queryId of [...scoresByQuery.keys()].sort(compareQueryIds)) {
    const candidateScores = scoresByQuery.get(queryId)!;
    const grades = qrelsByQuery.get(queryId);
    if (!grades) continue;
    const docIds = [...candidateScores.keys()].sort(compareQueryIds);
    const positives = docIds.filter((docId) => (grades.get(docId) ?? -Infinity) >= resolved.relevanceThreshold);
    const negatives = docIds.filter((docId) => !((grades.get(docId) ?? -Infinity) >= resolved.relevanceThreshold));
    if (positives.length === 0) continue;
    let querySum = 0;
    for (const positive of positives) {
      const drawn = drawWithoutReplacement(negatives, resolved.negativeCount, random);
      if (drawn.length < resolved.negativeCount) pairsWithFewerNegatives++;
      minNegativeCount = Math.min(minNegativeCount, drawn.length);
      const value = contrastiveEntropyOfScores(
        candidateScores.get(positive)!,
        drawn.map((docId) => candidateScores.get(docId)!),
      );
      querySum += value;
      total += value;
      pairCount++;
    }
    perQuery.set(queryId, querySum / positives.length);
  }
  if (pairCount === 0) {
    throw new Error("contrastiveEntropy: no candidate is relevant in the qrels, so there is no positive to score. Check that query and document ids match.");
  }
  return { value: total / pairCount, perQuery, pairCount, pairsWithFewerNegatives, minNegativeCount, options: resolved };
}

/** k items drawn without replacement (partial Fisher–Yates on a copy); all of them when fewer than k. */
function drawWithoutReplacement<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = items.slice();
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + random.int(pool.length - i);
    const held = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = held;
  }
  return pool.slice(0, take);
}

function asMap(scores: NestedScores): ReadonlyMap<string, ReadonlyMap<string, number>> {
  if (scores instanceof Map) return scores as ReadonlyMap<string, ReadonlyMap<string, number>>;
  const map = new Map<string, ReadonlyMap<string, number>>();
  for (const [queryId, inner] of Object.entries(scores as Record<string, Record<string, number>>)) map.set(queryId, new Map(Object.entries(inner)));
  return map;
}
