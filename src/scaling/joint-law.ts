import { defaultAsymptoteBounds } from "./saturating-law";
import {
  clipToBounds,
  exponentCandidates,
  linearLeastSquares,
  type LawData,
  type MetricDirection,
  type ParameterBounds,
  type ScalingLaw,
} from "./scaling-law";

/**
 * The joint additive law y = a + b·N^c + d·D^e in model size N and data D (c, e < 0; b, d < 0 for a
 * rising metric, > 0 for a falling one). Exponent bounds [-5, 0].
 *
 * Reference: Hoffmann et al. 2022 ("Chinchilla"), eq. 2; Fang et al. 2024, eq. 4.
 * @example jointLaw.parameterNames // ["a", "b", "c", "d", "e"]
 */
export const jointLaw: ScalingLaw = {
  name: "joint",
  formula: "y = a + b·N^c + d·D^e",
  axes: 2,
  parameterNames: ["a", "b", "c", "d", "e"],
  defaultBounds(direction: MetricDirection, yRange: readonly [number, number]): ParameterBounds[] {
    const coefficient: ParameterBounds = direction === "rising" ? [-Infinity, 0] : [0, Infinity];
    return [defaultAsymptoteBounds(yRange), coefficient, [-5, 0], coefficient, [-5, 0]];
  },
  startingPoints(data: LawData, y: Float64Array, bounds: readonly ParameterBounds[]): Float64Array[] {
    const ones = new Float64Array(data.count).fill(1);
    const starts: Float64Array[] = [];
    const dPowers = exponentCandidates(bounds[4]!).map((e) => ({ e, power: data.logX[1]!.map((logD) => Math.exp(e * logD)) }));
    for (const c of exponentCandidates(bounds[2]!)) {
      const nPower = data.logX[0]!.map((logN) => Math.exp(c * logN));
      for (const { e, power } of dPowers) {
        const linear = linearLeastSquares([ones, nPower, power], y);
        if (linear) starts.push(clipToBounds(Float64Array.of(linear[0]!, linear[1]!, c, linear[2]!, e), bounds));
      }
    }
    return starts;
  },
  evaluate(params: Float64Array, data: LawData, values: Float64Array, jacobian?: Float64Array): void {
    const [a, b, c, d, e] = params as unknown as [number, number, number, number, number];
    const logN = data.logX[0]!;
    const logD = data.logX[1]!;
    for (let i = 0; i < data.count; i++) {
      const nPower = Math.exp(c * logN[i]!);
      const dPower = Math.exp(e * logD[i]!);
      values[i] = a + b * nPower + d * dPower;
      if (jacobian) {
        const row = 5 * i;
        jacobian[row] = 1;
        jacobian[row + 1] = nPower;
        jacobian[row + 2] = b * nPower * logN[i]!;
        jacobian[row + 3] = dPower;
        jacobian[row + 4] = d * dPower * logD[i]!;
      }
    }
  },
  rawParameters(params: Float64Array, xScale: readonly number[]): Float64Array {
    const [a, b, c, d, e] = params as unknown as [number, number, number, number, number];
    return Float64Array.of(a, b * xScale[0]! ** -c, c, d * xScale[1]! ** -e, e);
  },
  rawParameterJacobian(params: Float64Array, xScale: readonly number[]): Float64Array {
    const [, b, c, d, e] = params as unknown as [number, number, number, number, number];
    const nFactor = xScale[0]! ** -c;
    const dFactor = xScale[1]! ** -e;
    const jacobian = new Float64Array(25);
    jacobian[0] = 1;
    jacobian[6] = nFactor;
    jacobian[7] = -Math.log(xScale[0]!) * b * nFactor;
    jacobian[12] = 1;
    jacobian[18] = dFactor;
    jacobian[19] = -Math.log(xScale[1]!) * d * dFactor;
    jacobian[24] = 1;
    return jacobian;
  },
};
