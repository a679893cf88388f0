/**
 * Expected values from scipy 1.10.1 (Debian python3-scipy, numpy 1.24.2), computed with /usr/bin/python3:
 *   a = [0.61,0.42,0.75,0.33,0.58,0.47,0.69,0.52,0.40,0.66,0.55,0.38]
 *   b = [0.55,0.40,0.70,0.35,0.50,0.45,0.60,0.50,0.41,0.58,0.49,0.36]
 *   stats.ttest_rel(a, b)                         → t = 3.7641085424750367, p = 0.003132245830229125
 *   stats.permutation_test((a-b,), mean, permutation_type="samples", n_resamples=np.inf) → p = 0.005859375
 *   x = [1..8], y = [1.5,1.8,3.7,3.9,5.8,5.9,7.4,8.6]
 *   stats.ttest_rel(x, y) → t = -2.3032439591641203, p = 0.05472886251596526; exact permutation p = 0.0703125
 *   stats.bootstrap((a,), np.mean, n_resamples=100000, method="percentile", random_state=1) → (0.45833, 0.6025)
 *   stats.bootstrap((a-b,), ...same...) → (0.019167, 0.058333)
 */
import * as assert from "node:assert/strict";
import { test } from "node:test";
import {
  alignPerQuery,
  bootstrapMeanInterval,
  bootstrapPairedDifferenceInterval,
  holmAdjustedPValues,
  pairedRandomizationTest,
  pairedTTest,
} from "../../src";

const A = [0.61, 0.42, 0.75, 0.33, 0.58, 0.47, 0.69, 0.52, 0.4, 0.66, 0.55, 0.38];
const B = [0.55, 0.4, 0.7, 0.35, 0.5, 0.45, 0.6, 0.5, 0.41, 0.58, 0.49, 0.36];
const X = [1, 2, 3, 4, 5, 6, 7, 8];
const Y = [1.5, 1.8, 3.7, 3.9, 5.8, 5.9, 7.4, 8.6];

test("pairedTTest matches scipy.stats.ttest_rel (tolerance 1e-12: incomplete-beta continued fraction)", () => {
  const first = pairedTTest(A, B);
  assert.ok(Math.abs(first.statistic - 3.7641085424750367) < 1e-12);
  assert.ok(Math.abs(first.pValue - 0.003132245830229125) < 1e-12);
  const second = pairedTTest(X, Y);
  assert.ok(Math.abs(second.statistic - -2.3032439591641203) < 1e-12);
  assert.ok(Math.abs(second.pValue - 0.05472886251596526) < 1e-12);
  assert.throws(() => pairedTTest([1, 2], [1]), /same queries, got 2 and 1/);
});

test("pairedRandomizationTest: exact enumeration equals scipy's exact permutation_test", () => {
  assert.equal(pairedRandomizationTest(A, B).pValue, 0.005859375);
  assert.equal(pairedRandomizationTest(X, Y).pValue, 0.0703125);
  // Sampled (exact disabled): within Monte-Carlo error of the exact p (sd ≈ sqrt(p(1-p)/20000) ≈ 0.0005).
  const sampled = pairedRandomizationTest(A, B, { exactLimit: 1, trialCount: 20_000, seed: 3 });
  assert.ok(Math.abs(sampled.pValue - 0.005859375) < 0.003, `sampled p ${sampled.pValue}`);
});

test("bootstrap intervals agree with scipy's percentile bootstrap within resampling noise (±0.005)", () => {
  const mean = bootstrapMeanInterval(A, { resampleCount: 100_000, seed: 1 });
  assert.ok(Math.abs(mean.low - 0.4583333333333333) < 0.005 && Math.abs(mean.high - 0.6025) < 0.005, JSON.stringify(mean));
  assert.equal(mean.estimate, A.reduce((s, v) => s + v, 0) / A.length);
  const difference = bootstrapPairedDifferenceInterval(A, B, { resampleCount: 100_000, seed: 1 });
  assert.ok(Math.abs(difference.low - 0.01916666666666669) < 0.005 && Math.abs(difference.high - 0.05833333333333334) < 0.005);
  assert.deepEqual(bootstrapMeanInterval(A, { seed: 5 }), bootstrapMeanInterval(A, { seed: 5 }), "seeded");
});

test("holmAdjustedPValues: hand-computed step-down values, input order kept", () => {
  // sorted 0.01, 0.03, 0.04 → 3·0.01 = 0.03, 2·0.03 = 0.06, max(1·0.04, 0.06) = 0.06
  assert.deepEqual(holmAdjustedPValues([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  // sorted 0.001, 0.02, 0.3, 0.5 → 4·0.001, 3·0.02, 2·0.3, max(1·0.5, 0.6)
  assert.deepEqual(holmAdjustedPValues([0.3, 0.5, 0.001, 0.02]), [0.6, 0.6, 0.004, 0.06]);
  // capped at 1: 2·0.7 = 1.4 → 1
  assert.deepEqual(holmAdjustedPValues([0.7, 0.9]), [1, 1]);
  assert.throws(() => holmAdjustedPValues([1.2]), /p-values must lie in \[0, 1\]/);
});

test("alignPerQuery pairs values by query id and lists the unmatched ones", () => {
  const a = new Map([["1", { map: 0.5 }], ["2", { map: 0.25 }], ["3", { map: 1 }]]);
  const b = new Map([["2", { map: 0.5 }], ["1", { map: 0.5 }], ["4", { map: 0 }]]);
  assert.deepEqual(alignPerQuery(a, b, "map"), { queryIds: ["1", "2"], a: [0.5, 0.25], b: [0.5, 0.5], unmatchedQueryIds: ["3", "4"] });
  assert.throws(() => alignPerQuery(a, b, "ndcg@10"), /no value for "ndcg@10" \(present: map\)/);
});
