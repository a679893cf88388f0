/**
 * The toolkit's public surface, as a notebook imports it: `import { evaluate, charts, show } from "./src"`.
 * Each area adds its own line here; the areas themselves live in their folders.
 */
export * from "./paths";
export * from "./random";
export * from "./notebook";
export * as scaling from "./scaling";
export * from "./model";
export * as encoders from "./model/encoder-registry";
export * from "./model/safetensors";
export * from "./model/bert-checkpoint";
export * from "./model/torch-checkpoint";
export * from "./train/fusion";
export * from "./train/mlm";
export * from "./train/own-ladder";
export * from "./train";
export * from "./metrics";
export * from "./data/trec-qrels";
export * from "./data/trec-run";
export * from "./data/trec-topics";
export * from "./data";
export * as study from "./study";
