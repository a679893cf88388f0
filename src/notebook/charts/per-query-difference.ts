import type { TopLevelSpec } from "vega-lite";
import { alignPerQuery } from "../../metrics/paired-statistics";

/** Per-query values of one measure for two systems (e.g. `evaluate(...).perQuery`), keyed by query id. */
export interface PerQueryDifferenceOptions {
  /** Canonical measure name shown on the axis, e.g. "ndcg@10". */
  measure: string;
  /** Label of system A (the one whose gain is plotted). */
  labelA: string;
  /** Label of system B (the baseline). */
  labelB: string;
  title?: string;
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * Per-query difference plot between two systems: one bar per query with A − B of one measure, queries sorted by
 * the difference, bars coloured by sign (A better / B better / tie), plus a rule at the mean difference.
 * Only queries present in both inputs are drawn; the title counts them and the wins and losses.
 *
 * Reference: the "per-topic difference" bar charts of TREC overview papers; Vega-Lite layered bar + rule.
 * @example perQueryDifference(resultA.perQuery, resultB.perQuery, { measure: "ndcg@10", labelA: "d256L2", labelB: "BM25" })
 */
export function perQueryDifference(
  perQueryA: ReadonlyMap<string, Readonly<Record<string, number>>>,
  perQueryB: ReadonlyMap<string, Readonly<Record<string, number>>>,
  options: PerQueryDifferenceOptions,
): TopLevelSpec {
  const { measure, labelA, labelB } = options;
  const aligned = alignPerQuery(perQueryA, perQueryB, measure);
  const rows = aligned.queryIds.map((queryId, index) => {
    const a = aligned.a[index]!;
    const b = aligned.b[index]!;
    const difference = a - b;
    return { query: queryId, difference, a, b, outcome: difference > 0 ? `${labelA} better` : difference < 0 ? `${labelB} better` : "tie" };
  });
  if (rows.length === 0) throw new Error("perQueryDifference: the two systems share no query id. Evaluate them on the same qrels.");
  rows.sort((x, y) => y.difference - x.difference || (x.query < y.query ? -1 : 1));
  const wins = rows.filter((row) => row.difference > 0).length;
  const losses = rows.filter((row) => row.difference < 0).length;
  const title = options.title ?? `${measure}: ${labelA} − ${labelB} per query (${rows.length} queries; ${wins} better, ${losses} worse)`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    width: options.widthPixels ?? 480,
    height: options.heightPixels ?? 240,
    data: { values: rows },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: { field: "query", type: "nominal", sort: null, title: `query (sorted by difference, n = ${rows.length})`, axis: { labels: rows.length <= 60 } },
          y: { field: "difference", type: "quantitative", title: `Δ ${measure} (${labelA} − ${labelB})` },
          color: {
            field: "outcome",
            type: "nominal",
            title: null,
            scale: { domain: [`${labelA} better`, `${labelB} better`, "tie"], range: ["#2f7ebc", "#d6604d", "#999999"] },
          },
          tooltip: [{ field: "query" }, { field: "a", title: labelA }, { field: "b", title: labelB }, { field: "difference", format: ".4f" }],
        },
      },
      {
        mark: { type: "rule", strokeDash: [4, 3] },
        encoding: { y: { aggregate: "mean", field: "difference", type: "quantitative" } },
      },
    ],
  };
}
