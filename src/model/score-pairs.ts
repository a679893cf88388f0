import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/encoded-batch";
import type { CrossEncoder } from "./cross-encoder";

/**
 * Scores every pair of every batch with `model.score(batch, { training: false })` and returns the logits in
 * input order (batch by batch, row by row). Each batch runs in its own `tf.tidy`, so memory stays flat.
 *
 * @example await scorePairs(model, [batchA, batchB]) // Float32Array(batchA.batchSize + batchB.batchSize)
 */
export async function scorePairs(model: CrossEncoder, batches: Iterable<EncodedBatch>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for (const batch of batches) {
    const scores = tf.tidy(() => model.score(batch, { training: false }));
    const values = (await scores.data()) as Float32Array;
    scores.dispose();
    parts.push(values);
    total += values.length;
  }
  const all = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
