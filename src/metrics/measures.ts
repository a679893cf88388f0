/**
 * The measures this toolkit computes, each declared once: trec_eval name, canonical name, parameters and their
 * defaults, how per-query values are aggregated, and whether `-m all_trec` includes it. Computation lives in
 * `trec-measures.ts`; name parsing in `measure-names.ts`.
 *
 * Order matters: trec_eval prints measures in the order of its table (`measures.c`), and so do we.
 * Reference: usnistgov/trec_eval `measures.c` and the `m_*.c` files.
 */

/** How a measure takes parameters (`-m name.params`). */
export type MeasureParameterKind =
  /** No parameters. */
  | "none"
  /** Comma-separated positive integer cutoffs, one value each (`P.5,10` → P_5, P_10). */
  | "integerCutoffs"
  /** Comma-separated real cutoffs, one value each, named with 2 decimals (`iprec_at_recall..1,.5`). */
  | "realCutoffs"
  /** Comma-separated real parameters of one value (`utility.2,-1,0,0`). */
  | "realParameters"
  /** `level=gain` pairs of one value (`ndcg.1=3,2=9`); names that are not integers set options (`rbp.p=0.95`). */
  | "gainPairs";

/** How per-query values become the `all` value. */
export type MeasureAggregation =
  /** Arithmetic mean over evaluated queries (over all qrels queries with `-c`). */
  | "mean"
  /** Sum over queries (counts such as num_ret), printed as an integer. */
  | "sum"
  /** exp(mean(log(max(value, 0.00001)))), trec_eval's geometric mean; no per-query value. */
  | "geometricMean"
  /** Number of evaluated queries; no per-query value. */
  | "queryCount"
  /** The run tag; no per-query value. */
  | "runTag"
  /** A per-query string, no `all` value (relstring). */
  | "perQueryText";

export interface MeasureDeclaration {
  /** trec_eval's name (`ndcg_cut`, `P`, `recip_rank`). */
  trecName: string;
  /** Base of the canonical name: `ndcg_cut` → `ndcg`, so `ndcg_cut.10` is `ndcg@10`. */
  canonicalBase: string;
  parameterKind: MeasureParameterKind;
  /** Default cutoffs or parameters (as trec_eval's defaults). */
  defaultParameters: readonly number[];
  aggregation: MeasureAggregation;
  /** Included in `-m all_trec` (trec_eval's `trec_names`). */
  inAllTrec: boolean;
  /** Included in `-m official` (trec_eval's default when no -m is given). */
  inOfficial: boolean;
  /** Not a trec_eval measure (added here; trec_eval would reject the name). */
  extension?: boolean;
  /** One-line definition. */
  description: string;
}

/** trec_eval's default cutoffs for P, recall, ndcg_cut, map_cut, relative_P. */
export const TREC_DEFAULT_CUTOFFS: readonly number[] = [5, 10, 15, 20, 30, 100, 200, 500, 1000];
/** trec_eval's default recall levels for iprec_at_recall and 11pt_avg. */
export const TREC_DEFAULT_RECALL_LEVELS: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** trec_eval's default multiples of R for Rprec_mult. */
export const TREC_DEFAULT_R_MULTIPLES: readonly number[] = [0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2];

function declare(
  trecName: string,
  canonicalBase: string,
  parameterKind: MeasureParameterKind,
  defaultParameters: readonly number[],
  aggregation: MeasureAggregation,
  flags: { allTrec?: boolean; official?: boolean; extension?: boolean },
  description: string,
): MeasureDeclaration {
  return {
    trecName,
    canonicalBase,
    parameterKind,
    defaultParameters,
    aggregation,
    inAllTrec: flags.allTrec ?? false,
    inOfficial: flags.official ?? false,
    extension: flags.extension,
    description,
  };
}

const ALL = { allTrec: true };
const OFFICIAL = { allTrec: true, official: true };

/** Every supported measure, in trec_eval's print order. */
export const MEASURES: readonly MeasureDeclaration[] = [
  declare("runid", "runid", "none", [], "runTag", OFFICIAL, "Run tag (last column of the run's last line)."),
  declare("num_q", "num_q", "none", [], "queryCount", OFFICIAL, "Number of queries evaluated."),
  declare("num_ret", "num_ret", "none", [], "sum", OFFICIAL, "Documents retrieved."),
  declare("num_rel", "num_rel", "none", [], "sum", OFFICIAL, "Relevant documents in the qrels (grade >= -l)."),
  declare("num_rel_ret", "num_rel_ret", "none", [], "sum", OFFICIAL, "Relevant documents retrieved."),
  declare("map", "map", "none", [], "mean", OFFICIAL, "Average precision: mean precision at each relevant document, unretrieved ones counting 0."),
  declare("gm_map", "gm_map", "none", [], "geometricMean", OFFICIAL, "Geometric mean of average precision (values floored at 0.00001)."),
  declare("Rprec", "Rprec", "none", [], "mean", OFFICIAL, "Precision after R documents, R = number of relevant documents."),
  declare("bpref", "bpref", "none", [], "mean", OFFICIAL, "Binary preference: judged relevant documents ranked above judged non-relevant ones."),
  declare("recip_rank", "mrr", "none", [], "mean", OFFICIAL, "Reciprocal rank of the first relevant document (0 if none)."),
  declare("iprec_at_recall", "iprec_at_recall", "realCutoffs", TREC_DEFAULT_RECALL_LEVELS, "mean", OFFICIAL, "Interpolated precision at recall levels."),
  declare("P", "P", "integerCutoffs", TREC_DEFAULT_CUTOFFS, "mean", OFFICIAL, "Precision at cutoff k (relevant in top k / k)."),
  declare("relstring", "relstring", "realParameters", [10], "perQueryText", ALL, "Grades of the top N documents as a string ('-' not in pool, '.' unjudged)."),
  declare("recall", "recall", "integerCutoffs", TREC_DEFAULT_CUTOFFS, "mean", ALL, "Recall at cutoff k (relevant in top k / R)."),
  declare("infAP", "infAP", "none", [], "mean", ALL, "Inferred AP (Yilmaz & Aslam 2006)."),
  declare("gm_bpref", "gm_bpref", "none", [], "geometricMean", ALL, "Geometric mean of bpref."),
  declare("Rprec_mult", "Rprec_mult", "realCutoffs", TREC_DEFAULT_R_MULTIPLES, "mean", ALL, "Precision at multiples of R."),
  declare("utility", "utility", "realParameters", [1, -1, 0, 0], "mean", ALL, "Linear utility a·relret + b·nonrelret + c·relnotret + d·nonrelnotret."),
  declare("11pt_avg", "11pt_avg", "realParameters", TREC_DEFAULT_RECALL_LEVELS, "mean", ALL, "Interpolated precision averaged over recall levels."),
  declare("binG", "binG", "none", [], "mean", ALL, "Binary G: mean over relevant documents of 1/log2(2 + non-relevant ranked before)."),
  declare("G", "G", "gainPairs", [], "mean", ALL, "Normalized cumulative gain with a cost-adjusted discount (trec_eval m_G.c)."),
  declare("dcg", "dcg", "gainPairs", [], "mean", {}, "Discounted cumulative gain, gains = grades, discount log2(rank + 1)."),
  declare("ideal_dcg", "ideal_dcg", "gainPairs", [], "mean", {}, "DCG of the ideal ranking of all judged documents."),
  declare("ndcg", "ndcg", "gainPairs", [], "mean", ALL, "Normalized DCG over the whole ranking (Järvelin & Kekäläinen 2002); gains = grades unless given."),
  declare("ndcg_rel", "ndcg_rel", "gainPairs", [], "mean", ALL, "nDCG averaged over relevant documents (experimental)."),
  declare("Rndcg", "Rndcg", "gainPairs", [], "mean", ALL, "nDCG averaged at R-level boundaries (experimental)."),
  declare("ndcg_cut", "ndcg", "integerCutoffs", TREC_DEFAULT_CUTOFFS, "mean", ALL, "nDCG at cutoff k; ideal DCG from all judged grades."),
  declare("map_cut", "map", "integerCutoffs", TREC_DEFAULT_CUTOFFS, "mean", ALL, "Average precision using only the top k documents (divided by R)."),
  declare("relative_P", "relative_P", "integerCutoffs", TREC_DEFAULT_CUTOFFS, "mean", ALL, "Relevant in top k / min(k, R)."),
  declare("success", "success", "integerCutoffs", [1, 5, 10], "mean", ALL, "1 if a relevant document is in the top k, else 0."),
  declare("set_P", "set_P", "none", [], "mean", ALL, "Precision of the whole retrieved set."),
  declare("set_relative_P", "set_relative_P", "none", [], "mean", ALL, "Relevant retrieved / min(retrieved, R)."),
  declare("set_recall", "set_recall", "none", [], "mean", ALL, "Recall of the whole retrieved set."),
  declare("set_map", "set_map", "none", [], "mean", ALL, "set_P × set_recall."),
  declare("set_F", "set_F", "realParameters", [1], "mean", ALL, "F-measure of the retrieved set: (β+1)PR/(βP+R), β default 1."),
  declare("num_nonrel_judged_ret", "num_nonrel_judged_ret", "none", [], "sum", ALL, "Judged non-relevant documents retrieved."),
  declare("rbp", "rbp", "gainPairs", [], "mean", ALL, "Rank-biased precision, persistence p = 0.9 (set with rbp.p=0.95); gains scaled into [0, 1]."),
  declare("rbp_resid", "rbp_resid", "none", [], "mean", ALL, "RBP residual: weight of unjudged documents and of the ranks past the run (p = 0.9)."),
  declare("unj", "unj", "integerCutoffs", [5, 10, 20], "mean", ALL, "Fraction of the top k that is unjudged (not in qrels or negative grade)."),
  declare("mrr_cut", "mrr", "integerCutoffs", [10], "mean", { extension: true }, "MS MARCO MRR@k: reciprocal rank of the first relevant document within the top k, else 0."),
  declare("judged", "judged", "integerCutoffs", [10], "mean", { extension: true }, "Fraction of the top k that is judged (grade >= 0 in the qrels); 1 − unj@k."),
];

const BY_TREC_NAME = new Map(MEASURES.map((declaration) => [declaration.trecName, declaration]));

/** The declaration of a trec_eval measure name, or undefined. */
export function measureDeclaration(trecName: string): MeasureDeclaration | undefined {
  return BY_TREC_NAME.get(trecName);
}

/** trec_eval's measure groups for `-m` (nicknames). */
export const MEASURE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  official: MEASURES.filter((measure) => measure.inOfficial).map((measure) => measure.trecName),
  all_trec: MEASURES.filter((measure) => measure.inAllTrec).map((measure) => measure.trecName),
  set: ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P", "set_recall", "set_relative_P", "set_map", "set_F"],
};
