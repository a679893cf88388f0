import type { TopLevelSpec } from "vega-lite";
import { logSpaced, toSignificant } from "../../scaling/log-spaced";
import type { ScalingFit } from "../../scaling/scaling-fit";

export interface JointLawHeatmapOptions {
  /** Ranges of the two x axes (default: the fitted data's range, widened by a factor 1.5 each way). */
  sizes?: readonly [number, number];
  data?: readonly [number, number];
  /** Cells per axis (default 24). */
  steps?: number;
  xTitle?: string;
  yTitle?: string;
  title?: string;
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * A joint law's prediction over model size × data as a heatmap on log axes, with the fitted points drawn
 * on top (coloured on the same scale, so a point that stands out from its cell is a bad residual).
 *
 * Reference: Hoffmann et al. 2022 ("Chinchilla"), Figure 4 (loss contours over N and D); Vega-Lite rect
 * with x/x2 and y/y2, https://vega.github.io/vega-lite/docs/rect.html.
 * @example jointLawHeatmap(joint) // { $schema: ".../vega-lite/v5.json", layer: [...] }
 */
export function jointLawHeatmap(fitted: ScalingFit, options: JointLawHeatmapOptions = {}): TopLevelSpec {
  if (fitted.x.length !== 2) throw new Error(`jointLawHeatmap: needs a law fitted on two x fields (joint or kaplan); this fit is ${fitted.law} on ${fitted.x[0]}.`);
  const [sizeColumn, dataColumn] = fitted.source.columns.x as [Float64Array, Float64Array];
  const steps = options.steps ?? 24;
  // Default ranges reach a factor 1.5 beyond the data, so the outermost points sit inside cells.
  const sizeRange = options.sizes ?? [Math.min(...sizeColumn) / 1.5, Math.max(...sizeColumn) * 1.5];
  const dataRange = options.data ?? [Math.min(...dataColumn) / 1.5, Math.max(...dataColumn) * 1.5];
  const sizeEdges = logSpaced(sizeRange[0], sizeRange[1], steps + 1);
  const dataEdges = logSpaced(dataRange[0], dataRange[1], steps + 1);
  const cells: Record<string, number | string>[] = [];
  const centres: [number, number][] = [];
  for (let i = 0; i < steps; i++) for (let j = 0; j < steps; j++) centres.push([Math.sqrt(sizeEdges[i]! * sizeEdges[i + 1]!), Math.sqrt(dataEdges[j]! * dataEdges[j + 1]!)]);
  const predicted = fitted.evaluate(centres);
  for (let i = 0; i < steps; i++)
    for (let j = 0; j < steps; j++) {
      cells.push({
        kind: "law",
        x: toSignificant(sizeEdges[i]!),
        x2: toSignificant(sizeEdges[i + 1]!),
        y: toSignificant(dataEdges[j]!),
        y2: toSignificant(dataEdges[j + 1]!),
        value: toSignificant(predicted[i * steps + j]!),
      });
    }
  const points = Array.from(sizeColumn, (size, i) => ({ kind: "observed", x: size, y: dataColumn[i]!, value: toSignificant(fitted.source.columns.y[i]!) }));
  const [sizeField, dataField] = fitted.x as [string, string];
  const colour = { field: "value", type: "quantitative" as const, title: fitted.y, scale: { scheme: "viridis", reverse: fitted.direction === "falling" } };
  const axis = (title: string) => ({ type: "quantitative" as const, title, scale: { type: "log" as const, nice: false }, axis: { format: "~s" } });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? `${fitted.formula} over ${sizeField} × ${dataField} (${fitted.count} fitted points as circles)`,
    width: options.widthPixels ?? 360,
    height: options.heightPixels ?? 300,
    data: { values: [...cells, ...points] },
    layer: [
      {
        transform: [{ filter: { field: "kind", equal: "law" } }],
        mark: { type: "rect" },
        encoding: { x: { field: "x", ...axis(options.xTitle ?? sizeField) }, x2: { field: "x2" }, y: { field: "y", ...axis(options.yTitle ?? dataField) }, y2: { field: "y2" }, color: colour, tooltip: [{ field: "value", title: `law ${fitted.y}` }] },
      },
      {
        transform: [{ filter: { field: "kind", equal: "observed" } }],
        mark: { type: "point", filled: true, size: 50, stroke: "white", strokeWidth: 1 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, color: colour, tooltip: [{ field: "x", title: sizeField }, { field: "y", title: dataField }, { field: "value", title: fitted.y }] },
      },
    ],
  };
}
