/** Evaluation: trec_eval-exact measures, contrastive entropy, statistics over queries. */
export * from "./measures";
export * from "./measure-names";
export * from "./judged-ranking";
export * from "./trec-measures";
export * from "./evaluation-plan";
export * from "./evaluate";
export * from "./evaluate-files";
export * from "./trec-eval-format";
export * from "./contrastive-entropy";
export * from "./paired-statistics";
