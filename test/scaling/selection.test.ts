import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { Random } from "../../src/random";
import { allocateCompute } from "../../src/scaling/allocate-compute";
import { backtest } from "../../src/scaling/backtest";
import { compareLaws } from "../../src/scaling/compare-laws";
import { fit } from "../../src/scaling/fit";
import { isoComputeCurve } from "../../src/scaling/iso-compute-curve";
import { lintMetrics } from "../../src/scaling/lint-metrics";

const SIZES = [1, 2, 4, 8, 16, 32, 64].map((millions) => millions * 1e6);

function saturatingPoints(seed: number) {
  const random = new Random(seed);
  return SIZES.flatMap((N) => [0, 1, 2, 3].map((run) => ({ N, run, "ndcg@10": 0.45 - 0.3 * (N / 1e6) ** -0.4 + 0.004 * random.normal() })));
}

describe("backtest", () => {
  it("forecasts the two largest sizes from the rest", () => {
    const points = saturatingPoints(1);
    const result = backtest(points, { law: "saturating", x: "N", y: "ndcg@10", holdOut: "largest", sizes: 2 });
    assert.equal(result.folds.length, 1);
    assert.deepEqual(result.folds[0]!.heldOutSizes, [32e6, 64e6]);
    assert.equal(result.predictions.length, 8);
    assert.equal(result.folds[0]!.fit!.count, 20);
    // Data follow the law (noise sd 0.004): forecasts are within a few noise sd and mostly covered.
    assert.ok(result.mae < 0.01 && result.rmse < 0.012, `MAE ${result.mae}, RMSE ${result.rmse}`);
    assert.ok(result.coverage >= 0.75, `coverage ${result.coverage}`);
    const mean = result.predictions.reduce((sum, p) => sum + (p.predicted - p.actual), 0) / 8;
    assert.ok(Math.abs(result.bias - mean) < 1e-15);
  });

  it("leave-one-size-out fits every size once and records folds it cannot fit", () => {
    const points = saturatingPoints(2).filter((point) => point.N <= 8e6); // 4 sizes: dropping one leaves 3
    const result = backtest(points, { law: "saturating", x: "N", y: "ndcg@10", holdOut: "each" });
    assert.equal(result.folds.length, 4);
    assert.equal(result.predictions.length, 16);
    // With 3 sizes every fold keeps 2: none can be fitted, and backtest says so instead of returning nothing.
    assert.throws(
      () => backtest(points.filter((point) => point.N <= 4e6), { law: "saturating", x: "N", y: "ndcg@10", holdOut: "each" }),
      /no fold could be fitted \(first error: fit: N takes 2 distinct value/,
    );
  });

  it("a biased law shows up as bias", () => {
    // Fit the pure power law (no asymptote) to saturating data: it over-forecasts the largest size.
    const result = backtest(saturatingPoints(3), { law: "pure", x: "N", y: "ndcg@10", holdOut: "largest", sizes: 2 });
    assert.ok(result.bias > 0.01, `bias ${result.bias}`);
  });
});

describe("compareLaws", () => {
  it("prefers the saturating law on saturating data, by AIC", () => {
    const rows = compareLaws(saturatingPoints(4), { x: "N", y: "ndcg@10" });
    assert.deepEqual(rows.map((row) => row.law), ["saturating", "pure"]);
    assert.equal(rows[0]!.deltaAic, 0);
    assert.ok(rows[1]!.deltaAic > 10, `ΔAIC ${rows[1]!.deltaAic}`);
    assert.ok(Math.abs(rows[0]!.akaikeWeight + rows[1]!.akaikeWeight - 1) < 1e-12);
    // AIC by hand: n·ln(SSE/n) + 2(p+1).
    assert.ok(Math.abs(rows[0]!.aic - (28 * Math.log(rows[0]!.sse / 28) + 8)) < 1e-9);
  });
  it("keeps a law that cannot be fitted as a row with its error", () => {
    const negative = saturatingPoints(5).map((point) => ({ ...point, "ndcg@10": point["ndcg@10"] - 0.3 }));
    const rows = compareLaws(negative, { x: "N", y: "ndcg@10" });
    assert.equal(rows[1]!.law, "pure");
    assert.match(rows[1]!.error!, /<= 0/);
  });
});

describe("lintMetrics", () => {
  it("flags metrics a top-100 reranker cannot change", () => {
    const lints = lintMetrics(["ndcg@10", "recall@100", "P_100", "recall_1000", "recall@10", "map", "success@100"], { rerankDepth: 100 });
    assert.deepEqual(lints.map((lint) => [lint.metric, lint.code]), [
      ["recall@100", "unchangeable"],
      ["P_100", "unchangeable"],
      ["recall_1000", "unchangeable"],
      ["success@100", "unchangeable"],
    ]);
    assert.match(lints[0]!.message, /cannot change when reranking a top-100 list/);
    const unknown = lintMetrics(["ndcg@10", "nDCG-10"], { rerankDepth: 100 });
    assert.deepEqual(unknown.map((lint) => [lint.metric, lint.code]), [["nDCG-10", "unknown"]]);
    assert.match(unknown[0]!.message, /unknown measure "nDCG-10"/);
    // Contrastive entropy is the study's own measure: known (the default study lists ce@16), and never unchangeable.
    assert.deepEqual(lintMetrics(["ndcg@10", "ce@16", "ce@1000"], { rerankDepth: 100 }), []);
  });
  it("flags aliases for binary labels and single relevant documents", () => {
    const binary = lintMetrics(["ndcg@1", "P@1", "ndcg@10", "mrr@1"], { binaryLabels: true });
    assert.deepEqual(binary.map((lint) => [lint.metric, lint.code]), [["P@1", "alias"], ["mrr@1", "alias"]]);
    assert.match(binary[0]!.message, /equals ndcg@1 with binary labels/);
    const single = lintMetrics(["map", "recip_rank", "recall@10", "success@10"], { singleRelevantPerQuery: true });
    assert.deepEqual(single.map((lint) => lint.metric), ["recip_rank", "success@10"]);
  });
  it("flags flat and identical series", () => {
    const points = SIZES.map((N, i) => ({ N, "ndcg@10": 0.2 + 0.02 * i, "recall@100": 0.7 + 0.001 * (i % 2), "P@1": 0.3, "ndcg@1": 0.3, "ce@16": 2.5 }));
    const lints = lintMetrics(["ndcg@10", "recall@100", "P@1", "ndcg@1", "ce@16"], { points, x: "N" });
    assert.deepEqual(lints.map((lint) => [lint.metric, lint.code, lint.severity]), [
      ["recall@100", "flat", "warning"],
      ["P@1", "flat", "error"],
      ["ndcg@1", "identical", "warning"],
      ["ndcg@1", "flat", "error"],
      ["ce@16", "flat", "error"],
    ]);
  });
});

describe("allocateCompute", () => {
  // A joint law in raw units with known optimum: y = a + b·N^c + d·D^e, C = 6·N·D·tokens.
  const truth = { a: 0.6, b: -40, c: -0.35, d: -12, e: -0.3 };
  const tokens = 128;
  const random = new Random(8);
  const points = [1e5, 3e5, 1e6, 3e6, 1e7, 3e7].flatMap((N) =>
    [1e3, 3e3, 1e4, 3e4, 1e5, 3e5].map((D) => ({ N, D, y: truth.a + truth.b * N ** truth.c + truth.d * D ** truth.e + 0.001 * random.normal() })),
  );
  const joint = fit(points, { law: "joint", x: ["N", "D"], y: "y" });

  it("matches the closed-form optimum of the fitted law", () => {
    const computeFlops = 1e15;
    const result = allocateCompute(joint, { computeFlops, tokensPerExample: tokens, draws: 300 });
    // d/dN [b·N^c + d·(C/(6·t·N))^e] = 0  ⇒  N* = ((e·d)/(c·b) · (C/(6t))^e)^(1/(c+e)).
    const { b, c, d, e } = joint.params as Record<string, number>;
    const exact = (((e * d) / (c * b)) * (computeFlops / (6 * tokens)) ** e) ** (1 / (c + e));
    assert.ok(Math.abs(result.nonEmbeddingParams / exact - 1) < 1e-6, `${result.nonEmbeddingParams} vs ${exact}`);
    assert.ok(Math.abs(result.examples * 6 * tokens * result.nonEmbeddingParams - computeFlops) / computeFlops < 1e-9);
    const [low, high] = result.interval.nonEmbeddingParams;
    assert.ok(low < result.nonEmbeddingParams && result.nonEmbeddingParams < high);
    // The true law's optimum lies inside the interval.
    const trueOptimum = (((truth.e * truth.d) / (truth.c * truth.b)) * (computeFlops / (6 * tokens)) ** truth.e) ** (1 / (truth.c + truth.e));
    assert.ok(low < trueOptimum && trueOptimum < high, `${trueOptimum} outside [${low}, ${high}]`);
    assert.deepEqual(result.warnings, []);
  });

  it("accepts a FLOP function and charts an iso-compute curve whose best point is the allocation", () => {
    const flopsPerExample = (N: number) => 6 * N * tokens + 1e6;
    const result = allocateCompute(joint, { computeFlops: 1e15, flopsPerExample, draws: 50 });
    const curve = isoComputeCurve(joint, 1e15, { flopsPerExample, sizes: [result.nonEmbeddingParams / 10, result.nonEmbeddingParams * 10], steps: 41 });
    const best = curve.reduce((left, right) => (right.predicted > left.predicted ? right : left));
    assert.equal(best, curve[20]);
    assert.throws(() => allocateCompute(joint, { computeFlops: 1e15 }), /pass flopsPerExample .* or tokensPerExample/);
    assert.throws(() => allocateCompute(fit(saturatingPoints(1), { law: "saturating", x: "N", y: "ndcg@10" }), { computeFlops: 1, tokensPerExample: 1 }), /needs a law fitted on \[size, data\]/);
  });
});
