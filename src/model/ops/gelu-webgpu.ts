import * as tf from "@tensorflow/tfjs";
import { ERF_A, ERF_P, INV_SQRT_2, INV_SQRT_2PI, TANH_GELU_CUBIC, TANH_GELU_SCALE } from "./gelu-constants";
import { runWebGPUProgram } from "./webgpu-program";

/**
 * GELU on WebGPU as one kernel forward (the value) and one backward (dy times the slope, recomputed from u): 2
 * dispatches against the 12 of its tfjs ops, which build value and slope forward (why it matters: webgpu-program.ts).
 * The formulas are gelu.ts's: exact GELU with Φ from Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, as tfjs's own Erf
 * kernel), and the tanh form.
 */

const [A1, A2, A3, A4, A5] = ERF_A;
const POINT = {
  gelu: `
      fn geluPoint(v : f32) -> vec2<f32> {
        let z = abs(v) * ${INV_SQRT_2};
        let t = 1.0 / (1.0 + ${ERF_P} * z);
        let gaussian = exp(-z * z);
        let halfTail = 0.5 * t * (${A1} + t * (${A2} + t * (${A3} + t * (${A4} + t * ${A5})))) * gaussian;
        let cdf = select(1.0 - halfTail, halfTail, v < 0.0);
        return vec2<f32>(v * cdf, cdf + v * gaussian * ${INV_SQRT_2PI});
      }`,
  gelu_tanh: `
      fn geluPoint(v : f32) -> vec2<f32> {
        let vSquared = v * v;
        let gate = 1.0 / (1.0 + exp(-${TANH_GELU_SCALE} * v * (1.0 + ${TANH_GELU_CUBIC} * vSquared)));
        return vec2<f32>(v * gate, gate + v * gate * (1.0 - gate) * ${TANH_GELU_SCALE} * (1.0 + ${3 * TANH_GELU_CUBIC} * vSquared));
      }`,
} as const;

function geluValue(u: tf.Tensor, kind: "gelu" | "gelu_tanh"): tf.Tensor {
  return runWebGPUProgram({
    shaderKey: `geluValue_${kind}`, inputs: ["U"], outputShape: u.shape, declarations: POINT[kind],
    body: "if (index < uniforms.size) { setOutputAtIndex(index, geluPoint(U[index]).x); }",
  }, [u]);
}

function geluGradient(dy: tf.Tensor, u: tf.Tensor, kind: "gelu" | "gelu_tanh"): tf.Tensor {
  return runWebGPUProgram({
    shaderKey: `geluGradient_${kind}`, inputs: ["D", "U"], outputShape: u.shape, declarations: POINT[kind],
    body: "if (index < uniforms.size) { setOutputAtIndex(index, D[index] * geluPoint(U[index]).y); }",
  }, [dy, u]);
}

/** GELU of `kind` with its gradient, on the WebGPU backend (see gelu.ts). */
export function geluOnWebGPU(u: tf.Tensor, kind: "gelu" | "gelu_tanh"): tf.Tensor {
  const withGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    return { value: geluValue(input, kind), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [geluGradient(dy, saved[0]!, kind)] };
  });
  return withGradient(u);
}
