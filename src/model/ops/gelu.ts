import * as tf from "@tensorflow/tfjs";

const INV_SQRT_2 = Math.SQRT1_2;
/** 1/sqrt(2π), the standard normal density at 0. */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** 2·sqrt(2/π): tanh(z) = 2σ(2z) − 1 turns 0.5·(1 + tanh(sqrt(2/π)·u)) into σ(2·sqrt(2/π)·u). */
const TANH_GELU_SCALE = 2 * Math.sqrt(2 / Math.PI);
/** The cubic coefficient of the tanh approximation (Hendrycks & Gimpel 2016). */
const TANH_GELU_CUBIC = 0.044715;

/**
 * GELU with a hand-written gradient.
 * - "gelu": u·Φ(u), Φ the standard normal CDF via erf (BERT; PyTorch `nn.GELU()`); du = Φ(u) + u·φ(u).
 * - "gelu_tanh": u·σ(z), z = 2·sqrt(2/π)·(u + 0.044715u³), equal to 0.5u(1 + tanh(sqrt(2/π)(u + 0.044715u³)))
 *   (PyTorch `nn.GELU(approximate="tanh")`, HF "gelu_new"); du = σ(z) + u·σ(z)(1 − σ(z))·dz/du.
 *   Uses the sigmoid kernel, which is several times faster than erf and tanh on wasm.
 *
 * Reference: Hendrycks & Gimpel 2016, "Gaussian Error Linear Units (GELUs)".
 * @example gelu(tf.tensor1d([1]), "gelu").arraySync() // [0.8413447]
 */
export function gelu(u: tf.Tensor, kind: "gelu" | "gelu_tanh"): tf.Tensor {
  return kind === "gelu" ? exactGelu(u) : tanhGelu(u);
}

const exactGelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [u, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(u, INV_SQRT_2)), 1), 0.5);
  save([u, cdf]);
  return {
    value: tf.mul(u, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedU, savedCdf] = saved as [tf.Tensor, tf.Tensor];
      const density = tf.mul(tf.exp(tf.mul(tf.square(savedU), -0.5)), INV_SQRT_2PI);
      return [tf.mul(dy, tf.add(savedCdf, tf.mul(savedU, density)))];
    },
  };
});

const tanhGelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [u, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const uSquared = tf.square(u);
  const z = tf.mul(u, tf.add(tf.mul(uSquared, TANH_GELU_SCALE * TANH_GELU_CUBIC), TANH_GELU_SCALE));
  const gate = tf.sigmoid(z);
  save([u, uSquared, gate]);
  return {
    value: tf.mul(u, gate),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedU, savedUSquared, savedGate] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dzdu = tf.add(tf.mul(savedUSquared, 3 * TANH_GELU_SCALE * TANH_GELU_CUBIC), TANH_GELU_SCALE);
      const slope = tf.mul(tf.mul(savedGate, tf.sub(1, savedGate)), tf.mul(savedU, dzdu));
      return [tf.mul(dy, tf.add(savedGate, slope))];
    },
  };
});
