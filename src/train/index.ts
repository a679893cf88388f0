/** Training and inference of rerankers: losses, optimizer, schedule, trainer with checkpoints, reranking. */
export * from "./adamw";
export * from "./candidates-from-run";
export * from "./checkpoint";
export * from "./clip-by-global-norm";
export * from "./example-order";
export * from "./lambda-loss";
export * from "./learning-rate-schedule";
export * from "./list-net-loss";
export * from "./pointwise-bce-loss";
export * from "./progress-bar";
export * from "./rank-net-loss";
export * from "./ranking-loss";
export * from "./rerank-run";
export * from "./run-directory";
export * from "./score-candidates";
export * from "./train";
export * from "./trainable-model";
