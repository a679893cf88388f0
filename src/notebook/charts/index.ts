export * from "./scaling-curve";
export * from "./vega-lite-field";
export * from "./training-curve";
export * from "./forecast";
export * from "./residuals";
export * from "./joint-law-heatmap";
export * from "./iso-compute";
export * from "./per-query-difference";
