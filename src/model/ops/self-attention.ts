import * as tf from "@tensorflow/tfjs";
import type { OpsArrangement } from "./arrangement";
import { unstackRows } from "./unstack-rows";

/** Shapes of one attention call. */
export interface AttentionShape {
  batchSize: number;
  seqLen: number;
  heads: number;
  headDim: number;
}

/**
 * Multi-head scaled dot-product self-attention over all tokens. Input: the fused projections
 * qkv [batch·seq, 3·d] (columns: queries, keys, values, each head-major as in BERT) with the queries already
 * multiplied by 1/sqrt(headDim) (the model folds the scale into the query projection, which saves two passes
 * over the seq×seq scores), and an additive mask [batch, 1, 1, seq] (0 for real tokens, a large negative number
 * for padding keys) or null when no row is padded. Output: the heads' weighted values concatenated,
 * [batch·seq, d], before the output projection.
 *
 * - "per-slice" (wasm): one untransposed 2-D matMul per (example, head), with a hand-written gradient in which
 *   every product is untransposed as well (dQ = dS·K, dKᵀ = Qᵀ·dS, dVᵀ = dOᵀ·P, dP = dO·Vᵀ); the transposed
 *   operands are made by two batched transposes of the inputs and never of the seq×seq matrices.
 * - "batched" (GPU, native): 4-D matMuls with tfjs's gradient.
 *
 * Reference: Vaswani et al. 2017, "Attention Is All You Need", §3.2; HF `BertSelfAttention`.
 * @example selfAttention(qkv, mask, { batchSize: 2, seqLen: 8, heads: 2, headDim: 4 }, arrangement) // [16, 8]
 */
export function selfAttention(
  qkv: tf.Tensor2D,
  additiveMask: tf.Tensor4D | null,
  shape: AttentionShape,
  arrangement: OpsArrangement,
): tf.Tensor2D {
  return arrangement.attention === "batched"
    ? batchedAttention(qkv, additiveMask, shape)
    : perSliceAttention(qkv, additiveMask, shape);
}

/** Scores plus the padding mask (when there is one), softmaxed over keys. */
function maskedSoftmax(scores: tf.Tensor, additiveMask: tf.Tensor4D | null): tf.Tensor {
  return tf.softmax(additiveMask ? tf.add(scores, additiveMask) : scores);
}

function batchedAttention(qkv: tf.Tensor2D, additiveMask: tf.Tensor4D | null, shape: AttentionShape): tf.Tensor2D {
  const { batchSize, seqLen, heads, headDim } = shape;
  const split = tf.transpose(tf.reshape(qkv, [batchSize, seqLen, 3 * heads, headDim]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(split, 3, 1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const context = tf.matMul(maskedSoftmax(tf.matMul(q, k, false, true), additiveMask), v); // [b, h, s, dh]
  return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batchSize * seqLen, heads * headDim]);
}

function perSliceAttention(qkv: tf.Tensor2D, additiveMask: tf.Tensor4D | null, shape: AttentionShape): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    // tidy in both directions: the slices are temporaries, and tfjs would keep those of a custom gradient alive
    // until the end of the whole backward pass.
    const [value, headMajor, transposed, probabilities] = tf.tidy(() => perSliceForward(input, additiveMask, shape));
    save([headMajor!, transposed!, probabilities!]);
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => [perSliceBackward(dy, saved, shape)]),
    };
  });
  return op(qkv) as tf.Tensor2D;
}

/** Slice j of the [b, 3h, ...] layouts: example ⌊j / 3h⌋, part (q, k, v) ⌊(j mod 3h) / h⌋, head j mod h. */
function sliceIndex(part: number, slice: number, heads: number): number {
  return Math.floor(slice / heads) * 3 * heads + part * heads + (slice % heads);
}

/** Returns [context [b·s, d], headMajor [b, 3h, s, dh], transposed [b, 3h, dh, s], probabilities [b, h, s, s]]. */
function perSliceForward(input: tf.Tensor2D, additiveMask: tf.Tensor4D | null, shape: AttentionShape): tf.Tensor[] {
  const { batchSize, seqLen, heads, headDim } = shape;
  const slices = batchSize * heads;
  // 4-D transposes only: wasm's 5-D transpose is about 20 times slower.
  const grouped = tf.reshape(input, [batchSize, seqLen, 3 * heads, headDim]);
  const headMajor = tf.transpose(grouped, [0, 2, 1, 3]);
  const transposed = tf.transpose(grouped, [0, 2, 3, 1]);
  const rows = unstackRows(tf.reshape(headMajor, [3 * slices, seqLen, headDim]));
  const columns = unstackRows(tf.reshape(transposed, [3 * slices, headDim, seqLen]));
  const scoreSlices: tf.Tensor[] = [];
  for (let i = 0; i < slices; i++) {
    scoreSlices.push(tf.matMul(rows[sliceIndex(0, i, heads)] as tf.Tensor2D, columns[sliceIndex(1, i, heads)] as tf.Tensor2D)); // Q·Kᵀ
  }
  const scores = tf.reshape(tf.stack(scoreSlices), [batchSize, heads, seqLen, seqLen]);
  const probabilities = maskedSoftmax(scores, additiveMask);
  const probabilitySlices = unstackRows(tf.reshape(probabilities, [slices, seqLen, seqLen]));
  const contextSlices: tf.Tensor[] = [];
  for (let i = 0; i < slices; i++) {
    contextSlices.push(tf.matMul(probabilitySlices[i] as tf.Tensor2D, rows[sliceIndex(2, i, heads)] as tf.Tensor2D)); // P·V
  }
  const context = tf.reshape(tf.stack(contextSlices), [batchSize, heads, seqLen, headDim]);
  const value = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batchSize * seqLen, heads * headDim]);
  return [value, headMajor, transposed, probabilities];
}

/** d qkv [b·s, 3d] from d context [b·s, d] and the saved [headMajor, transposed, probabilities]. */
function perSliceBackward(dy: tf.Tensor, saved: tf.Tensor[], shape: AttentionShape): tf.Tensor {
  const { batchSize, seqLen, heads, headDim } = shape;
  const slices = batchSize * heads;
  const [savedHeadMajor, savedTransposed, savedProbabilities] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
  const r = unstackRows(tf.reshape(savedHeadMajor, [3 * slices, seqLen, headDim]));
  const c = unstackRows(tf.reshape(savedTransposed, [3 * slices, headDim, seqLen]));
  const p = unstackRows(tf.reshape(savedProbabilities, [slices, seqLen, seqLen]));
  const dContext = tf.reshape(dy, [batchSize, seqLen, heads, headDim]);
  const dO = unstackRows(tf.reshape(tf.transpose(dContext, [0, 2, 1, 3]), [slices, seqLen, headDim]));
  const dOT = unstackRows(tf.reshape(tf.transpose(dContext, [0, 2, 3, 1]), [slices, headDim, seqLen]));
  const dPSlices: tf.Tensor[] = [];
  const dVTSlices: tf.Tensor[] = [];
  for (let i = 0; i < slices; i++) {
    dPSlices.push(tf.matMul(dO[i] as tf.Tensor2D, c[sliceIndex(2, i, heads)] as tf.Tensor2D)); // dO·Vᵀ
    dVTSlices.push(tf.matMul(dOT[i] as tf.Tensor2D, p[i] as tf.Tensor2D)); // dOᵀ·P = (Pᵀ·dO)ᵀ
  }
  const dP = tf.reshape(tf.stack(dPSlices), [batchSize, heads, seqLen, seqLen]);
  const dS = unstackRows(tf.reshape(softmaxBackward(savedProbabilities, dP), [slices, seqLen, seqLen]));
  const dQSlices: tf.Tensor[] = [];
  const dKTSlices: tf.Tensor[] = [];
  for (let i = 0; i < slices; i++) {
    dQSlices.push(tf.matMul(dS[i] as tf.Tensor2D, r[sliceIndex(1, i, heads)] as tf.Tensor2D)); // dS·K
    dKTSlices.push(tf.matMul(c[sliceIndex(0, i, heads)] as tf.Tensor2D, dS[i] as tf.Tensor2D)); // Qᵀ·dS = (dSᵀ·Q)ᵀ
  }
  const dQ = tf.transpose(tf.reshape(tf.stack(dQSlices), [batchSize, heads, seqLen, headDim]), [0, 2, 1, 3]);
  const toTokenMajor = (columnSlices: tf.Tensor[]) =>
    tf.transpose(tf.reshape(tf.stack(columnSlices), [batchSize, heads, headDim, seqLen]), [0, 3, 1, 2]);
  const dQKV = tf.concat([dQ, toTokenMajor(dKTSlices), toTokenMajor(dVTSlices)], 2); // [b, s, 3h, dh]
  return tf.reshape(dQKV, [batchSize * seqLen, 3 * heads * headDim]);
}

/**
 * Attention of one query token per example (the [CLS] token of the last layer) over all keys. q [batch, d]
 * (already scaled by 1/sqrt(headDim), as in `selfAttention`), kv [batch·seq, 2·d] (keys then values),
 * additive mask [batch, 1, 1, seq] or null → [batch, d]. Uses batched
 * matMuls with tfjs's gradient on every backend: with one query row they are a few hundred kFLOPs, too small
 * for the slow batched kernel to matter.
 * @example singleQueryAttention(q, kv, mask, { batchSize: 2, seqLen: 8, heads: 2, headDim: 4 }) // [2, 8]
 */
export function singleQueryAttention(
  q: tf.Tensor2D,
  kv: tf.Tensor2D,
  additiveMask: tf.Tensor4D | null,
  shape: AttentionShape,
): tf.Tensor2D {
  const { batchSize, seqLen, heads, headDim } = shape;
  const split = tf.transpose(tf.reshape(kv, [batchSize, seqLen, 2 * heads, headDim]), [0, 2, 1, 3]);
  const [k, v] = tf.split(split, 2, 1) as [tf.Tensor4D, tf.Tensor4D]; // [b, h, s, dh] each
  const query = tf.reshape(q, [batchSize, heads, 1, headDim]);
  const probabilities = maskedSoftmax(tf.matMul(query, k, false, true), additiveMask); // [b, h, 1, s]
  const context = tf.matMul(probabilities, v); // [b, h, 1, dh]
  return tf.reshape(context, [batchSize, heads * headDim]);
}

/**
 * Gradient of a softmax over the last axis: dS = P ⊙ (dP − Σ_k P⊙dP). (A one-pass JavaScript kernel was tried on
 * wasm and measured about twice slower than these four SIMD ops.)
 * @example softmaxBackward(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1, 0]])).arraySync() // [[0.25, -0.25]]
 */
export function softmaxBackward(probabilities: tf.Tensor, dProbabilities: tf.Tensor): tf.Tensor {
  return tf.mul(probabilities, tf.sub(dProbabilities, tf.sum(tf.mul(dProbabilities, probabilities), -1, true)));
}
