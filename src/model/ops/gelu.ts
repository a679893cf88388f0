import * as tf from "@tensorflow/tfjs";
import { onWasmHeap, registerHeapKernel, type WasmHeapBackend } from "./heap-kernel";

const INV_SQRT_2 = Math.SQRT1_2;
/** 1/sqrt(2π), the standard normal density at 0. */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** 2·sqrt(2/π): tanh(z) = 2σ(2z) − 1 turns 0.5·(1 + tanh(sqrt(2/π)·u)) into σ(2·sqrt(2/π)·u). */
const TANH_GELU_SCALE = 2 * Math.sqrt(2 / Math.PI);
/** The cubic coefficient of the tanh approximation (Hendrycks & Gimpel 2016). */
const TANH_GELU_CUBIC = 0.044715;
/** Abramowitz & Stegun 7.1.26: erf(z) ≈ 1 − t·(a1 + t·(a2 + … a5))·exp(−z²), t = 1/(1 + p·z); |error| ≤ 1.5e-7. */
const ERF_P = 0.3275911;
const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/**
 * GELU with a hand-written gradient: the forward pass also returns the slope du/dx, so the backward pass is one
 * product dy·slope.
 * - "gelu": u·Φ(u), Φ the standard normal CDF (BERT; PyTorch `nn.GELU()`); slope Φ(u) + u·φ(u).
 * - "gelu_tanh": u·σ(z), z = 2·sqrt(2/π)·(u + 0.044715u³), equal to 0.5u(1 + tanh(sqrt(2/π)(u + 0.044715u³)))
 *   (PyTorch `nn.GELU(approximate="tanh")`, HF "gelu_new"); slope σ(z) + u·σ(z)(1 − σ(z))·dz/du.
 * On wasm both run as one JavaScript pass over the heap (Φ from Abramowitz & Stegun 7.1.26, |error| ≤ 1e-7):
 * tfjs's Erf kernel alone costs about 13 ms per million values here, the five tfjs ops of the formula more.
 *
 * Reference: Hendrycks & Gimpel 2016, "Gaussian Error Linear Units (GELUs)"; Abramowitz & Stegun 1964, 7.1.26.
 * @example gelu(tf.tensor1d([1]), "gelu").arraySync() // [0.8413447]
 */
export function gelu(u: tf.Tensor, kind: "gelu" | "gelu_tanh"): tf.Tensor {
  return kind === "gelu" ? exactGelu(u) : tanhGelu(u);
}

function withSlope(valueAndSlope: (u: tf.Tensor) => tf.Tensor[]) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [u, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, slope] = valueAndSlope(u) as [tf.Tensor, tf.Tensor];
    save([slope]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)] };
  });
}

const exactGelu = withSlope((u) => {
  if (onWasmHeap(u)) return runExactGelu({ u }) as tf.Tensor[];
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(u, INV_SQRT_2)), 1), 0.5);
  const density = tf.mul(tf.exp(tf.mul(tf.square(u), -0.5)), INV_SQRT_2PI);
  return [tf.mul(u, cdf), tf.add(cdf, tf.mul(u, density))];
});

const tanhGelu = withSlope((u) => {
  if (onWasmHeap(u)) return runTanhGelu({ u }) as tf.Tensor[];
  const uSquared = tf.square(u);
  const gate = tf.sigmoid(tf.mul(u, tf.add(tf.mul(uSquared, TANH_GELU_SCALE * TANH_GELU_CUBIC), TANH_GELU_SCALE)));
  const dzdu = tf.add(tf.mul(uSquared, 3 * TANH_GELU_SCALE * TANH_GELU_CUBIC), TANH_GELU_SCALE);
  return [tf.mul(u, gate), tf.add(gate, tf.mul(tf.mul(gate, tf.sub(1, gate)), tf.mul(u, dzdu)))];
});

/** Allocates the value and slope outputs of an elementwise kernel on input u, then views all three. */
function valueAndSlopeViews(inputs: tf.NamedTensorInfoMap, backend: WasmHeapBackend) {
  const u = inputs.u!;
  const outputs = [backend.makeOutput(u.shape, "float32"), backend.makeOutput(u.shape, "float32")];
  const [x, y, s] = [u, ...outputs].map((info) => backend.typedArrayFromHeap(info)) as [Float32Array, Float32Array, Float32Array];
  return { x, y, s, outputs };
}

const runExactGelu = registerHeapKernel("RerankGeluExact", (inputs, backend) => {
  const { x, y, s, outputs } = valueAndSlopeViews(inputs, backend);
  const [a1, a2, a3, a4, a5] = ERF_A;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const z = Math.abs(v) * INV_SQRT_2;
    const t = 1 / (1 + ERF_P * z);
    const gaussian = Math.exp(-z * z); // = exp(−v²/2)
    const halfTail = 0.5 * t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * gaussian; // Φ(−|v|)
    const cdf = v < 0 ? halfTail : 1 - halfTail;
    y[i] = v * cdf;
    s[i] = cdf + v * gaussian * INV_SQRT_2PI;
  }
  return outputs;
});

const runTanhGelu = registerHeapKernel("RerankGeluTanh", (inputs, backend) => {
  const { x, y, s, outputs } = valueAndSlopeViews(inputs, backend);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const vSquared = v * v;
    const gate = 1 / (1 + Math.exp(-TANH_GELU_SCALE * v * (1 + TANH_GELU_CUBIC * vSquared)));
    y[i] = v * gate;
    s[i] = gate + v * gate * (1 - gate) * TANH_GELU_SCALE * (1 + 3 * TANH_GELU_CUBIC * vSquared);
  }
  return outputs;
});
