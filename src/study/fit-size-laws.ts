import { fit } from "../scaling/fit";
import type { LawName } from "../scaling/scaling-law";
import type { StudyRow } from "./load-study";

/** One model-size fit of a study: a metric against non-embedding parameters for one objective, query set and budget. */
export interface StudySizeFit {
  objective: string;
  evalSet: string;
  budgetPairs: number;
  metric: string;
  law: LawName;
  /** Runs fitted (one point each: presets × seeds). */
  points: number;
  params?: Record<string, number>;
  r2?: number;
  warnings: string[];
  /** Why there is no fit (too few sizes, a constant metric, …), in scaling.fit's words. */
  error?: string;
}

/**
 * Fits `law` (default saturating, y = a + b·N^c) of each metric against `nonEmbeddingParams` over the final
 * checkpoints of a study's runs, one fit per (objective, evaluation set, budget, metric) — the paper's
 * model-size scaling experiment — by calling `scaling.fit`. A group that cannot be fitted is returned with the
 * fit's error, not dropped; the dev split is left out (it selects checkpoints, so it is not a test).
 *
 * @example fitSizeLaws(loadStudyRows("runs/smoke").rows, { metrics: ["ndcg@10", "ce@16"] })
 */
export function fitSizeLaws(rows: readonly StudyRow[], options: { metrics: readonly string[]; law?: LawName }): StudySizeFit[] {
  const law = options.law ?? "saturating";
  const groups = new Map<string, StudyRow[]>();
  for (const row of rows) {
    if (!row.final || row.evalSet === "dev") continue;
    const key = JSON.stringify([row.objective, row.evalSet, row.budgetPairs]);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(row);
  }
  const fits: StudySizeFit[] = [];
  for (const [key, points] of groups) {
    const [objective, evalSet, budgetPairs] = JSON.parse(key) as [string, string, number];
    for (const metric of options.metrics) {
      const base = { objective, evalSet, budgetPairs, metric, law, points: points.length };
      try {
        const fitted = fit(points, { law, x: "nonEmbeddingParams", y: metric });
        fits.push({ ...base, params: fitted.params, r2: fitted.r2, warnings: fitted.diagnostics.warnings });
      } catch (error) {
        fits.push({ ...base, warnings: [], error: (error as Error).message });
      }
    }
  }
  return fits;
}
