import type { TopLevelSpec } from "vega-lite";
import { logSpaced, toSignificant } from "../../scaling/log-spaced";
import type { ScalingFit } from "../../scaling/scaling-fit";
import { vegaLiteField } from "./vega-lite-field";

export interface ScalingCurveOptions {
  /** Column on the x axis, e.g. "nonEmbeddingParams", "examplesSeen", "trainingFlops". */
  x: string;
  /** Column on the y axis, e.g. "ndcg@10" or "ce@32". */
  y: string;
  /** Logarithmic x scale (the usual view of a power law); needs every x > 0. */
  logX: boolean;
  /** Logarithmic y scale; needs every y > 0. Default false. */
  logY?: boolean;
  /** Column that splits the points into one coloured line each, e.g. "objective". */
  color?: string;
  /** Axis titles; say the unit ("non-embedding parameters", "training examples seen"). Default: the column name. */
  xTitle?: string;
  yTitle?: string;
  /** Chart title, e.g. the finding or the number of runs. */
  title?: string;
  /**
   * A one-axis law fitted to these points (`scaling.fit`), drawn as a dashed black curve over the x range
   * of the points; its tooltip shows the formula.
   */
  law?: ScalingFit;
  /** Plot size in pixels (default 400 × 260). */
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * A scaling curve: one point per run and a line through them in x order (one line per `color` group),
 * with a tooltip. The spec carries the points inline, so it renders without loading anything.
 *
 * Throws when a point lacks `x` or `y` as a finite number, or when `logX`/`logY` meets a value ≤ 0 (a log
 * scale would silently drop it).
 *
 * Reference: Vega-Lite layered line + point, https://vega.github.io/vega-lite/docs/layer.html.
 * @example scalingCurve([{ nonEmbeddingParams: 5e4, "ndcg@10": 0.38 }, { nonEmbeddingParams: 4e5, "ndcg@10": 0.44 }],
 *   { x: "nonEmbeddingParams", y: "ndcg@10", logX: true })  // { $schema: ".../vega-lite/v5.json", layer: [...] }
 */
export function scalingCurve(
  points: readonly Readonly<Record<string, unknown>>[],
  options: ScalingCurveOptions,
): TopLevelSpec {
  const { x, y, logX, logY = false, color, title, widthPixels = 400, heightPixels = 260 } = options;
  points.forEach((point, index) => {
    for (const [column, isLog] of [[x, logX], [y, logY]] as const) {
      const value = point[column];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        const present = Object.keys(point).join(", ") || "(none)";
        throw new Error(
          `scalingCurve: point ${index} has no finite number in column "${column}" (got ${JSON.stringify(value)}; ` +
            `its columns: ${present}). Pass the column name that holds the values.`,
        );
      }
      if (isLog && value <= 0) {
        throw new Error(
          `scalingCurve: a log scale needs positive values, but point ${index} has ${column} = ${value}. ` +
            `Drop that point or set ${column === x ? "logX" : "logY"}: false.`,
        );
      }
    }
  });
  const xEncoding = {
    field: vegaLiteField(x),
    type: "quantitative" as const,
    title: options.xTitle ?? x,
    scale: logX ? { type: "log" as const } : { zero: false },
    axis: logX ? { format: "~s" } : {},
  };
  const yEncoding = {
    field: vegaLiteField(y),
    type: "quantitative" as const,
    title: options.yTitle ?? y,
    scale: logY ? { type: "log" as const } : { zero: false },
  };
  const colorEncoding = color ? { color: { field: vegaLiteField(color), type: "nominal" as const, title: color } } : {};
  const tooltip = [x, y, ...(color ? [color] : [])].map((column) => ({ field: vegaLiteField(column) }));
  const lawLayer = options.law ? [fittedLawLayer(options.law, points, x, y)] : [];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(title ? { title } : {}),
    width: widthPixels,
    height: heightPixels,
    data: { values: points.map((point) => ({ ...point })) },
    encoding: { x: xEncoding, y: yEncoding, ...colorEncoding },
    layer: [
      { mark: { type: "line", strokeWidth: 1.5 }, encoding: { order: { field: vegaLiteField(x), type: "quantitative" } } },
      { mark: { type: "point", filled: true, size: 50 }, encoding: { tooltip } },
      ...lawLayer,
    ],
  };
}

/** The fitted law as its own layer (own inline data), evaluated on a log grid over the points' x range. */
function fittedLawLayer(law: ScalingFit, points: readonly Readonly<Record<string, unknown>>[], x: string, y: string) {
  if (law.x.length !== 1) {
    throw new Error(`scalingCurve: law must be a one-axis fit (saturating or pure); got the ${law.law} law on ${law.x.join(", ")}. Use charts.jointLawHeatmap for it.`);
  }
  const xs = points.map((point) => point[x] as number);
  const grid = logSpaced(Math.min(...xs), Math.max(...xs), 60);
  const values = law.evaluate(grid).map((value, i) => ({ [x]: toSignificant(grid[i]!), [y]: toSignificant(value), law: law.formula }));
  return {
    data: { values },
    mark: { type: "line" as const, strokeDash: [5, 3], strokeWidth: 1.5, color: "black" },
    encoding: { color: { value: "black" }, tooltip: [{ field: "law" }] },
  };
}
