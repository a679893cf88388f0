import { fit, type FitOptions } from "./fit";
import type { ScalingPoint } from "./law-columns";
import type { ScalingFit } from "./scaling-fit";
import type { LawName } from "./scaling-law";

export interface LawComparisonRow {
  law: LawName;
  parameters: number;
  sse: number;
  r2: number;
  adjustedR2: number;
  aic: number;
  bic: number;
  /** AIC minus the best AIC in the table (0 for the best; above ~4, clearly worse). */
  deltaAic: number;
  /** Akaike weight exp(−ΔAIC/2) normalised over the laws that fitted. */
  akaikeWeight: number;
  warnings: string[];
  fit?: ScalingFit;
  /** Why the law could not be fitted; its numbers are then NaN. */
  error?: string;
}

/**
 * Fits several laws to the same points and ranks them by AIC (Gaussian likelihood, noise variance
 * counted as a parameter), with BIC, adjusted R² and Akaike weights. Only least-squares fits are
 * comparable this way. Default laws: saturating and pure for one x field, joint and kaplan for two.
 *
 * Reference: Burnham & Anderson 2002, "Model Selection and Multimodel Inference", §2.2 and §2.9.
 * @example compareLaws(points, { x: "nonEmbeddingParams", y: "ndcg@10" })[0].law // "saturating"
 */
export function compareLaws(
  points: readonly ScalingPoint[],
  options: Omit<FitOptions, "law" | "loss" | "bounds" | "start"> & { laws?: readonly LawName[] },
): LawComparisonRow[] {
  const axes = typeof options.x === "string" ? 1 : options.x.length;
  const laws = options.laws ?? (axes === 1 ? (["saturating", "pure"] as const) : (["joint", "kaplan"] as const));
  const rows: LawComparisonRow[] = laws.map((law) => {
    try {
      const fitted = fit(points, { ...options, law, loss: "squares" });
      return {
        law,
        parameters: fitted.parameterNames.length,
        sse: fitted.sse,
        r2: fitted.r2,
        adjustedR2: fitted.adjustedR2,
        aic: fitted.aic,
        bic: fitted.bic,
        deltaAic: NaN,
        akaikeWeight: NaN,
        warnings: fitted.diagnostics.warnings,
        fit: fitted,
      };
    } catch (error) {
      const nan = NaN;
      return { law, parameters: nan, sse: nan, r2: nan, adjustedR2: nan, aic: nan, bic: nan, deltaAic: nan, akaikeWeight: nan, warnings: [], error: error instanceof Error ? error.message : String(error) };
    }
  });
  const fitted = rows.filter((row) => Number.isFinite(row.aic));
  const bestAic = Math.min(...fitted.map((row) => row.aic));
  let weightSum = 0;
  for (const row of fitted) {
    row.deltaAic = row.aic - bestAic;
    weightSum += Math.exp(-row.deltaAic / 2);
  }
  for (const row of fitted) row.akaikeWeight = Math.exp(-row.deltaAic / 2) / weightSum;
  return rows.sort((left, right) => (Number.isFinite(left.aic) ? left.aic : Infinity) - (Number.isFinite(right.aic) ? right.aic : Infinity));
}
