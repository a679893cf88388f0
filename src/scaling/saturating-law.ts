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
 * Default bounds of the asymptote `a`: a metric whose values all lie in [0, 1] (NDCG, MAP, MRR) gets
 * a ∈ [0, 1]; any other metric (contrastive entropy, loss) gets an unbounded asymptote.
 */
export function defaultAsymptoteBounds(yRange: readonly [number, number]): ParameterBounds {
  return yRange[0] >= 0 && yRange[1] <= 1 ? [0, 1] : [-Infinity, Infinity];
}

/**
 * The saturating power law y = a + b·x^c (a: asymptote; c < 0; b < 0 for a rising metric such as
 * NDCG@10, b > 0 for a falling one such as contrastive entropy). Exponent bounds [-5, 0].
 *
 * Reference: Fang et al. 2024, "Scaling Laws for Dense Retrieval", eq. 2; Kaplan et al. 2020.
 * @example saturatingLaw.parameterNames // ["a", "b", "c"]
 */
export const saturatingLaw: ScalingLaw = {
  name: "saturating",
  formula: "y = a + b·x^c",
  axes: 1,
  parameterNames: ["a", "b", "c"],
  defaultBounds(direction: MetricDirection, yRange: readonly [number, number]): ParameterBounds[] {
    const b: ParameterBounds = direction === "rising" ? [-Infinity, 0] : [0, Infinity];
    return [defaultAsymptoteBounds(yRange), b, [-5, 0]];
  },
  startingPoints(data: LawData, y: Float64Array, bounds: readonly ParameterBounds[]): Float64Array[] {
    const ones = new Float64Array(data.count).fill(1);
    const starts: Float64Array[] = [];
    for (const c of exponentCandidates(bounds[2]!)) {
      const power = data.logX[0]!.map((logX) => Math.exp(c * logX));
      const linear = linearLeastSquares([ones, power], y);
      if (linear) starts.push(clipToBounds(Float64Array.of(linear[0]!, linear[1]!, c), bounds));
    }
    return starts;
  },
  evaluate(params: Float64Array, data: LawData, values: Float64Array, jacobian?: Float64Array): void {
    const a = params[0]!;
    const b = params[1]!;
    const c = params[2]!;
    const logX = data.logX[0]!;
    for (let i = 0; i < data.count; i++) {
      const power = Math.exp(c * logX[i]!);
      values[i] = a + b * power;
      if (jacobian) {
        jacobian[3 * i] = 1;
        jacobian[3 * i + 1] = power;
        jacobian[3 * i + 2] = b * power * logX[i]!;
      }
    }
  },
  rawParameters(params: Float64Array, xScale: readonly number[]): Float64Array {
    return Float64Array.of(params[0]!, params[1]! * xScale[0]! ** -params[2]!, params[2]!);
  },
  rawParameterJacobian(params: Float64Array, xScale: readonly number[]): Float64Array {
    const factor = xScale[0]! ** -params[2]!;
    return Float64Array.of(1, 0, 0, 0, factor, -Math.log(xScale[0]!) * params[1]! * factor, 0, 0, 1);
  },
};
