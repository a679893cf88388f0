/**
 * Parameter and FLOP counts against hand counts and against the PyTorch reference script's formula
 * (../shared/bench/torch_cross_encoder_step.py: non_embedding = L·(4d² + 2·d·f), weights only).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { countParameters } from "../../src/model/count-parameters";
import { resolveCrossEncoderConfig } from "../../src/model/cross-encoder-config";
import { trainingFlops } from "../../src/model/training-flops";
import { SIZE_PRESETS, SIZE_PRESET_NAMES } from "../../src/model/size-presets";

test("hand count of the benchmark shape (d128, L2, f512, vocab 8192, maxLen 128)", () => {
  const config = resolveCrossEncoderConfig({ layers: 2, hidden: 128, heads: 4, vocabSize: 8192, maxLen: 128 });
  const counts = countParameters(config);
  // Weights as the PyTorch script counts them: 2 · (4·128² + 2·128·512) = 393,216.
  const weights = 2 * (4 * 128 * 128 + 2 * 128 * 512);
  assert.equal(weights, 393216);
  // Biases per layer: q, k, v, output 4·128, intermediate 512, output 128; LayerNorms 2·2·128; final LN 256; head 129.
  const biasesAndNorms = 2 * (4 * 128 + 512 + 128 + 4 * 128) + 256 + 129;
  assert.equal(counts.nonEmbeddingParams, weights + biasesAndNorms);
  assert.equal(counts.nonEmbeddingParams, 396929);
  assert.equal(counts.embeddingParams, (8192 + 128 + 2) * 128);
  assert.equal(counts.totalParams, 396929 + 1065216);
});

test("optional parts: post-LN, pooler and exact-match flag", () => {
  const base = resolveCrossEncoderConfig({ layers: 1, hidden: 8, heads: 2, ffn: 16, vocabSize: 10, maxLen: 4 });
  const full = resolveCrossEncoderConfig({ ...base, layerNorm: "post", pooler: true, exactMatch: true });
  // The pooler adds 8·8 + 8; the exact-match table 2·8; post-LN moves the 2·8 LayerNorm to the embeddings.
  assert.equal(countParameters(full).nonEmbeddingParams - countParameters(base).nonEmbeddingParams, 72);
  assert.equal(countParameters(full).embeddingParams - countParameters(base).embeddingParams, 16);
});

test("training FLOPs: hand count for d128, L2, seq 128, and the last-layer shortcut", () => {
  const config = resolveCrossEncoderConfig({ layers: 2, hidden: 128, heads: 4 });
  const { trainingFlopsPerExample, performedTrainingFlopsPerExample } = trainingFlops(config, 128);
  // Forward per layer: dense 2·128·(4·128² + 2·128·512) = 50,331,648; attention 4·128²·128 = 8,388,608.
  // Two layers + head 2·128, times 3 for forward + backward.
  assert.equal(trainingFlopsPerExample, 3 * (2 * (50331648 + 8388608) + 256));
  assert.equal(trainingFlopsPerExample, 352322304);
  // Equivalently 6·N·S + 12·L·S²·d with N = L·(4d² + 2df) weights, plus the head: Kaplan et al.'s 6·N·S plus
  // both attention products (their Table 1 counts the QKᵀ product only, 6·L·S²·d).
  assert.equal(6 * 393216 * 128 + 12 * 2 * 128 * 128 * 128, trainingFlopsPerExample - 3 * 256);
  // Last layer for [CLS] only: keys and values 2·128·2·128², then one token: 2·(2·128² + 2·128·512) + 4·128·128.
  const clsLayer = 2 * 128 * 2 * 128 * 128 + 2 * (2 * 128 * 128 + 2 * 128 * 512) + 4 * 128 * 128;
  assert.equal(performedTrainingFlopsPerExample, 3 * (50331648 + 8388608 + clsLayer + 256));
  assert.throws(() => trainingFlops(config, 0), /seqLen must be a positive integer/);
});

test("size presets: names within 10% of the exact count, two orders of magnitude, scaling-study shapes", () => {
  const counts = SIZE_PRESET_NAMES.map((name) => {
    const shape = SIZE_PRESETS[name];
    const config = resolveCrossEncoderConfig({ ...shape });
    const exact = countParameters(config).nonEmbeddingParams;
    const nominal = Number(name.replace("M", "")) * 1e6;
    assert.ok(Math.abs(exact - nominal) / nominal < 0.1, `${name}: exact ${exact}`);
    assert.equal(config.ffn, 4 * config.hidden, `${name}: ffn = 4d`);
    const headDim = config.hidden / config.heads;
    assert.ok(headDim === 64 || (headDim === 32 && config.hidden <= 128), `${name}: head dim ${headDim}`);
    const aspect = config.hidden / config.layers;
    assert.ok(aspect >= 32 && aspect <= 64, `${name}: d/L = ${aspect}`);
    return exact;
  });
  assert.ok(counts.every((count, i) => i === 0 || count > counts[i - 1]!), "ladder increases");
  assert.ok(counts[counts.length - 1]! / counts[0]! >= 100, "spans at least two orders of magnitude");
});
