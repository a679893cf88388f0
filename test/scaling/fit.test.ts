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
