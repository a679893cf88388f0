export * from "./scaling-curve";
export * from "./vega-lite-field";
export * from "./training-curve";
