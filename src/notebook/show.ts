import type { TopLevelSpec } from "vega-lite";
import { chartBundle, type DisplayBundle } from "./display-bundle";
import { describe, isDataFrameLike, isRecordArray, tableBundle, type TableInput, type TableOptions } from "./table-html";

/** Where a display bundle goes: the kernel's iopub channel, or stdout outside a kernel. Tests pass their own. */
export type DisplaySink = (bundle: DisplayBundle) => void;

export interface ShowOptions extends TableOptions {
  /** Receives the bundle instead of the kernel (for tests, or to collect bundles in a script). */
  sink?: DisplaySink;
}

/** The keys that make an object a Vega-Lite view spec. Reference: vega-lite `src/spec/index.ts` (`TopLevelSpec`). */
const VEGA_LITE_VIEW_KEYS = ["mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat"] as const;

/** True for a Vega-Lite spec: a `$schema` naming vega-lite, or one of the view keys (`mark`, `layer`, ...). */
export function isVegaLiteSpec(value: unknown): value is TopLevelSpec {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const schema = (value as { $schema?: unknown }).$schema;
  if (typeof schema === "string") return schema.includes("vega-lite");
  return VEGA_LITE_VIEW_KEYS.some((key) => key in value);
}

/**
 * Displays a chart or a table in the notebook, as ONE display bundle per call:
 * - a Vega-Lite v5 spec (from `charts.*`) → the spec for JupyterLab, an SVG rendered by vega for reports, and text;
 * - a danfojs DataFrame or an array of records → an HTML table and an aligned text table.
 * Outside a Jupyter kernel (a script, a test) the text version is printed to stdout.
 * Returns nothing, so the cell does not also echo a value; call it without `await`.
 *
 * Throws, in the cell that called it, when the spec does not compile or the value is neither a chart nor a table.
 * @example show(charts.scalingCurve(points, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true }))
 * @example show([{ model: "d64L1", "ndcg@10": 0.5058 }])
 */
export function show(value: TopLevelSpec | TableInput, options: ShowOptions = {}): void {
  const sink = options.sink ?? defaultSink();
  if (isDataFrameLike(value) || isRecordArray(value)) {
    sink(tableBundle(value, options));
  } else if (isVegaLiteSpec(value)) {
    sink(chartBundle(value));
  } else if (Array.isArray(value) && (value as readonly unknown[]).length === 0) {
    sink({ "text/html": "<p><em>(empty table: no rows)</em></p>", "text/plain": "(empty table: no rows)" });
  } else {
    throw new Error(
      `show: expected a Vega-Lite spec (build one with charts.*), a danfojs DataFrame or an array of records, got ${describe(value)}. ` +
        "Use console.log for other values.",
    );
  }
}

/**
 * Shows a table (danfojs DataFrame or array of records) with explicit options, e.g. a caption or more rows.
 * @example showTable(rows, { caption: "TREC DL 2019, BM25 top-100, 43 queries", maxRows: 10 })
 */
export function showTable(table: TableInput, options: ShowOptions = {}): void {
  (options.sink ?? defaultSink())(tableBundle(table, options));
}

/** Signature of tslab's private `lastWriteDisplayData` (dist/jupyter.js), the only way to send a multi-MIME bundle. */
type WriteDisplayData = (
  content: { data: DisplayBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

function defaultSink(): DisplaySink {
  if ((globalThis as { __tslab__?: unknown }).__tslab__ === undefined) {
    return (bundle) => process.stdout.write(bundle["text/plain"] + "\n");
  }
  // In the kernel: tslab's public `display` sends one MIME type per message, so use the writer it keeps for the
  // running cell (set in JupyterHandlerImpl.handleExecuteImpl). The kernel wrapper runs this project's tslab, so
  // this require resolves to the kernel's own module instance.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
  return (bundle) => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) {
      throw new Error(
        "show: this kernel is not the project's tslab (no display writer found). " +
          'Pick the kernel "TypeScript (rerank-scaling)" after running `npm run kernel:install`.',
      );
    }
    write({ data: bundle, metadata: {}, transient: {} }, false);
  };
}
