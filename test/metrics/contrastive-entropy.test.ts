import * as assert from "node:assert/strict";
import { test } from "node:test";
import { contrastiveEntropy, contrastiveEntropyOfScores } from "../../src";

// Hand-computed cases; tolerance 1e-12 (double rounding of exp/log only).
const TOLERANCE = 1e-12;
const close = (actual: number, expected: number, label: string) => assert.ok(Math.abs(actual - expected) < TOLERANCE, `${label}: ${actual} vs ${expected}`);

test("CE of one positive: hand-computed values and limits", () => {
  // All k+1 scores equal → uniform softmax → CE = log(k+1).
  close(contrastiveEntropyOfScores(0, [0, 0, 0]), Math.log(4), "all equal, k=3");
  close(contrastiveEntropyOfScores(7.5, new Array(32).fill(7.5)), Math.log(33), "all equal, k=32");
  // s+ = 1, s− = {0, 0}: −log(e / (e + 2)) = log(1 + 2/e) = 0.5514447139320511
  close(contrastiveEntropyOfScores(1, [0, 0]), Math.log(1 + 2 / Math.E), "1 vs 0,0");
  // A perfect scorer: the positive far above every negative → CE → 0 (here 3·e^−100 ≈ 1.1e-43, rounds to 0).
  assert.equal(contrastiveEntropyOfScores(100, [0, 0, 0]), 0);
  // The worst scorer: the positive far below → CE ≈ s− − s+ = 100.
  close(contrastiveEntropyOfScores(-100, [0]), 100, "inverted");
  // Scale dependence: doubling every score changes CE (why values across losses are not comparable).
  assert.notEqual(contrastiveEntropyOfScores(2, [0, 0]), contrastiveEntropyOfScores(1, [0, 0]));
  // No overflow for huge scores (log-sum-exp).
  close(contrastiveEntropyOfScores(1000, [1000]), Math.log(2), "huge equal scores");
  assert.throws(() => contrastiveEntropyOfScores(Number.NaN, [0]), /scores must be finite/);
});

test("contrastiveEntropy: sampling without replacement, k_effective when negatives run short, same draw for any scores", () => {
  const candidates = new Map([
    ["q1", new Map([["p", 2], ["n1", 0], ["n2", 0], ["n3", 0], ["n4", 0]])],
    ["q2", new Map([["p", 1], ["m1", 1]])],
  ]);
  const qrels = new Map([
    ["q1", new Map([["p", 1], ["n1", 0]])],
    ["q2", new Map([["p", 2]])],
    ["q9", new Map([["z", 1]])],
  ]);
  const result = contrastiveEntropy(candidates, qrels, { negativeCount: 3, seed: 7 });
  // q1: 4 negatives (judged 0 or unjudged), any 3 of them score 0 → log(1 + 3/e^2); q2: only 1 negative (k_eff = 1),
  // scores equal → log 2.
  close(result.perQuery.get("q1")!, Math.log(1 + 3 / Math.exp(2)), "q1");
  close(result.perQuery.get("q2")!, Math.log(2), "q2");
  close(result.value, (Math.log(1 + 3 / Math.exp(2)) + Math.log(2)) / 2, "mean over pairs");
  assert.equal(result.pairCount, 2);
  assert.equal(result.pairsWithFewerNegatives, 1);
  assert.equal(result.minNegativeCount, 1);
  // Same seed → same negatives whatever the scores: give one negative a distinct score and check reproducibility.
  const scored = new Map([["q1", new Map([["p", 0], ["n1", 5], ["n2", 0], ["n3", 0], ["n4", 0]])]]);
  const first = contrastiveEntropy(scored, qrels, { negativeCount: 3, seed: 11 }).value;
  assert.equal(contrastiveEntropy(scored, qrels, { negativeCount: 3, seed: 11 }).value, first);
  // With n1 drawn: log(e^5 + 3) − 0; without: log(4). Either way one of these two values.
  assert.ok([Math.log(Math.exp(5) + 3), Math.log(4)].some((value) => Math.abs(value - first) < TOLERANCE));
  // All equal candidate scores, k = 32 with plenty of negatives: CE = log 33.
  const many = new Map([["q", new Map([["p", 1], ...Array.from({ length: 99 }, (_, i) => [`n${i}`, 1] as [string, number])])]]);
  close(contrastiveEntropy(many, new Map([["q", new Map([["p", 1]])]]), { negativeCount: 32 }).value, Math.log(33), "CE32 all equal");
  assert.throws(() => contrastiveEntropy(candidates, qrels, { negativeCount: 0 }), /negativeCount must be a positive integer/);
});
