import { CONTRASTIVE_ENTROPY_NAME } from "../metrics/contrastive-entropy";
import { toCanonicalMeasure } from "../metrics/measure-names";
import type { ScalingPoint } from "./law-columns";

/** One finding of the metric linter. */
export interface MetricLint {
  metric: string;
  /** "error": fitting it is meaningless; "warning": fitting it is likely a mistake or a duplicate. */
  severity: "error" | "warning";
  /** "unknown": a name the metrics registry cannot read, or a column that is not numeric in every point. */
  code: "unchangeable" | "alias" | "identical" | "flat" | "unknown";
  message: string;
}

export interface LintMetricsOptions {
  /** Depth of the first-stage list being reranked (e.g. 100 for BM25 top-100). */
  rerankDepth?: number;
  /** Whether the qrels have binary grades (0/1) only. */
  binaryLabels?: boolean;
  /** Whether every query has exactly one relevant document (MS MARCO dev style). */
  singleRelevantPerQuery?: boolean;
  /** Result rows holding the metrics as fields: checked for flat and identical series. */
  points?: readonly ScalingPoint[];
  /** Field of `points` that groups them by size for the flat-series check (e.g. "nonEmbeddingParams"). */
  x?: string;
  /** A series is flat when the range of its per-size means is at most this, in metric units (default 0.01: below
   * this, differences between rerankers on a few hundred queries are noise; see DESIGN.md §4). */
  flatTolerance?: number;
}

interface ParsedMetric {
  measure: "ndcg" | "p" | "recall" | "mrr" | "map" | "success" | "ce" | "other";
  cutoff?: number;
}

const CANONICAL_BASES: Record<string, ParsedMetric["measure"]> = { ndcg: "ndcg", P: "p", recall: "recall", mrr: "mrr", map: "map", success: "success" };

/**
 * Reads a measure name through the metrics registry (`ndcg@10`, `ndcg_cut_10`, `P_10`, `recall_100`,
 * `recip_rank`, `map_cut_10` ...) into its family and cutoff; contrastive entropy `ce@k` is the project's own
 * (family "ce", cutoff k negatives). Names the registry does not know, or that denote several values (bare
 * `recall`), throw with the registry's message.
 * @example parseMetricName("P_100") // { measure: "p", cutoff: 100 }
 */
export function parseMetricName(name: string): ParsedMetric {
  const contrastive = CONTRASTIVE_ENTROPY_NAME.exec(name);
  if (contrastive) return { measure: "ce", cutoff: Number(contrastive[1]) };
  const canonical = toCanonicalMeasure(name);
  const match = /^([A-Za-z_]+)(?:@(\d+))?$/.exec(canonical);
  const measure = match ? CANONICAL_BASES[match[1]!] : undefined;
  if (!match || !measure) return { measure: "other" };
  return match[2] === undefined ? { measure } : { measure, cutoff: Number(match[2]) };
}

/** Measures equal per query when grades are binary: the top document is relevant or not. */
const BINARY_TOP_ONE = new Set(["ndcg@1", "p@1", "success@1", "mrr@1"]);

/**
 * Flags metrics that should not be fitted before anyone fits them:
 * - unchangeable: a reranker only reorders the top-`rerankDepth` list, so Recall@k, P@k and Success@k
 *   with k ≥ depth are fixed by the first stage;
 * - alias: with binary labels NDCG@1 = P@1 = Success@1 = MRR@1; with one relevant document per query
 *   MAP = MRR and Recall@k = Success@k — fit one of each family;
 * - identical: two metric columns of `points` hold the same values;
 * - flat: the per-size means of a metric span no more than `flatTolerance`.
 *
 * Reference: trec_eval 9.0.7 measure definitions (`m_recall.c`, `m_P.c`, `m_ndcg_cut.c`).
 * @example lintMetrics(["ndcg@10", "recall@100"], { rerankDepth: 100 })[0].code // "unchangeable"
 */
export function lintMetrics(metrics: readonly string[], options: LintMetricsOptions = {}): MetricLint[] {
  const lints: MetricLint[] = [];
  const parsed: ({ metric: string } & ParsedMetric)[] = [];
  for (const metric of metrics) {
    try {
      parsed.push({ metric, ...parseMetricName(metric) });
    } catch (error) {
      lints.push({ metric, severity: "warning", code: "unknown", message: `${metric}: not checked, ${(error as Error).message.split(". Known")[0]}.` });
      parsed.push({ metric, measure: "other" });
    }
  }
  const depth = options.rerankDepth;
  if (depth !== undefined && !(Number.isInteger(depth) && depth > 0)) {
    throw new Error(`lintMetrics: rerankDepth must be a positive integer (the depth of the reranked list), got ${depth}.`);
  }

  for (const { metric, measure, cutoff } of parsed) {
    if (depth === undefined) break;
    const setBased = measure === "recall" || measure === "p" || measure === "success";
    if (setBased && cutoff !== undefined && cutoff >= depth) {
      lints.push({
        metric,
        severity: "error",
        code: "unchangeable",
        message: `${metric} cannot change when reranking a top-${depth} list: it only counts which documents are in the top ${cutoff ?? "run"}, and the reranker only reorders them. Fit a rank-sensitive metric (ndcg@10, mrr@10, map) or a cutoff below ${depth}.`,
      });
    }
  }

  const aliasFamilies: { when: string; members: Set<string> }[] = [];
  if (options.binaryLabels) aliasFamilies.push({ when: "with binary labels", members: BINARY_TOP_ONE });
  if (options.singleRelevantPerQuery) {
    aliasFamilies.push({ when: "with one relevant document per query", members: new Set(["map", "mrr"]) });
    for (const cutoff of new Set(parsed.map((entry) => entry.cutoff))) {
      if (cutoff !== undefined) aliasFamilies.push({ when: "with one relevant document per query", members: new Set([`recall@${cutoff}`, `success@${cutoff}`]) });
    }
  }
  for (const { when, members } of aliasFamilies) {
    const present = parsed.filter(({ measure, cutoff }) => members.has(cutoff === undefined ? measure : `${measure}@${cutoff}`));
    for (const duplicate of present.slice(1)) {
      lints.push({ metric: duplicate.metric, severity: "warning", code: "alias", message: `${duplicate.metric} equals ${present[0]!.metric} ${when}; fitting both counts one result twice.` });
    }
  }

  if (options.points) lints.push(...seriesLints(metrics, options.points, options.x, options.flatTolerance ?? 0.01));
  return lints;
}

function seriesLints(metrics: readonly string[], points: readonly ScalingPoint[], x: string | undefined, flatTolerance: number): MetricLint[] {
  const lints: MetricLint[] = [];
  const series = new Map<string, number[]>();
  for (const metric of metrics) {
    const values = points.map((point) => point[metric]);
    if (values.some((value) => typeof value !== "number" || !Number.isFinite(value))) {
      lints.push({ metric, severity: "error", code: "unknown", message: `${metric} is missing or not a finite number in some points; fix the table before fitting.` });
      continue;
    }
    series.set(metric, values as number[]);
  }
  const seen: [string, number[]][] = [];
  for (const [metric, values] of series) {
    const twin = seen.find(([, other]) => other.every((value, i) => Math.abs(value - values[i]!) <= 1e-12));
    if (twin) lints.push({ metric, severity: "warning", code: "identical", message: `${metric} has the same value as ${twin[0]} in every point; fit only one of them.` });
    seen.push([metric, values]);
    const groups = new Map<unknown, number[]>();
    points.forEach((point, i) => {
      const key = x === undefined ? i : point[x];
      const group = groups.get(key);
      if (group) group.push(values[i]!);
      else groups.set(key, [values[i]!]);
    });
    const means = [...groups.values()].map((group) => group.reduce((sum, value) => sum + value, 0) / group.length);
    const range = Math.max(...means) - Math.min(...means);
    if (range <= flatTolerance) {
      lints.push({
        metric,
        severity: range === 0 ? "error" : "warning",
        code: "flat",
        message: `${metric} is flat: its ${x ? "per-size means" : "values"} span ${range.toPrecision(3)} (tolerance ${flatTolerance}); a law fitted to it describes noise.`,
      });
    }
  }
  return lints;
}
