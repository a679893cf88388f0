import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { charts, renderSvg } from "../../src";
import { Random } from "../../src/random";
import { backtest } from "../../src/scaling/backtest";
import { fit } from "../../src/scaling/fit";
import { assertValidVegaLite } from "../notebook/vega-lite-schema";

// Synthetic points from known laws; only the charts are checked here (values rounded to 6 digits in specs).
const random = new Random(12);
const SIZES = [1, 2, 4, 8, 16, 32, 64].map((millions) => millions * 1e6);
const points = SIZES.flatMap((N) => [0, 1, 2].map((seed) => ({ N, seed, "ndcg@10": 0.45 - 0.3 * (N / 1e6) ** -0.4 + 0.004 * random.normal() })));
const gridPoints = [1e6, 1e7, 1e8].flatMap((N) =>
  [1e4, 1e5, 1e6, 1e7].map((D) => ({ N, D, map: 0.6 - 40 * N ** -0.35 - 2 * D ** -0.3 + 0.001 * random.normal() })),
);
const saturating = fit(points, { law: "saturating", x: "N", y: "ndcg@10" });
const joint = fit(gridPoints, { law: "joint", x: ["N", "D"], y: "map" });
const heldOut = backtest(points, { law: "saturating", x: "N", y: "ndcg@10", holdOut: "largest", sizes: 2 });
const heldOutPoints = points.filter((point) => point.N >= 32e6);

const SPECS = {
  forecast: () => charts.forecast(heldOut.folds[0]!.fit!, { actual: heldOutPoints, xTitle: "non-embedding parameters" }),
  residuals: () => charts.residuals(joint),
  "joint-law-heatmap": () => charts.jointLawHeatmap(joint, { steps: 6 }),
  "iso-compute": () => charts.isoCompute(joint, { computeFlops: [1e15, 1e16], tokensPerExample: 128, draws: 40 }),
};

describe("scaling charts", () => {
  for (const [name, build] of Object.entries(SPECS)) {
    it(`${name}: a valid Vega-Lite v5 spec equal to the stored copy, rendered by vega`, () => {
      const spec = build();
      assertValidVegaLite(spec);
      const stored = path.join(__dirname, "fixtures", `${name}.vl.json`);
      if (process.env.UPDATE_FIXTURES) fs.writeFileSync(stored, JSON.stringify(spec, null, 2) + "\n");
      assert.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(fs.readFileSync(stored, "utf8")));
      assert.match(renderSvg(spec), /^<svg/);
    });
  }

  it("forecast draws the held-out actuals and a forecast per held-out size", () => {
    const spec = SPECS.forecast() as unknown as { data: { values: { series: string; x: number; lower?: number; upper?: number }[] } };
    const bySeries = (series: string) => spec.data.values.filter((row) => row.series === series);
    assert.equal(bySeries("held-out actual").length, 6);
    assert.deepEqual(bySeries("forecast").map((row) => row.x), [32e6, 64e6]);
    assert.equal(bySeries("fitted points").length, 15);
    for (const row of bySeries("law")) assert.ok(row.lower! < row.upper!);
  });

  it("scalingCurve overlays a fitted law as its own layer", () => {
    const spec = charts.scalingCurve(points, { x: "N", y: "ndcg@10", logX: true, law: saturating }) as unknown as { layer: { data?: { values: Record<string, number>[] } }[] };
    assertValidVegaLite(spec);
    const curve = spec.layer[2]!.data!.values;
    assert.equal(curve.length, 60);
    assert.equal(curve[0]!.N, 1e6);
    assert.ok(Math.abs(curve[59]!["ndcg@10"]! - saturating.predict(64e6).value) < 1e-5);
    assert.match(renderSvg(spec as never), /^<svg/);
    assert.throws(() => charts.scalingCurve(gridPoints, { x: "N", y: "map", logX: true, law: joint }), /law must be a one-axis fit/);
  });

  it("charts refuse fits they cannot draw", () => {
    assert.throws(() => charts.forecast(joint), /pass \{ at: value of D \}/);
    assert.throws(() => charts.jointLawHeatmap(saturating), /needs a law fitted on two x fields/);
    assert.throws(() => charts.isoCompute(joint, { computeFlops: [] }), /at least one budget/);
  });
});
