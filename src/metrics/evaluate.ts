import type { Qrels } from "../data/trec-qrels";
import { rankedDocIds, type Run } from "../data/trec-run";
import { EvaluationPlan, resolveEvaluationOptions, type EvaluationOptions, type ResolvedEvaluationOptions } from "./evaluation-plan";
import { judgedCountsByGrade, judgedRanking, type JudgedRanking } from "./judged-ranking";

/** Qrels or run as a Map (from the parsers) or a plain object `{ qid: { docid: value } }` (pytrec_eval style). */
export type NestedScores = ReadonlyMap<string, ReadonlyMap<string, number>> | Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Per-query and mean values of one evaluation, keyed by canonical measure name (`ndcg@10`, `map`, `mrr`). */
export interface EvaluationResult {
  /** Canonical names of the values, in trec_eval's print order. */
  measures: string[];
  /** trec_eval's printed names, parallel to `measures` (`ndcg_cut_10`, `map`, `recip_rank`). */
  trecNames: string[];
  /** Evaluated query ids, in trec_eval's order (string order). */
  queryIds: string[];
  /** Per-query values. Measures that trec_eval reports only for all queries (num_q, runid, gm_map, gm_bpref) are absent. */
  perQuery: Map<string, Record<string, number>>;
  /** The `all` values trec_eval prints: means (sums for num_ret-like counts, geometric means for gm_*). */
  mean: Record<string, number>;
  /** Run queries that have no qrels: skipped, as trec_eval does. */
  runQueriesWithoutQrels: string[];
  /** Qrels queries absent from the run: skipped, or scored as empty rankings with `averageOverQrels` (-c). */
  qrelsQueriesWithoutRun: string[];
  /** The settings used. */
  options: ResolvedEvaluationOptions;
}

function toMap(scores: NestedScores): ReadonlyMap<string, ReadonlyMap<string, number>> {
  if (scores instanceof Map) return scores as ReadonlyMap<string, ReadonlyMap<string, number>>;
  const map = new Map<string, ReadonlyMap<string, number>>();
  for (const [queryId, inner] of Object.entries(scores as Record<string, Record<string, number>>)) {
    map.set(queryId, inner instanceof Map ? inner : new Map(Object.entries(inner)));
  }
  return map;
}

/** Orders query ids as trec_eval does (strcmp; equal to JavaScript string order for ASCII ids). */
export function compareQueryIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Measures whose value exists only over all queries. */
const ALL_ONLY = new Set(["queryCount", "runTag", "geometricMean", "perQueryText"]);

/**
 * Evaluates a run against qrels with trec_eval's semantics, giving per-query and mean values that agree with
 * trec_eval 9.0.8+ to the printed 4th decimal:
 * - documents ranked by score descending, ties by document id descending; the run's rank column is ignored;
 * - relevant means grade >= `relevanceThreshold` (trec_eval -l, default 1); nDCG gains are the raw grades,
 *   the ideal ranking uses every judged grade of the query; negative grades are "in pool, unjudged";
 * - only queries in both run and qrels are evaluated (missing ones are listed in the result), unless
 *   `averageOverQrels` (-c) scores qrels queries absent from the run as empty rankings.
 *
 * Measures may be given in trec_eval's `-m` form (`ndcg_cut.10`, `P.5,10`, `recip_rank`, `all_trec`), its printed
 * form (`ndcg_cut_10`) or canonically (`ndcg@10`); results are keyed canonically.
 *
 * Reference: usnistgov/trec_eval (trec_eval.c, form_res_rels.c, m_*.c).
 * @example evaluate(qrels, run, ["ndcg_cut.10", "map"]).mean["ndcg@10"] // 0.5058 for BM25 on TREC DL 2019
 */
export function evaluate(qrels: Qrels | NestedScores, run: Run | NestedScores, measures: readonly string[], options: EvaluationOptions = {}): EvaluationResult {
  const resolved = resolveEvaluationOptions(options);
  const plan = new EvaluationPlan(measures, resolved);
  const qrelsMap = toMap(qrels);
  const runMap = toMap(run);
  const runQueriesWithoutQrels = [...runMap.keys()].filter((queryId) => !qrelsMap.has(queryId)).sort(compareQueryIds);
  const qrelsQueriesWithoutRun = [...qrelsMap.keys()].filter((queryId) => !runMap.has(queryId)).sort(compareQueryIds);
  const evaluated = [...qrelsMap.keys()].filter((queryId) => resolved.averageOverQrels || runMap.has(queryId)).sort(compareQueryIds);

  const perQueryValues: Float64Array[] = [];
  for (const queryId of evaluated) {
    const grades = qrelsMap.get(queryId)!;
    const scores = runMap.get(queryId);
    perQueryValues.push(plan.computeQuery(rankingOf(scores, grades, resolved)));
  }
  const averagedQueryCount = resolved.averageOverQrels ? qrelsMap.size : evaluated.length;
  const all = plan.aggregate(perQueryValues, averagedQueryCount);

  const names: string[] = [];
  const trecNames: string[] = [];
  const mean: Record<string, number> = {};
  const perQueryKeys: Array<{ name: string; index: number }> = [];
  plan.instances.forEach((instance, k) => {
    instance.canonicalNames.forEach((name, v) => {
      const index = plan.offsets[k]! + v;
      if (instance.declaration.aggregation === "perQueryText" || instance.declaration.aggregation === "runTag") return;
      names.push(name);
      trecNames.push(instance.trecNames[v]!);
      mean[name] = all[index]!;
      if (!ALL_ONLY.has(instance.declaration.aggregation)) perQueryKeys.push({ name, index });
    });
  });
  const perQuery = new Map<string, Record<string, number>>();
  evaluated.forEach((queryId, q) => {
    const record: Record<string, number> = {};
    for (const { name, index } of perQueryKeys) record[name] = perQueryValues[q]![index]!;
    perQuery.set(queryId, record);
  });
  return { measures: names, trecNames, queryIds: evaluated, perQuery, mean, runQueriesWithoutQrels, qrelsQueriesWithoutRun, options: resolved };
}

/** One query's {@link JudgedRanking} from its run scores (undefined = not retrieved) and grades. */
export function rankingOf(
  scores: ReadonlyMap<string, number> | undefined,
  grades: ReadonlyMap<string, number>,
  options: ResolvedEvaluationOptions,
): JudgedRanking {
  let ranked = scores ? rankedDocIds(scores) : [];
  for (const [docId, score] of scores ?? []) {
    if (Number.isNaN(score)) throw new Error(`evaluate: score of document "${docId}" is NaN; NaN scores cannot be ranked. Fix the scorer.`);
  }
  if (ranked.length > options.maxDocsPerQuery) ranked = ranked.slice(0, options.maxDocsPerQuery);
  return judgedRanking(ranked, grades, options.relevanceThreshold, judgedCountsByGrade(grades.values()));
}
