import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "./render-svg";

/** The Vega-Lite version whose MIME type JupyterLab 4 renders (it has no renderer for v6). */
export const VEGA_LITE_MIME_TYPE = "application/vnd.vegalite.v5+json";
export const VEGA_LITE_SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json";

/**
 * One Jupyter display bundle: MIME type → content. Front-ends show the richest type they can render
 * (JupyterLab: the Vega-Lite JSON, interactive; nbconvert reports and GitHub: the SVG; a terminal: the text).
 */
export interface DisplayBundle {
  [mimeType: string]: unknown;
  "text/plain": string;
}

/**
 * The display bundle of one chart: the Vega-Lite spec as a JSON object (`application/vnd.vegalite.v5+json`),
 * the same chart rendered server-side to `image/svg+xml` by vega, and a one-line `text/plain` fallback.
 * Throws (from `renderSvg`) when vega cannot compile the spec, so a broken chart fails in its cell.
 *
 * Reference: Jupyter messaging spec, "display_data"; JupyterLab `@jupyterlab/vega5-extension` (MIME types).
 * @example chartBundle(charts.scalingCurve(points, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true }))["text/plain"]
 *   // "<Vega-Lite chart: ndcg@10 vs nonEmbeddingParams>"
 */
export function chartBundle(spec: TopLevelSpec): DisplayBundle {
  const withSchema = { $schema: VEGA_LITE_SCHEMA_URL, ...spec } as TopLevelSpec;
  return {
    [VEGA_LITE_MIME_TYPE]: withSchema,
    "image/svg+xml": renderSvg(withSchema),
    "text/plain": `<Vega-Lite chart${chartCaption(withSchema)}>`,
  };
}

function chartCaption(spec: TopLevelSpec): string {
  const title = spec.title;
  const text = typeof title === "string" ? title : Array.isArray(title) ? title.join(" ") : title?.text;
  const caption = Array.isArray(text) ? text.join(" ") : text ?? spec.description;
  return caption ? `: ${caption}` : "";
}
