import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { Random } from "../../src/random";
import { bootstrap } from "../../src/scaling/bootstrap";
import { fit } from "../../src/scaling/fit";

// A known saturating law in rescaled units (x / 1e6); b in raw units is b·(1e6)^(−c).
const TRUTH = { a: 0.45, b: -0.9, c: -0.4 };
const RAW_TRUTH: Record<string, number> = { a: TRUTH.a, b: TRUTH.b * 1e6 ** -TRUTH.c, c: TRUTH.c };
const SIZES = [1, 2, 4, 8, 16, 32].map((millions) => millions * 1e6);

function synthetic(random: Random, seeds: number, noise: number) {
  return SIZES.flatMap((N) =>
    Array.from({ length: seeds }, (_, seed) => ({ N, runId: `${N}-${seed}`, y: TRUTH.a + TRUTH.b * (N / 1e6) ** TRUTH.c + noise * random.normal() })),
  );
}

describe("bootstrap", () => {
  it("95% percentile intervals cover the true parameters in about 95% of repetitions", () => {
    // 200 data sets of 6 sizes × 16 seeds (noise sd 0.005), 200 resamples each, stratified by size.
    // Tolerance: ±3 binomial standard deviations around 0.95 for 200 repetitions, i.e. [0.904, 0.996].
    // (With 8 seeds per size the percentile bootstrap under-covers, about 0.90: strata of n shrink the
    // variance by (n−1)/n.) Seeds are fixed, so the test is deterministic.
    const repetitions = 200;
    const random = new Random(2024);
    const covered: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let repetition = 0; repetition < repetitions; repetition++) {
      const fitted = fit(synthetic(random, 16, 0.005), { law: "saturating", x: "N", y: "y" });
      const intervals = bootstrap(fitted, { resamples: 200, stratifyBy: "N", seed: repetition + 1 }).ci(0.95);
      for (const name of Object.keys(covered)) {
        const [lower, upper] = intervals[name]!;
        if (lower <= RAW_TRUTH[name]! && RAW_TRUTH[name]! <= upper) covered[name]!++;
      }
    }
    for (const [name, hits] of Object.entries(covered)) {
      const coverage = hits / repetitions;
      assert.ok(coverage >= 0.904 && coverage <= 0.996, `coverage of ${name}: ${coverage}`);
    }
  });

  it("resamples whole runs: checkpoints of one run move together", () => {
    // Each run contributes 3 checkpoints with the same run effect; resampling checkpoints as independent
    // points would understate the spread. Grouping by run must give wider intervals than per-point.
    const random = new Random(5);
    const points = SIZES.flatMap((N) =>
      Array.from({ length: 4 }, (_, seed) => {
        const runEffect = 0.01 * random.normal();
        return [1, 2, 3].map((checkpoint) => ({ N, runId: `${N}-${seed}`, checkpoint, y: TRUTH.a + TRUTH.b * (N / 1e6) ** TRUTH.c + runEffect + 0.001 * random.normal() }));
      }).flat(),
    );
    const fitted = fit(points, { law: "saturating", x: "N", y: "y" });
    const byPoint = bootstrap(fitted, { resamples: 300, stratifyBy: "N" });
    const byRun = bootstrap(fitted, { resamples: 300, groupBy: "runId", stratifyBy: "N" });
    assert.equal(byRun.unit, "group");
    assert.equal(byRun.units, 24);
    assert.ok(byRun.standardErrors.a! > 1.3 * byPoint.standardErrors.a!, `${byRun.standardErrors.a} vs ${byPoint.standardErrors.a}`);
  });

  it("resamples queries through per-query metrics, the same draw for every model", () => {
    const random = new Random(9);
    const queries = 50;
    const queryDifficulty = Array.from({ length: queries }, () => 0.1 * random.normal());
    const points = SIZES.map((N) => {
      const mean = TRUTH.a + TRUTH.b * (N / 1e6) ** TRUTH.c;
      const perQuery = queryDifficulty.map((difficulty) => mean + difficulty + 0.01 * random.normal());
      return { N, perQuery, y: perQuery.reduce((sum, value) => sum + value, 0) / queries };
    });
    const fitted = fit(points, { law: "saturating", x: "N", y: "y" });
    const result = bootstrap(fitted, { resamples: 200, perQuery: "perQuery" });
    assert.equal(result.unit, "query");
    assert.equal(result.units, queries);
    // A shared query draw shifts every model alike: the asymptote absorbs it, the exponent barely moves.
    assert.ok(result.standardErrors.a! > 0.005, `SE of a ${result.standardErrors.a}`);
    assert.throws(() => bootstrap(fitted, { perQuery: "missing" }), /no per-query values in "missing"/);
    const shifted = points.map((point) => ({ ...point, y: point.y + 0.01 }));
    assert.throws(() => bootstrap(fit(shifted, { law: "saturating", x: "N", y: "y" }), { perQuery: "perQuery" }), /not the mean of its per-query values/);
  });

  it("gives a percentile interval for a forecast", () => {
    const fitted = fit(synthetic(new Random(3), 8, 0.005), { law: "saturating", x: "N", y: "y" });
    const forecast = bootstrap(fitted, { resamples: 200, stratifyBy: "N" }).predict(1e9, { interval: 0.9 });
    assert.ok(forecast.lower < forecast.value && forecast.value < forecast.upper);
    assert.equal(forecast.level, 0.9);
  });
});
