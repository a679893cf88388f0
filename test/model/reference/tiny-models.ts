import type { EncodedBatch } from "../../../src/data/encoded-batch";
import type { CreateOptions } from "../../../src/model/cross-encoder";

/** Tiny models covering both LayerNorm placements, both GELUs, the pooler and the exact-match embedding. */
export const TINY_CONFIGS: (CreateOptions & { layers: number; hidden: number; heads: number })[] = [
  { layers: 2, hidden: 16, heads: 2, ffn: 64, vocabSize: 50, maxLen: 12, exactMatch: true, seed: 7, initStd: 0.2 },
  { layers: 2, hidden: 16, heads: 4, ffn: 24, vocabSize: 50, maxLen: 12, layerNorm: "post", pooler: true,
    activation: "gelu_tanh", layerNormEpsilon: 1e-12, seed: 8, initStd: 0.2 },
  { layers: 1, hidden: 8, heads: 1, ffn: 32, vocabSize: 50, maxLen: 12, seed: 9, initStd: 0.3 },
];

/** Three rows of 10 tokens, two of them padded; ids are arbitrary (the models are random). */
export const TINY_BATCH: EncodedBatch = {
  batchSize: 3,
  seqLen: 10,
  inputIds: Int32Array.from([
    1, 7, 9, 2, 11, 13, 9, 17, 2, 0,
    1, 4, 2, 33, 4, 2, 0, 0, 0, 0,
    1, 49, 48, 47, 2, 30, 31, 32, 45, 2,
  ]),
  segmentIds: Int32Array.from([
    0, 0, 0, 0, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 1, 1, 1, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
  ]),
  lengths: Int32Array.from([9, 6, 10]),
  exactMatch: Uint8Array.from([
    0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
    0, 1, 0, 0, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  ]),
};

/** Weights of the scalar objective Σ weightᵢ · scoreᵢ whose gradients the fixture stores. */
export const SCORE_WEIGHTS = [1, -2, 0.5];
