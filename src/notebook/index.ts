/**
 * Notebook display: `show(chartOrTable)` sends one Jupyter display bundle; `charts.*` build Vega-Lite v5 specs.
 * @example
 * import { charts, show } from "./src";
 * show(charts.scalingCurve(points, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true }));
 */
export * as charts from "./charts";
export { show, showTable, isVegaLiteSpec, type DisplaySink, type ShowOptions } from "./show";
export { chartBundle, VEGA_LITE_MIME_TYPE, VEGA_LITE_SCHEMA_URL, type DisplayBundle } from "./display-bundle";
export { tableBundle, type TableInput, type TableOptions, type DataFrameLike } from "./table-html";
export { renderSvg } from "./render-svg";
export { publishReport, cellErrorMessage, ReportError, PROJECT_KERNEL_NAME, type PublishReportOptions } from "./publish-report";
export { findJupyter, type JupyterRuntime } from "./find-jupyter";
export { notebookTitle, writeReportIndex, type ReportEntry } from "./report-index";
