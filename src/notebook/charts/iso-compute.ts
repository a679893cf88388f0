import type { TopLevelSpec } from "vega-lite";
import { allocateCompute } from "../../scaling/allocate-compute";
import { isoComputeCurve, type ComputeModel } from "../../scaling/iso-compute-curve";
import { toSignificant } from "../../scaling/log-spaced";
import type { ScalingFit } from "../../scaling/scaling-fit";

export interface IsoComputeChartOptions extends ComputeModel {
  /** Training budgets in FLOPs, one curve each. */
  computeFlops: readonly number[];
  /** Model sizes spanned by the curves (default: 1/10 of the smallest to 10× the largest fitted size). */
  sizes?: readonly [number, number];
  /** Coverage of the interval on each optimum (default 0.95) and parameter draws behind it (default 200). */
  interval?: number;
  draws?: number;
  title?: string;
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * Iso-compute curves of a joint law: for each budget C, the predicted metric against model size N when
 * training on D = C / flopsPerExample(N) examples, with the compute-optimal size marked and its interval
 * (parameter draws from the delta-method covariance, see `scaling.allocateCompute`).
 *
 * Reference: Hoffmann et al. 2022 ("Chinchilla"), Figure 3 (IsoFLOP profiles).
 * @example isoCompute(joint, { computeFlops: [1e14, 1e15, 1e16], tokensPerExample: 128 })
 */
export function isoCompute(fitted: ScalingFit, options: IsoComputeChartOptions): TopLevelSpec {
  if (options.computeFlops.length === 0) throw new Error(`isoCompute: pass at least one budget in computeFlops, e.g. [1e14, 1e15, 1e16].`);
  const fittedSizes = fitted.source.columns.x[0]!;
  const sizes = options.sizes ?? ([Math.min(...fittedSizes) / 10, Math.max(...fittedSizes) * 10] as const);
  const rows: Record<string, number | string>[] = [];
  for (const computeFlops of options.computeFlops) {
    const budget = `C = ${computeFlops.toExponential(0)} FLOPs`;
    for (const point of isoComputeCurve(fitted, computeFlops, { ...options, sizes, steps: 60 })) {
      rows.push({ kind: "curve", budget, N: toSignificant(point.nonEmbeddingParams), D: toSignificant(point.examples), value: toSignificant(point.predicted) });
    }
    const best = allocateCompute(fitted, { ...options, computeFlops, sizes, draws: options.draws ?? 200 });
    rows.push({
      kind: "optimum",
      budget,
      N: toSignificant(best.nonEmbeddingParams),
      D: toSignificant(best.examples),
      value: toSignificant(best.predicted),
      lowerN: toSignificant(best.interval.nonEmbeddingParams[0]),
      upperN: toSignificant(best.interval.nonEmbeddingParams[1]),
    });
  }
  const x = { field: "N", type: "quantitative" as const, title: `${fitted.x[0]} (data = C / FLOPs per example)`, scale: { type: "log" as const }, axis: { format: "~s" } };
  const y = { field: "value", type: "quantitative" as const, title: `predicted ${fitted.y}`, scale: { zero: false } };
  const color = { field: "budget", type: "nominal" as const, title: "training budget", sort: null };
  const only = (kind: string) => [{ filter: { field: "kind", equal: kind } }];
  const percent = Math.round((options.interval ?? 0.95) * 100);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? `Iso-compute curves of ${fitted.formula}; optimum with ${percent}% interval on N`,
    width: options.widthPixels ?? 420,
    height: options.heightPixels ?? 280,
    data: { values: rows },
    encoding: { x, y, color },
    layer: [
      { transform: only("curve"), mark: { type: "line", strokeWidth: 1.5 }, encoding: { order: { field: "N", type: "quantitative" } } },
      { transform: only("optimum"), mark: { type: "rule", strokeWidth: 2 }, encoding: { x: { field: "lowerN", type: "quantitative" }, x2: { field: "upperN" } } },
      {
        transform: only("optimum"),
        mark: { type: "point", filled: true, size: 80, shape: "diamond" },
        encoding: { tooltip: [{ field: "budget" }, { field: "N", title: "optimal N" }, { field: "D", title: "examples" }, { field: "value", title: `predicted ${fitted.y}` }, { field: "lowerN" }, { field: "upperN" }] },
      },
    ],
  };
}
