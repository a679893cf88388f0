/**
 * The toolkit's public surface, as a notebook imports it: `import { evaluate, charts, show } from "./src"`.
 * One line per area, in the order data flows: dataset → candidates → training → metrics → fits → charts.
 */
export * from "./paths";
export * from "./random";
export * from "./data";
export * from "./data/trec-qrels";
export * from "./data/trec-run";
export * from "./data/trec-topics";
export * from "./metrics";
export * from "./model";
export * as encoders from "./model/encoder-registry";
export * from "./train";
export * as scaling from "./scaling";
export * as study from "./study";
export * from "./notebook";
