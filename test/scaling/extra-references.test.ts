import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { fit } from "../../src/scaling/fit";
import type { ParameterBounds } from "../../src/scaling/scaling-law";

// Made by test/scaling/fixtures/make-extra-references.py with Debian's scipy 1.10.1 (curve_fit trf, best of 40
// starts; Huber: L-BFGS-B from a 36-point grid), so the pure law, Kaplan's form and the Huber loss each
// have an outside reference like ../shared/fixtures/scaling does for the saturating and joint laws.
const FIXTURE = path.join(__dirname, "fixtures", "extra-reference-fits.json");

interface ExtraCase {
  name: string;
  law: "pure" | "kaplan" | "saturating";
  loss?: "huber";
  huber_delta?: number;
  x_scale: number | number[];
  x: number[] | { N: number[]; D: number[] };
  y: number[];
  bounds: Record<string, [number | null, number | null]>;
  scipy: { params: number[]; stderr?: number[]; sse?: number; objective?: number };
}

const cases: ExtraCase[] = JSON.parse(fs.readFileSync(FIXTURE, "utf8")).cases;

describe("fit against extra scipy references", () => {
  for (const reference of cases) {
    it(reference.name, () => {
      const joint = !Array.isArray(reference.x);
      const points = reference.y.map((y, i) =>
        joint ? { N: (reference.x as { N: number[] }).N[i], D: (reference.x as { D: number[] }).D[i], y } : { x: (reference.x as number[])[i], y },
      );
      const bounds: Record<string, ParameterBounds> = Object.fromEntries(
        Object.entries(reference.bounds).map(([name, [lower, upper]]) => [name, [lower ?? -Infinity, upper ?? Infinity]]),
      );
      const result = fit(points, {
        law: reference.law,
        x: joint ? ["N", "D"] : "x",
        y: "y",
        xScale: reference.x_scale,
        bounds,
        loss: reference.loss ?? "squares",
        huberDelta: reference.huber_delta,
      });
      if (reference.loss === "huber") {
        // Objective no larger than scipy's (1e-6 relative); parameters within 1% or 1e-3.
        assert.ok(result.objective <= reference.scipy.objective! * (1 + 1e-6), `objective ${result.objective} vs ${reference.scipy.objective}`);
      } else {
        assert.ok(result.sse <= reference.scipy.sse! * (1 + 1e-6), `SSE ${result.sse} vs ${reference.scipy.sse}`);
      }
      Object.keys(reference.bounds).forEach((name, j) => {
        const expected = reference.scipy.params[j]!;
        const actual = result.scaled.params[name]!;
        assert.ok(Math.abs(actual - expected) <= Math.max(0.01 * Math.abs(expected), 1e-3), `${name}: ${actual} vs scipy ${expected}`);
        if (reference.scipy.stderr) {
          const se = result.scaled.standardErrors[name]!;
          assert.ok(Math.abs(se - reference.scipy.stderr[j]!) <= 0.05 * reference.scipy.stderr[j]!, `SE ${name}: ${se} vs ${reference.scipy.stderr[j]}`);
        }
      });
    });
  }
});
