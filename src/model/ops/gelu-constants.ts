/** The constants of GELU's formulas, shared by the CPU kernels (gelu.ts) and the WebGPU shaders (gelu-webgpu.ts). */

export const INV_SQRT_2 = Math.SQRT1_2;
/** 1/sqrt(2π), the standard normal density at 0. */
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** 2·sqrt(2/π): tanh(z) = 2σ(2z) − 1 turns 0.5·(1 + tanh(sqrt(2/π)·u)) into σ(2·sqrt(2/π)·u). */
export const TANH_GELU_SCALE = 2 * Math.sqrt(2 / Math.PI);
/** The cubic coefficient of the tanh approximation (Hendrycks & Gimpel 2016). */
export const TANH_GELU_CUBIC = 0.044715;
/** Abramowitz & Stegun 7.1.26: erf(z) ≈ 1 − t·(a1 + t·(a2 + … a5))·exp(−z²), t = 1/(1 + p·z); |error| ≤ 1.5e-7. */
export const ERF_P = 0.3275911;
export const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;
