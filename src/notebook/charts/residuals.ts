import type { TopLevelSpec } from "vega-lite";
import { toSignificant } from "../../scaling/log-spaced";
import type { ScalingFit } from "../../scaling/scaling-fit";

export interface ResidualsChartOptions {
  xTitle?: string;
  title?: string;
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * Residuals (observed − fitted) of a fit against its first x on a log axis, with a zero rule; for a joint
 * law the points are coloured by the second x. A trend or a funnel in this picture means the law's form
 * or its noise model is wrong, whatever R² says.
 *
 * Reference: Draper & Smith 1998, "Applied Regression Analysis", 3rd ed., §2.2 (residual plots).
 * @example residuals(fit) // { $schema: ".../vega-lite/v5.json", layer: [...] }
 */
export function residuals(fitted: ScalingFit, options: ResidualsChartOptions = {}): TopLevelSpec {
  const [first, second] = fitted.source.columns.x as [Float64Array, Float64Array | undefined];
  const rows = fitted.residuals.map((residual, i) => ({
    x: first[i]!,
    ...(second ? { data: second[i]! } : {}),
    fitted: toSignificant(fitted.fitted[i]!),
    residual: toSignificant(residual),
  }));
  const secondField = fitted.x[1];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? `Residuals of ${fitted.formula} (${fitted.count} points, RMSE ${toSignificant(Math.sqrt(fitted.sse / fitted.count), 3)})`,
    width: options.widthPixels ?? 420,
    height: options.heightPixels ?? 220,
    data: { values: rows },
    layer: [
      { mark: { type: "rule", color: "#888", strokeDash: [4, 3] }, encoding: { y: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "point", filled: true, size: 40 },
        encoding: {
          x: { field: "x", type: "quantitative", title: options.xTitle ?? fitted.x[0], scale: { type: "log" }, axis: { format: "~s" } },
          y: { field: "residual", type: "quantitative", title: `observed − fitted ${fitted.y}` },
          ...(secondField ? { color: { field: "data", type: "quantitative", title: secondField, scale: { type: "log", scheme: "viridis" } } } : {}),
          tooltip: [{ field: "x", title: fitted.x[0] }, ...(secondField ? [{ field: "data", title: secondField }] : []), { field: "fitted" }, { field: "residual" }],
        },
      },
    ],
  };
}
