import { rankedDocIds, type Run } from "../data/trec-run";

/**
 * Fusion of a reranker's run with the first-stage run, as a separately evaluated variant (never a silent default):
 * a reranker that loses to BM25 alone can still add to it (DESIGN.md §4: SciFact d64L1 0.576 alone, 0.69–0.70 fused
 * with BM25 by reciprocal-rank fusion, above BM25's 0.6645). Report the fused run under its own name, next to the
 * reranker alone and the first stage alone, with any weight chosen on dev queries only.
 */

/** Cormack, Clarke & Büttcher (2009)'s constant k in 1 / (k + rank). */
export const RRF_DEFAULT_K = 60;

/** Options of {@link reciprocalRankFusion}. */
export interface ReciprocalRankFusionOptions {
  /** The constant k in 1 / (k + rank), default 60. */
  k?: number;
  /** One weight per run (default 1 each): score = Σ weight_i / (k + rank_i). */
  weights?: readonly number[];
  /** Only the first `depth` documents of each run take part (default: all). */
  depth?: number;
}

/**
 * Reciprocal-rank fusion: each document scores Σ_i weight_i / (k + rank_i(d)) over the runs that contain it,
 * rank starting at 1 in trec_eval order (score descending, ties by document id descending, so ties are broken the
 * same way the evaluation will break them). A document missing from a run gets nothing from it. Queries are the
 * union over the runs; fused scores that tie are left tied (trec_eval order breaks them downstream).
 *
 * Reference: Cormack, Clarke, Büttcher, "Reciprocal rank fusion outperforms Condorcet and individual rank learning
 * methods", SIGIR 2009.
 * @example
 * // q1: run A ranks d1, d2; run B ranks d2, d3 →  d2: 1/62 + 1/61, d1: 1/61, d3: 1/62
 * reciprocalRankFusion([runA, runB]).get("q1")
 */
export function reciprocalRankFusion(runs: readonly Run[], options: ReciprocalRankFusionOptions = {}): Run {
  const k = options.k ?? RRF_DEFAULT_K;
  if (!(k >= 0) || !Number.isFinite(k)) throw new Error(`reciprocalRankFusion: k must be a finite number >= 0, got ${k}. Leave it out for the usual 60.`);
  if (runs.length === 0) throw new Error("reciprocalRankFusion: pass at least one run (usually the reranked run and the first stage).");
  const weights = options.weights ?? runs.map(() => 1);
  if (weights.length !== runs.length || !weights.every((w) => Number.isFinite(w))) {
    throw new Error(`reciprocalRankFusion: weights must be ${runs.length} finite numbers (one per run), got [${weights.join(", ")}].`);
  }
  const depth = options.depth ?? Infinity;
  if (!(depth >= 1)) throw new Error(`reciprocalRankFusion: depth must be >= 1, got ${depth}. Leave it out to fuse whole rankings.`);
  const fused: Run = new Map();
  runs.forEach((run, runIndex) => {
    for (const [queryId, scores] of run) {
      let fusedScores = fused.get(queryId);
      if (!fusedScores) fused.set(queryId, (fusedScores = new Map()));
      const ranked = rankedDocIds(scores);
      const count = Math.min(ranked.length, depth);
      for (let index = 0; index < count; index++) {
        const docId = ranked[index]!;
        fusedScores.set(docId, (fusedScores.get(docId) ?? 0) + weights[runIndex]! / (k + index + 1));
      }
    }
  });
  return fused;
}

/** How each run's scores are put on a common scale before interpolation, per query. */
export type ScoreNormalization = "min-max" | "z-score" | "none";

/** Options of {@link interpolateScores}. */
export interface InterpolateScoresOptions {
  /** Weight of the reranker: fused = alpha·reranker + (1 − alpha)·first stage, alpha in [0, 1]. */
  alpha: number;
  /** Per-query normalization of each run (default "min-max"); a query whose scores are all equal normalizes to 0. */
  normalization?: ScoreNormalization;
}

function normalizeScores(scores: ReadonlyMap<string, number>, normalization: ScoreNormalization): Map<string, number> {
  const values = Array.from(scores.values());
  if (normalization === "none") return new Map(scores);
  if (normalization === "min-max") {
    const low = Math.min(...values);
    const range = Math.max(...values) - low;
    return new Map(Array.from(scores, ([docId, score]) => [docId, range > 0 ? (score - low) / range : 0]));
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const deviation = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return new Map(Array.from(scores, ([docId, score]) => [docId, deviation > 0 ? (score - mean) / deviation : 0]));
}

/**
 * Score interpolation of a reranked run with the first-stage run it reranked: per query, both runs are normalized
 * (min-max by default) and combined as alpha·reranker + (1 − alpha)·first stage. The result holds exactly the
 * reranked documents; each must also be in the first-stage run for that query (the reranker reorders the first
 * stage's candidates), otherwise this throws. Queries of the first stage that were not reranked are left out.
 * Non-finite scores are refused (normalization would spread them to every document).
 *
 * Reference: linear interpolation of normalized scores, e.g. Wang, Zhuang & Zuccon, "BERT-based dense retrievers
 * require interpolation with BM25 for effective passage retrieval", ICTIR 2021.
 * @example interpolateScores(reranked, bm25, { alpha: 0.3 }) // q1 → d1: 0.3·0.5 + 0.7·1 = 0.85
 */
export function interpolateScores(reranked: Run, firstStage: Run, options: InterpolateScoresOptions): Run {
  const { alpha } = options;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`interpolateScores: alpha must be in [0, 1], got ${alpha}. Choose it on dev queries with tuneInterpolationWeight.`);
  const normalization = options.normalization ?? "min-max";
  if (!["min-max", "z-score", "none"].includes(normalization)) {
    throw new Error(`interpolateScores: normalization must be "min-max", "z-score" or "none", got ${JSON.stringify(normalization)}.`);
  }
  const fused: Run = new Map();
  for (const [queryId, rerankScores] of reranked) {
    const firstScores = firstStage.get(queryId);
    if (!firstScores) throw new Error(`interpolateScores: query "${queryId}" is in the reranked run but not in the first-stage run. Pass the run that produced the candidates.`);
    for (const [label, scores] of [["reranked", rerankScores], ["first-stage", firstScores]] as const) {
      for (const [docId, score] of scores) {
        if (!Number.isFinite(score)) throw new Error(`interpolateScores: ${label} score of "${docId}" for query "${queryId}" is ${score}; fix the scorer, non-finite scores cannot be interpolated.`);
      }
    }
    const candidateFirstScores = new Map<string, number>();
    for (const docId of rerankScores.keys()) {
      const score = firstScores.get(docId);
      if (score === undefined) {
        throw new Error(`interpolateScores: document "${docId}" of query "${queryId}" was reranked but is not in the first-stage run. Rerank the first stage's own candidates.`);
      }
      candidateFirstScores.set(docId, score);
    }
    const rerankNormalized = normalizeScores(rerankScores, normalization);
    const firstNormalized = normalizeScores(candidateFirstScores, normalization);
    const out = new Map<string, number>();
    for (const [docId, score] of rerankNormalized) out.set(docId, alpha * score + (1 - alpha) * firstNormalized.get(docId)!);
    fused.set(queryId, out);
  }
  return fused;
}

/** One row of {@link tuneInterpolationWeight}'s table. */
export interface InterpolationTrial {
  alpha: number;
  /** The dev measure of the interpolated run. */
  devScore: number;
}

/**
 * Picks alpha for {@link interpolateScores} on dev queries: tries each alpha in `alphaGrid` (default 0, 0.1, …, 1)
 * and keeps the one with the highest `devMeasure` (ties: the smallest alpha, i.e. the most first-stage weight).
 * Pass runs restricted to dev queries — never the test queries — and `devMeasure` that averages a measure over them.
 * @example tuneInterpolationWeight(devReranked, devBm25, (run) => meanNdcg10(run, devQrels)).alpha // 0.4
 */
export function tuneInterpolationWeight(
  reranked: Run,
  firstStage: Run,
  devMeasure: (run: Run) => number,
  options: { alphaGrid?: readonly number[]; normalization?: ScoreNormalization } = {},
): { alpha: number; devScore: number; trials: InterpolationTrial[] } {
  const grid = options.alphaGrid ?? Array.from({ length: 11 }, (_, i) => i / 10);
  if (grid.length === 0) throw new Error("tuneInterpolationWeight: alphaGrid is empty; leave it out for 0, 0.1, …, 1.");
  const trials = grid.map((alpha) => ({
    alpha,
    devScore: devMeasure(interpolateScores(reranked, firstStage, { alpha, normalization: options.normalization })),
  }));
  let best = trials[0]!;
  for (const trial of trials) {
    if (trial.devScore > best.devScore || (trial.devScore === best.devScore && trial.alpha < best.alpha)) best = trial;
  }
  return { alpha: best.alpha, devScore: best.devScore, trials };
}
