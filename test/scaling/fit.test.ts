import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { fit } from "../../src/scaling/fit";
import type { ParameterBounds } from "../../src/scaling/scaling-law";

// scipy 1.10 curve_fit (trf, bounded, best of 40 starts); see ../shared/fixtures/scaling/README.md.
const FIXTURE = path.resolve(__dirname, "../../../shared/fixtures/scaling/scipy-reference-fits.json");

interface ReferenceCase {
  name: string;
  form: "saturating" | "joint";
  x_units_divided_by: number | number[];
  x: number[] | { N: number[]; D: number[] };
  y: number[];
  bounds: [number[], number[]];
  scipy: { params: number[]; stderr: number[]; sse: number; r2: number };
}

const cases: ReferenceCase[] = JSON.parse(fs.readFileSync(FIXTURE, "utf8")).cases;

describe("fit against scipy's curve_fit", () => {
  for (const reference of cases) {
    it(reference.name, () => {
      const joint = reference.form === "joint";
      const points = reference.y.map((y, i) =>
        joint ? { N: (reference.x as { N: number[] }).N[i], D: (reference.x as { D: number[] }).D[i], y } : { x: (reference.x as number[])[i], y },
      );
      const names = joint ? ["a", "b", "c", "d", "e"] : ["a", "b", "c"];
      const bounds: Record<string, ParameterBounds> = Object.fromEntries(names.map((name, j) => [name, [reference.bounds[0][j]!, reference.bounds[1][j]!]]));
      const result = fit(points, {
        law: reference.form,
        x: joint ? ["N", "D"] : "x",
        y: "y",
        xScale: reference.x_units_divided_by,
        bounds,
      });
      // SSE no larger than scipy's, to rounding (1e-6 relative).
      assert.ok(result.sse <= reference.scipy.sse * (1 + 1e-6), `SSE ${result.sse} > scipy ${reference.scipy.sse}`);
      names.forEach((name, j) => {
        const expected = reference.scipy.params[j]!;
        const actual = result.scaled.params[name]!;
        // Parameters within 1% or 1e-3 absolute: both optimizers stop near the same minimum, not on it.
        assert.ok(Math.abs(actual - expected) <= Math.max(0.01 * Math.abs(expected), 1e-3), `${name}: ${actual} vs scipy ${expected}`);
        // Delta-method standard errors within 5% (scipy: sqrt(diag(pcov)), same rescaled units).
        const se = result.scaled.standardErrors[name]!;
        const expectedSe = reference.scipy.stderr[j]!;
        assert.ok(Math.abs(se - expectedSe) <= 0.05 * expectedSe, `SE ${name}: ${se} vs scipy ${expectedSe}`);
      });
      assert.ok(Math.abs(result.r2 - reference.scipy.r2) < 1e-6, `R² ${result.r2} vs ${reference.scipy.r2}`);
      assert.equal(result.diagnostics.converged, true);
      assert.deepEqual(result.diagnostics.warnings, []);
    });
  }
});

describe("fit diagnostics on a series with no trend the law can follow", () => {
  it("a rising law on falling values pins b at 0; the exponent then moves nothing and is named, and the condition number is infinite, not NaN", () => {
    // Four sizes of the default study (non-embedding parameters) and a falling, noisy metric: the rising saturating
    // law's best fit is the constant a = mean, with b = 0 at its bound, so c has no effect on the curve.
    const xs = [12801, 57000, 100161, 400000];
    const ys = [0.5, 0.4, 0.45, 0.42];
    const result = fit(xs.map((x, i) => ({ x, y: ys[i]! })), { law: "saturating", x: "x", y: "y", direction: "rising" });
    assert.ok(Math.abs(result.scaled.params.a! - 0.4425) < 1e-6, `a ${result.scaled.params.a}`);
    assert.equal(result.scaled.params.b, 0);
    assert.deepEqual(result.diagnostics.atBounds, ["b"]);
    assert.equal(result.diagnostics.conditionNumber, Infinity);
    const warnings = result.diagnostics.warnings.join("\n");
    assert.match(warnings, /b = 0 is at a bound/);
    assert.match(warnings, /c does not change the fitted curve at the optimum/);
    assert.match(warnings, /condition number Infinity/);
    assert.doesNotMatch(warnings, /NaN/);
  });
});
