import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { fDistributionSurvival, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from "../../src/scaling/distributions";

// Expected values: scipy 1.10.1 (Debian bookworm), e.g. /usr/bin/python3 -c "from scipy import stats; print(stats.t.ppf(.975, 10))".
describe("distributions", () => {
  const cases: [string, () => number, number][] = [
    ["t.ppf(0.975, 10)", () => studentTQuantile(0.975, 10), 2.2281388519649385],
    ["t.ppf(0.975, 3)", () => studentTQuantile(0.975, 3), 3.182446305284263],
    ["t.ppf(0.025, 37)", () => studentTQuantile(0.025, 37), -2.0261924630291097],
    ["t.cdf(-1.5, 4)", () => studentTCdf(-1.5, 4), 0.10399999999999991],
    ["f.sf(3, 2, 10)", () => fDistributionSurvival(3, 2, 10), 0.095367431640625],
    ["betainc(2, 3, 0.4)", () => regularizedIncompleteBeta(0.4, 2, 3), 0.5248],
  ];
  for (const [name, compute, expected] of cases) {
    // Tolerance 1e-9: bisection stops at 1e-13 relative; the continued fraction converges to ~1e-15.
    it(name, () => assert.ok(Math.abs(compute() - expected) < 1e-9, `${compute()} vs ${expected}`));
  }
  it("refuses probabilities outside (0, 1)", () => {
    assert.throws(() => studentTQuantile(1, 5), /probability must lie in \(0, 1\), got 1/);
  });
});
