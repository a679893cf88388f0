import type { TopLevelSpec } from "vega-lite";
import type { ScalingPoint } from "../../scaling/law-columns";
import { logSpaced, toSignificant } from "../../scaling/log-spaced";
import type { ScalingFit } from "../../scaling/scaling-fit";

export interface ForecastChartOptions {
  /** Held-out points (same fields as the fitted ones) to draw as actuals against the forecast. */
  actual?: readonly ScalingPoint[];
  /** Sizes to forecast with an interval (default: the x of every actual, else 10× the largest fitted size). */
  forecastAt?: readonly number[];
  /** Coverage of the prediction band and error bars (default 0.95). */
  interval?: number;
  /** For a joint law: the value of the second x (data) at which the curve is drawn; only points there are shown. */
  at?: number;
  xTitle?: string;
  yTitle?: string;
  title?: string;
  widthPixels?: number;
  heightPixels?: number;
}

/**
 * A fitted law on log x: the fitted points, the law with its prediction band, forecasts with error
 * bars, and held-out actuals — the picture of a scaling forecast and whether it held.
 *
 * Reference: Vega-Lite layered area + line + point + errorbar, https://vega.github.io/vega-lite/docs/errorbar.html.
 * @example forecast(fit, { actual: heldOut }) // { $schema: ".../vega-lite/v5.json", layer: [...] }
 */
export function forecast(fitted: ScalingFit, options: ForecastChartOptions = {}): TopLevelSpec {
  const level = options.interval ?? 0.95;
  const joint = fitted.x.length === 2;
  if (joint && options.at === undefined) {
    throw new Error(`forecast: the ${fitted.law} law has two x fields (${fitted.x.join(", ")}); pass { at: value of ${fitted.x[1]} } to draw the curve over ${fitted.x[0]}.`);
  }
  const [xField] = fitted.x as [string];
  const coordinate = (size: number): number | number[] => (joint ? [size, options.at!] : size);
  const onCurve = (point: ScalingPoint): boolean => !joint || point[fitted.x[1]!] === options.at;
  const read = (point: ScalingPoint, field: string, where: string): number => {
    const value = point[field];
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`forecast: a point in ${where} has ${field} = ${String(value)}; it needs a finite number.`);
    return value;
  };
  const observed = fitted.source.points.filter(onCurve).map((point) => ({ series: "fitted points", x: read(point, xField, "the fit"), y: read(point, fitted.y, "the fit") }));
  const actual = (options.actual ?? []).filter(onCurve).map((point) => ({ series: "held-out actual", x: read(point, xField, "actual"), y: read(point, fitted.y, "actual") }));
  const fittedSizes = Array.from(fitted.source.columns.x[0]!);
  const forecastAt = options.forecastAt ?? (actual.length > 0 ? [...new Set(actual.map((row) => row.x))] : [10 * Math.max(...fittedSizes)]);
  const low = Math.min(...fittedSizes, ...forecastAt);
  const high = Math.max(...fittedSizes, ...forecastAt);
  const band = logSpaced(low, high, 60).map((size) => {
    const prediction = fitted.predict(coordinate(size), { interval: level });
    return { series: "law", x: toSignificant(size), y: toSignificant(prediction.value), lower: toSignificant(prediction.lower), upper: toSignificant(prediction.upper) };
  });
  const forecasts = forecastAt.map((size) => {
    const prediction = fitted.predict(coordinate(size), { interval: level });
    return { series: "forecast", x: size, y: toSignificant(prediction.value), lower: toSignificant(prediction.lower), upper: toSignificant(prediction.upper) };
  });
  const percent = `${Math.round(level * 100)}%`;
  const x = { field: "x", type: "quantitative" as const, title: options.xTitle ?? xField, scale: { type: "log" as const }, axis: { format: "~s" } };
  const y = { field: "y", type: "quantitative" as const, title: options.yTitle ?? fitted.y, scale: { zero: false } };
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain: ["fitted points", "law", "forecast", "held-out actual"], range: ["#4c78a8", "#4c78a8", "#e45756", "#54a24b"] },
  };
  const only = (series: string) => [{ filter: { field: "series", equal: series } }];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? `${fitted.formula} fitted to ${fitted.count} points; ${percent} prediction band`,
    width: options.widthPixels ?? 420,
    height: options.heightPixels ?? 280,
    data: { values: [...band, ...observed, ...forecasts, ...actual] },
    encoding: { x, y, color },
    layer: [
      { transform: only("law"), mark: { type: "area", opacity: 0.15 }, encoding: { y: { field: "lower", type: "quantitative" }, y2: { field: "upper" } } },
      { transform: only("law"), mark: { type: "line", strokeWidth: 1.5 } },
      { transform: only("fitted points"), mark: { type: "point", filled: true, size: 30, opacity: 0.7 }, encoding: { tooltip: [{ field: "x" }, { field: "y" }] } },
      { transform: only("forecast"), mark: { type: "rule", strokeWidth: 2 }, encoding: { y: { field: "lower", type: "quantitative" }, y2: { field: "upper" } } },
      { transform: only("forecast"), mark: { type: "point", shape: "diamond", filled: true, size: 90 }, encoding: { tooltip: [{ field: "x" }, { field: "y" }, { field: "lower" }, { field: "upper" }] } },
      { transform: only("held-out actual"), mark: { type: "point", shape: "square", filled: true, size: 60 }, encoding: { tooltip: [{ field: "x" }, { field: "y" }] } },
    ],
  };
}
