import { defaultAsymptoteBounds } from "./saturating-law";
import { clipToBounds, type LawData, type MetricDirection, type ParameterBounds, type ScalingLaw } from "./scaling-law";

const ALPHA_GRID = [0.1, 0.3, 0.7];
const SHARE_GRID = [0.2, 0.5, 0.8];
const GAP_MULTIPLIERS = [0.5, 1, 2];

/**
 * Kaplan's joint law with an offset: y = a ± ((N_c/N)^(α_N/α_D) + D_c/D)^α_D, with "+" for a falling
 * metric (loss, contrastive entropy) and "−" for a rising one (NDCG), so `a` is the value at infinite N
 * and D. Kaplan et al. fit losses with a = 0; the offset lets it fit metrics that saturate below 1.
 * Parameters: a, Nc and Dc (> 0, raw units of N and D), alphaN and alphaD (in [0.01, 5]). Internally
 * Nc and Dc are fitted as logarithms of the rescaled values.
 *
 * Reference: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", eq. 1.5.
 * @example kaplanLaw("falling").parameterNames // ["a", "Nc", "Dc", "alphaN", "alphaD"]
 */
export function kaplanLaw(direction: MetricDirection): ScalingLaw {
  const sign = direction === "rising" ? -1 : 1;
  return {
    name: "kaplan",
    formula: `y = a ${sign < 0 ? "−" : "+"} ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD`,
    axes: 2,
    parameterNames: ["a", "Nc", "Dc", "alphaN", "alphaD"],
    defaultBounds(_direction: MetricDirection, yRange: readonly [number, number]): ParameterBounds[] {
      return [defaultAsymptoteBounds(yRange), [-30, 30], [-30, 30], [0.01, 5], [0.01, 5]];
    },
    startingPoints(data: LawData, y: Float64Array, bounds: readonly ParameterBounds[]): Float64Array[] {
      let low = Infinity;
      let high = -Infinity;
      for (const value of y) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
      const values = new Float64Array(data.count);
      const starts: Float64Array[] = [];
      for (const alphaN of ALPHA_GRID)
        for (const alphaD of ALPHA_GRID)
          for (const share of SHARE_GRID)
            for (const multiplier of GAP_MULTIPLIERS) {
              // At the centre of the rescaled data (ln N = ln D = 0) the bracket K has K^alphaD = gap.
              const bracket = (multiplier * (high - low)) ** (1 / alphaD);
              const start = Float64Array.of(0, (alphaD / alphaN) * Math.log(share * bracket), Math.log((1 - share) * bracket), alphaN, alphaD);
              this.evaluate(start, data, values);
              let offset = 0;
              for (let i = 0; i < data.count; i++) offset += y[i]! - values[i]!;
              start[0] = offset / data.count;
              starts.push(clipToBounds(start, bounds));
            }
      return starts;
    },
    evaluate(params: Float64Array, data: LawData, values: Float64Array, jacobian?: Float64Array): void {
      const [a, logNc, logDc, alphaN, alphaD] = params as unknown as [number, number, number, number, number];
      const ratio = alphaN / alphaD;
      const logN = data.logX[0]!;
      const logD = data.logX[1]!;
      for (let i = 0; i < data.count; i++) {
        const nGap = logNc - logN[i]!;
        const u = Math.exp(ratio * nGap);
        const v = Math.exp(logDc - logD[i]!);
        const bracket = u + v;
        const logBracket = Math.log(bracket);
        const power = Math.exp(alphaD * logBracket);
        values[i] = a + sign * power;
        if (jacobian) {
          const row = 5 * i;
          const signedPower = sign * power;
          jacobian[row] = 1;
          jacobian[row + 1] = (signedPower * alphaN * u) / bracket;
          jacobian[row + 2] = (signedPower * alphaD * v) / bracket;
          jacobian[row + 3] = (signedPower * u * nGap) / bracket;
          jacobian[row + 4] = signedPower * (logBracket - (u * nGap * ratio) / bracket);
        }
      }
    },
    rawParameters(params: Float64Array, xScale: readonly number[]): Float64Array {
      return Float64Array.of(params[0]!, Math.exp(params[1]!) * xScale[0]!, Math.exp(params[2]!) * xScale[1]!, params[3]!, params[4]!);
    },
    rawParameterJacobian(params: Float64Array, xScale: readonly number[]): Float64Array {
      const jacobian = new Float64Array(25);
      jacobian[0] = 1;
      jacobian[6] = Math.exp(params[1]!) * xScale[0]!;
      jacobian[12] = Math.exp(params[2]!) * xScale[1]!;
      jacobian[18] = 1;
      jacobian[24] = 1;
      return jacobian;
    },
  };
}
