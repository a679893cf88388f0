import { test } from "node:test";
import assert from "node:assert/strict";
import type { Run } from "../../src/data/trec-run";
import { interpolateScores, reciprocalRankFusion, tuneInterpolationWeight } from "../../src/train/fusion";

function run(entries: Record<string, Record<string, number>>): Run {
  return new Map(Object.entries(entries).map(([q, docs]) => [q, new Map(Object.entries(docs))]));
}

// Expected values computed by hand from the definitions (exact in float64 up to 1e-15).
const TOLERANCE = 1e-15;

function assertScores(actual: Map<string, number> | undefined, expected: Record<string, number>): void {
  assert.ok(actual);
  assert.deepEqual(Array.from(actual.keys()).sort(), Object.keys(expected).sort());
  for (const [docId, value] of Object.entries(expected)) {
    assert.ok(Math.abs(actual.get(docId)! - value) <= TOLERANCE, `${docId}: ${actual.get(docId)} vs ${value}`);
  }
}

test("reciprocalRankFusion: hand-computed sums of 1/(k + rank), union of documents and queries", () => {
  const a = run({ q1: { d1: 3, d2: 2, d3: 1 }, q2: { x: 1 } });
  const b = run({ q1: { d3: 0.9, d1: 0.5, d4: 0.1 } });
  const fused = reciprocalRankFusion([a, b]);
  assertScores(fused.get("q1"), { d1: 1 / 61 + 1 / 62, d2: 1 / 62, d3: 1 / 63 + 1 / 61, d4: 1 / 63 });
  assertScores(fused.get("q2"), { x: 1 / 61 });
  // k and weights
  assertScores(reciprocalRankFusion([a, b], { k: 0, weights: [2, 1] }).get("q1"), { d1: 2 + 1 / 2, d2: 1, d3: 2 / 3 + 1, d4: 1 / 3 });
  // depth 1: only each run's top document
  assertScores(reciprocalRankFusion([a, b], { depth: 1 }).get("q1"), { d1: 1 / 61, d3: 1 / 61 });
});

test("reciprocalRankFusion: tied input scores are ranked in trec_eval order (docno descending)", () => {
  const tied = run({ q: { d1: 1, d2: 1, d0: 0 } });
  assertScores(reciprocalRankFusion([tied], { k: 0 }).get("q"), { d2: 1, d1: 1 / 2, d0: 1 / 3 });
});

test("reciprocalRankFusion: bad options say what to do", () => {
  assert.throws(() => reciprocalRankFusion([]), /at least one run/);
  assert.throws(() => reciprocalRankFusion([run({})], { k: -1 }), /k must be/);
  assert.throws(() => reciprocalRankFusion([run({})], { weights: [1, 2] }), /weights must be 1 finite numbers/);
});

test("interpolateScores: min-max per query, alpha·reranker + (1 − alpha)·first stage", () => {
  const reranked = run({ q1: { d1: 2, d2: 4, d3: 0 } });
  const bm25 = run({ q1: { d1: 10, d2: 5, d3: 0, d9: 100 }, q2: { d5: 1 } });
  // d9 was not reranked: it neither appears nor shifts the first stage's min-max range (candidates only).
  assertScores(interpolateScores(reranked, bm25, { alpha: 0.3 }).get("q1"), { d1: 0.3 * 0.5 + 0.7 * 1, d2: 0.3 * 1 + 0.7 * 0.5, d3: 0 });
  assert.equal(interpolateScores(reranked, bm25, { alpha: 0.3 }).has("q2"), false);
  // alpha 1 keeps the reranker's order, alpha 0 the first stage's.
  assertScores(interpolateScores(reranked, bm25, { alpha: 1, normalization: "none" }).get("q1"), { d1: 2, d2: 4, d3: 0 });
  assertScores(interpolateScores(reranked, bm25, { alpha: 0, normalization: "none" }).get("q1"), { d1: 10, d2: 5, d3: 0 });
  // z-score: reranker mean 2, population sd sqrt(8/3); first stage mean 5, sd sqrt(50/3)
  const zr = (v: number) => (v - 2) / Math.sqrt(8 / 3);
  const zb = (v: number) => (v - 5) / Math.sqrt(50 / 3);
  assertScores(interpolateScores(reranked, bm25, { alpha: 0.5, normalization: "z-score" }).get("q1"), {
    d1: 0.5 * zr(2) + 0.5 * zb(10), d2: 0.5 * zr(4) + 0.5 * zb(5), d3: 0.5 * zr(0) + 0.5 * zb(0),
  });
  // all-equal scores normalize to 0
  assertScores(interpolateScores(run({ q: { a: 7, b: 7 } }), run({ q: { a: 1, b: 3 } }), { alpha: 0.5 }).get("q"), { a: 0, b: 0.5 });
});

test("interpolateScores: hostile inputs fail with a fix", () => {
  const reranked = run({ q1: { d1: 2, d2: NaN } });
  assert.throws(() => interpolateScores(reranked, run({ q1: { d1: 1, d2: 1 } }), { alpha: 0.5 }), /score of "d2" for query "q1" is NaN/);
  assert.throws(() => interpolateScores(run({ q1: { d1: 1 } }), run({}), { alpha: 0.5 }), /not in the first-stage run/);
  assert.throws(() => interpolateScores(run({ q1: { d7: 1 } }), run({ q1: { d1: 1 } }), { alpha: 0.5 }), /"d7" of query "q1" was reranked but is not in the first-stage run/);
  assert.throws(() => interpolateScores(run({}), run({}), { alpha: 1.5 }), /alpha must be in \[0, 1\]/);
});

test("tuneInterpolationWeight: picks the best dev alpha, smallest on ties", () => {
  // dev measure: 1 if d2 is ranked first. Reranker prefers d2, first stage d1.
  const reranked = run({ q: { d1: 0, d2: 1 } });
  const bm25 = run({ q: { d1: 1, d2: 0 } });
  const measure = (r: Run) => {
    const s = r.get("q")!;
    return s.get("d2")! > s.get("d1")! ? 1 : 0;
  };
  const tuned = tuneInterpolationWeight(reranked, bm25, measure);
  assert.equal(tuned.alpha, 0.6); // at 0.5 both fuse to 0.5 (no strict win); 0.6 is the first alpha where d2 leads
  assert.equal(tuned.devScore, 1);
  assert.equal(tuned.trials.length, 11);
});
