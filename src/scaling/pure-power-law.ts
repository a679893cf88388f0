import { linearRegression } from "simple-statistics";
import { clipToBounds, exponentCandidates, type LawData, type MetricDirection, type ParameterBounds, type ScalingLaw } from "./scaling-law";

/**
 * The pure power law y = b·x^c (b > 0; c > 0 for a rising metric, c < 0 for a falling one), which
 * has no asymptote: a straight line on log–log axes. Needs y > 0. Exponent bounds ±5.
 *
 * Reference: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", eq. 1.1.
 * @example purePowerLaw.parameterNames // ["b", "c"]
 */
export const purePowerLaw: ScalingLaw = {
  name: "pure",
  formula: "y = b·x^c",
  axes: 1,
  parameterNames: ["b", "c"],
  defaultBounds(direction: MetricDirection): ParameterBounds[] {
    return [[0, Infinity], direction === "rising" ? [0, 5] : [-5, 0]];
  },
  startingPoints(data: LawData, y: Float64Array, bounds: readonly ParameterBounds[]): Float64Array[] {
    const logX = data.logX[0]!;
    const starts: Float64Array[] = [];
    // A straight line through (ln x, ln y): slope c, intercept ln b.
    const line = linearRegression(Array.from(logX, (value, i) => [value, Math.log(y[i]!)]));
    if (Number.isFinite(line.m) && Number.isFinite(line.b)) starts.push(clipToBounds(Float64Array.of(Math.exp(line.b), line.m), bounds));
    for (const c of exponentCandidates(bounds[1]!)) {
      let numerator = 0;
      let denominator = 0;
      for (let i = 0; i < data.count; i++) {
        const power = Math.exp(c * logX[i]!);
        numerator += power * y[i]!;
        denominator += power * power;
      }
      starts.push(clipToBounds(Float64Array.of(numerator / denominator, c), bounds));
    }
    return starts;
  },
  evaluate(params: Float64Array, data: LawData, values: Float64Array, jacobian?: Float64Array): void {
    const b = params[0]!;
    const c = params[1]!;
    const logX = data.logX[0]!;
    for (let i = 0; i < data.count; i++) {
      const power = Math.exp(c * logX[i]!);
      values[i] = b * power;
      if (jacobian) {
        jacobian[2 * i] = power;
        jacobian[2 * i + 1] = b * power * logX[i]!;
      }
    }
  },
  rawParameters(params: Float64Array, xScale: readonly number[]): Float64Array {
    return Float64Array.of(params[0]! * xScale[0]! ** -params[1]!, params[1]!);
  },
  rawParameterJacobian(params: Float64Array, xScale: readonly number[]): Float64Array {
    const factor = xScale[0]! ** -params[1]!;
    return Float64Array.of(factor, -Math.log(xScale[0]!) * params[0]! * factor, 0, 1);
  },
};
