import * as assert from "node:assert/strict";
import { before, test } from "node:test";
import { selectBackend } from "../../src/model";
import { wikiqaExperiment } from "./wikiqa-experiment";

before(async () => {
  await selectBackend({ prefer: "wasm" });
});

// Real data: WikiQA train → 0.1M cross-encoder with the exact-match flag, listwise, 60 steps × 16 groups of 4 =
// 3,840 pairs (about one pass over the examples), checkpoint chosen on a dev split of 20% of the answerable train
// questions; reranks the 243 answerable test questions. Measured here (wasm, 2 shared cores, ≈ 1.5 min): test MAP
// 0.658 vs document order 0.642 (p = 0.45), BM25 0.600 (p = 0.004), random order 0.397 (p = 5e-5). At this budget
// the reranker does not beat document order significantly (../shared/DESIGN.md §4 reports the same gap,
// 0.665–0.672 vs 0.642; 0.4M and 1.8M trained longer reached 0.647–0.667, p ≥ 0.26), so the significance
// assertions are against BM25's order and a random order of the same candidates; document order is a diagnostic.
test("WikiQA: a small cross-encoder's reranking beats BM25's and a random order of the candidates (paired tests, p < 0.01)", async (t) => {
  const result = await wikiqaExperiment({
    preset: "0.1M", objective: "listwise", steps: 60, batch: 16, lr: 2e-3, groupSize: 4, maxLength: 64, evalEvery: 20,
  });
  for (const [name, comparison] of Object.entries(result.versus)) {
    t.diagnostic(`test MAP ${comparison.rerankerMap.toFixed(4)} vs ${name} ${comparison.baselineMap.toFixed(4)}: ` +
      `mean difference ${comparison.meanDifference.toFixed(4)}, p = ${comparison.p.toPrecision(2)}`);
  }
  t.diagnostic(`best dev checkpoint: step ${result.run.best?.step} (dev MAP ${result.run.best?.value.toFixed(4)}), ${result.run.pairsPerSecond.toFixed(0)} pairs/s`);
  assert.equal(result.testQueries, 243, "the answerable WikiQA test questions (SOURCE.md)");
  assert.ok(result.baselines.documentOrder!.map! > 0.6 && result.baselines.documentOrder!.map! < 0.7, "document order ≈ 0.642 (DESIGN.md §4)");
  assert.ok(result.versus.random.meanDifference > 0);
  assert.ok(result.versus.random.p < 0.01, `p = ${result.versus.random.p} against a random order`);
  assert.ok(result.versus.bm25.meanDifference > 0 && result.versus.bm25.p < 0.01, `p = ${result.versus.bm25.p} against BM25's order`);
  assert.ok(result.test.map! > 0.58, `test MAP ${result.test.map} is far below the ≈ 0.65 measured for this setup`);
});
