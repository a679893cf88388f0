import type { TopLevelSpec } from "vega-lite";
import type { CheckpointMetrics } from "../../train/run-directory";

/** One training run's checkpoints (metrics.jsonl, or `TrainRun.checkpoints`) under a label. */
export interface TrainingCurveRun {
  /** Legend label, e.g. "0.4M listwise seed 1". */
  label: string;
  checkpoints: readonly CheckpointMetrics[];
}

export interface TrainingCurveOptions {
  /** Dev metric on the left panel (canonical name). Default "ndcg@10". */
  metric?: string;
  /** x axis: query-passage pairs seen (default, the data budget unit), optimizer steps, or training FLOPs. */
  x?: "pairsSeen" | "step" | "trainingFlops";
  /** Logarithmic x axis (the data-scaling view). Default true. */
  logX?: boolean;
  title?: string;
  /** Size of each panel in pixels (default 320 × 220). */
  widthPixels?: number;
  heightPixels?: number;
}

const X_TITLES = {
  pairsSeen: "query-passage pairs seen in training",
  step: "optimizer steps",
  trainingFlops: "training FLOPs",
} as const;

/**
 * The training curve of one or more runs, two panels side by side over the same x axis: the dev metric at every
 * checkpoint (the data-scaling curve) and the mean training loss since the previous checkpoint. One colour per
 * run; the best dev checkpoint of each run is drawn as a larger point. Loss scales differ between objectives:
 * compare losses only between runs of the same objective.
 *
 * Reference: Vega-Lite hconcat of layered line + point, https://vega.github.io/vega-lite/docs/concat.html.
 * @example trainingCurve([{ label: "0.1M listwise", checkpoints: run.checkpoints }], { metric: "ndcg@10" })
 */
export function trainingCurve(runs: readonly TrainingCurveRun[], options: TrainingCurveOptions = {}): TopLevelSpec {
  const metric = options.metric ?? "ndcg@10";
  const x = options.x ?? "pairsSeen";
  const logX = options.logX ?? true;
  const widthPixels = options.widthPixels ?? 320;
  const heightPixels = options.heightPixels ?? 220;
  const rows: Array<Record<string, number | string | boolean>> = [];
  for (const run of runs) {
    let bestStep: number | undefined;
    let bestValue = -Infinity;
    for (const checkpoint of run.checkpoints) {
      const value = checkpoint.dev?.[metric];
      if (value !== undefined && value > bestValue) {
        bestValue = value;
        bestStep = checkpoint.step;
      }
    }
    for (const checkpoint of run.checkpoints) {
      const xValue = checkpoint[x];
      if (typeof xValue !== "number" || !Number.isFinite(xValue) || (logX && xValue <= 0)) {
        throw new Error(
          `trainingCurve: run "${run.label}" checkpoint at step ${checkpoint.step} has ${x} = ${String(xValue)}; ` +
            (logX ? "a log axis needs positive values (set logX: false)." : "pick another x (pairsSeen or step)."),
        );
      }
      const devValue = checkpoint.dev?.[metric];
      rows.push({
        run: run.label,
        x: xValue,
        step: checkpoint.step,
        ...(devValue !== undefined ? { dev: devValue } : {}),
        ...(Number.isFinite(checkpoint.trainLoss) ? { loss: checkpoint.trainLoss } : {}),
        best: checkpoint.step === bestStep,
      });
    }
  }
  if (!rows.some((row) => "dev" in row)) {
    const present = [...new Set(runs.flatMap((run) => run.checkpoints.flatMap((c) => Object.keys(c.dev ?? {}))))];
    throw new Error(
      `trainingCurve: no checkpoint has the dev metric "${metric}" (present: ${present.join(", ") || "none — train with evalOn"}).`,
    );
  }
  const xEncoding = {
    field: "x",
    type: "quantitative" as const,
    title: X_TITLES[x],
    scale: logX ? { type: "log" as const } : { zero: false },
    axis: { format: "~s" },
  };
  const color = { field: "run", type: "nominal" as const, title: "run" };
  const panel = (field: "dev" | "loss", title: string) => ({
    width: widthPixels,
    height: heightPixels,
    transform: [{ filter: `isValid(datum.${field})` }],
    encoding: {
      x: xEncoding,
      y: { field, type: "quantitative" as const, title, scale: { zero: false } },
      color,
    },
    layer: [
      { mark: { type: "line" as const, strokeWidth: 1.5 }, encoding: { order: { field: "x", type: "quantitative" as const } } },
      {
        mark: { type: "point" as const, filled: true },
        encoding: {
          size: { condition: { test: "datum.best", value: 140 }, value: 30 },
          tooltip: [{ field: "run" }, { field: "step" }, { field: "x", title: X_TITLES[x] }, { field }],
        },
      },
    ],
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(options.title ? { title: options.title } : {}),
    data: { values: rows },
    hconcat: [panel("dev", `dev ${metric}`), panel("loss", "training loss (mean since previous checkpoint)")],
  };
}
