export * from "./scaling-curve";
export * from "./vega-lite-field";
