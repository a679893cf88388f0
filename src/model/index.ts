/** The model area: backend selection, the cross-encoder, its size ladder, parameter and FLOP counts. */
export * from "./backend";
export * from "./cross-encoder-config";
export * from "./cross-encoder";
export * from "./count-parameters";
export * from "./training-flops";
export * from "./size-presets";
export * from "./score-pairs";
export { arrangementFor, type OpsArrangement } from "./ops/arrangement";
export * from "./safetensors";
export * from "./bert-checkpoint";
export * from "./torch-checkpoint";
