import type { JudgedRanking } from "./judged-ranking";
import { resolveMeasures, type MeasureInstance } from "./measure-names";
import { computeMeasure, relevanceString, type MeasureContext } from "./trec-measures";

/** trec_eval's evaluation settings, with trec_eval's defaults. */
export interface EvaluationOptions {
  /** trec_eval `-l`: grade at or above which a document counts as relevant for binary measures (default 1). */
  relevanceThreshold?: number;
  /**
   * trec_eval `-c`: average over every query in the qrels; queries the run lacks score as empty rankings.
   * Default false: only queries present in both run and qrels are evaluated (trec_eval's default).
   */
  averageOverQrels?: boolean;
  /** trec_eval `-M`: evaluate at most this many top-ranked documents per query (default: all). */
  maxDocsPerQuery?: number;
  /** trec_eval `-N`: number of documents in the collection, used only by utility's 4th coefficient (default 0). */
  collectionDocCount?: number;
}

/** The options with defaults filled in, as stored with every result. */
export type ResolvedEvaluationOptions = Required<EvaluationOptions>;

export function resolveEvaluationOptions(options: EvaluationOptions = {}): ResolvedEvaluationOptions {
  const resolved: ResolvedEvaluationOptions = {
    relevanceThreshold: options.relevanceThreshold ?? 1,
    averageOverQrels: options.averageOverQrels ?? false,
    maxDocsPerQuery: options.maxDocsPerQuery ?? Number.POSITIVE_INFINITY,
    collectionDocCount: options.collectionDocCount ?? 0,
  };
  if (!Number.isInteger(resolved.relevanceThreshold) || resolved.relevanceThreshold < 0) {
    throw new Error(`evaluate: relevanceThreshold must be an integer >= 0, got ${resolved.relevanceThreshold}. trec_eval's default is 1.`);
  }
  if (!(resolved.maxDocsPerQuery > 0) || (Number.isFinite(resolved.maxDocsPerQuery) && !Number.isInteger(resolved.maxDocsPerQuery))) {
    throw new Error(`evaluate: maxDocsPerQuery must be a positive integer, got ${resolved.maxDocsPerQuery}. Leave it out to use every document.`);
  }
  return resolved;
}

/**
 * The measures of one evaluation laid out in one Float64Array per query: instance k writes its values at
 * `offsets[k]`. Built once, then applied to every query.
 */
export class EvaluationPlan {
  readonly instances: MeasureInstance[];
  readonly offsets: number[];
  readonly valueCount: number;
  readonly context: MeasureContext;
  /** Instance index of relstring, or -1. */
  private readonly relstringIndex: number;

  constructor(measures: readonly string[], options: ResolvedEvaluationOptions) {
    if (measures.length === 0) throw new Error('evaluate: no measures given. Example: ["ndcg_cut.10", "map"].');
    this.instances = resolveMeasures(measures);
    this.offsets = [];
    let offset = 0;
    for (const instance of this.instances) {
      this.offsets.push(offset);
      offset += instance.trecNames.length;
    }
    this.valueCount = offset;
    this.context = { relevanceThreshold: options.relevanceThreshold, collectionDocCount: options.collectionDocCount };
    this.relstringIndex = this.instances.findIndex((instance) => instance.declaration.trecName === "relstring");
  }

  /** All values of one query (see {@link computeMeasure} for the layout). */
  computeQuery(ranking: JudgedRanking): Float64Array {
    const values = new Float64Array(this.valueCount);
    for (let k = 0; k < this.instances.length; k++) {
      computeMeasure(this.instances[k]!, ranking, this.context, values, this.offsets[k]!);
    }
    return values;
  }

  /** relstring of one query, or undefined when relstring was not requested. */
  relevanceText(ranking: JudgedRanking): string | undefined {
    if (this.relstringIndex < 0) return undefined;
    return relevanceString(this.instances[this.relstringIndex]!.parameters[0] ?? 10, ranking);
  }

  /**
   * The `all` values: mean over `averagedQueryCount` queries (sum for counts, geometric mean for gm_*,
   * the number of queries for num_q). Entries of text and run-tag measures are NaN.
   */
  aggregate(perQuery: readonly Float64Array[], averagedQueryCount: number): Float64Array {
    const sums = new Float64Array(this.valueCount);
    for (const values of perQuery) for (let v = 0; v < this.valueCount; v++) sums[v] += values[v]!;
    const all = new Float64Array(this.valueCount);
    this.instances.forEach((instance, k) => {
      const offset = this.offsets[k]!;
      for (let v = 0; v < instance.trecNames.length; v++) {
        const sum = sums[offset + v]!;
        switch (instance.declaration.aggregation) {
          case "mean":
            all[offset + v] = averagedQueryCount > 0 ? sum / averagedQueryCount : 0;
            break;
          case "sum":
            all[offset + v] = sum;
            break;
          case "geometricMean": {
            // Queries averaged in but absent from perQuery (-c) count as MIN_GEO_MEAN, as in trec_eval's meas_avg.c.
            const missing = averagedQueryCount - perQuery.length;
            all[offset + v] = averagedQueryCount > 0 ? Math.exp((sum + missing * Math.log(0.00001)) / averagedQueryCount) : 0;
            break;
          }
          case "queryCount":
            all[offset + v] = averagedQueryCount;
            break;
          default:
            all[offset + v] = Number.NaN;
        }
      }
    });
    return all;
  }
}
