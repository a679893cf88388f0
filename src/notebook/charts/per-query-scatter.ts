import type { TopLevelSpec } from "vega-lite";
import { alignPerQuery } from "../../metrics/paired-statistics";
import type { PerQueryDifferenceOptions } from "./per-query-difference";

/**
 * Per-query scatter of two systems on one measure: system B (baseline) on x, system A on y, one point per query
 * present in both, with the diagonal y = x drawn; points above the diagonal are queries where A is better.
 * Both axes span [0, 1] unless a value lies outside (e.g. counts), then they fit the data.
 *
 * Reference: the per-topic scatter plots of TREC overview papers; Vega-Lite layered point + line.
 * @example perQueryScatter(resultA.perQuery, resultB.perQuery, { measure: "ndcg@10", labelA: "d256L2", labelB: "BM25" })
 */
export function perQueryScatter(
  perQueryA: ReadonlyMap<string, Readonly<Record<string, number>>>,
  perQueryB: ReadonlyMap<string, Readonly<Record<string, number>>>,
  options: PerQueryDifferenceOptions,
): TopLevelSpec {
  const { measure, labelA, labelB } = options;
  const aligned = alignPerQuery(perQueryA, perQueryB, measure);
  const rows = aligned.queryIds.map((queryId, index) => ({ query: queryId, a: aligned.a[index]!, b: aligned.b[index]! }));
  if (rows.length === 0) throw new Error("perQueryScatter: the two systems share no query id. Evaluate them on the same qrels.");
  const values = rows.flatMap((row) => [row.a, row.b]);
  const unit = values.every((value) => value >= 0 && value <= 1);
  const low = unit ? 0 : Math.min(...values);
  const high = unit ? 1 : Math.max(...values);
  const domain = [low, high];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? `${measure} per query: ${labelA} vs ${labelB} (${rows.length} queries)`,
    width: options.widthPixels ?? 300,
    height: options.heightPixels ?? 300,
    layer: [
      {
        data: { values: [{ x: low, y: low }, { x: high, y: high }] },
        mark: { type: "line", color: "#999999", strokeDash: [4, 3] },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { domain } },
          y: { field: "y", type: "quantitative", scale: { domain } },
        },
      },
      {
        data: { values: rows },
        mark: { type: "point", filled: true, opacity: 0.7 },
        encoding: {
          x: { field: "b", type: "quantitative", title: `${measure} of ${labelB}`, scale: { domain } },
          y: { field: "a", type: "quantitative", title: `${measure} of ${labelA}`, scale: { domain } },
          tooltip: [{ field: "query" }, { field: "a", title: labelA }, { field: "b", title: labelB }],
        },
      },
    ],
  };
}
