import * as tf from "@tensorflow/tfjs";
import { useFusedWebGPUKernels } from "../model/ops/webgpu-program";
import { adamWUpdateOnWebGPU } from "./webgpu-optimizer-kernels";

export interface AdamWOptions {
  /** Exponential decay of the first-moment estimate. Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second-moment estimate. Default 0.999. */
  beta2?: number;
  /** Added to the denominator for numerical stability. Default 1e-8. */
  epsilon?: number;
  /** Decoupled weight decay coefficient λ (the update subtracts `lr · λ · w`). Default 0.01. */
  weightDecay?: number;
  /**
   * Which variables are decayed. Default: variables of rank ≥ 2 (weight matrices and embeddings), not biases or
   * LayerNorm gains/offsets — the usual BERT practice.
   */
  decays?: (variable: tf.Variable) => boolean;
  /**
   * Per-variable multipliers of the learning rate passed to `step` (e.g. a smaller rate for a pretrained encoder
   * than for a new scoring head); they scale the decay too, as separate PyTorch parameter groups would. Default 1.
   */
  learningRateScales?: readonly number[];
}

/** Serialisable optimizer state, stored in checkpoints; moments are in the order of the optimizer's variables. */
export interface AdamWState {
  /** Number of updates applied so far (t in the bias corrections). */
  step: number;
  firstMoments: Float32Array[];
  secondMoments: Float32Array[];
}

/**
 * AdamW: Adam with decoupled weight decay, with the exact update order of PyTorch's `torch.optim.AdamW`:
 * `w ← w·(1 − lr·λ)`, `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
 * `w ← w − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε)`.
 * The learning rate is passed to every `step`, so any schedule can drive it.
 *
 * Reference: Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization" (ICLR), Algorithm 2;
 * PyTorch 1.13 `torch/optim/adamw.py` (`_single_tensor_adamw`).
 * @example
 * const optimizer = new AdamW(model.variables(), { weightDecay: 0.01 });
 * optimizer.step(gradients, 3e-4);
 */
export class AdamW {
  readonly variables: readonly tf.Variable[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly decayed: boolean[];
  private readonly learningRateScales: readonly number[];
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private stepCount = 0;

  constructor(variables: readonly tf.Variable[], options: AdamWOptions = {}) {
    this.variables = variables;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    for (const [name, value] of [["beta1", this.beta1], ["beta2", this.beta2]] as const) {
      if (!(value >= 0 && value < 1)) throw new Error(`AdamW: ${name} must be in [0, 1), got ${value}.`);
    }
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be ≥ 0, got ${this.weightDecay}.`);
    const decays = options.decays ?? ((variable: tf.Variable) => variable.rank >= 2);
    this.decayed = variables.map((variable) => decays(variable));
    const scales = options.learningRateScales ?? variables.map(() => 1);
    if (scales.length !== variables.length || !scales.every((scale) => scale >= 0 && Number.isFinite(scale))) {
      throw new Error(`AdamW: learningRateScales needs one finite multiplier ≥ 0 per variable (${variables.length}), got ${scales.length}.`);
    }
    this.learningRateScales = scales;
    // Inside tidy: the zero tensors the moments start from are freed, the variables are kept (a variable shares
    // its initial value's buffer, which would otherwise outlive the first update).
    this.firstMoments = tf.tidy(() => variables.map((variable) => tf.variable(tf.zerosLike(variable), false)));
    this.secondMoments = tf.tidy(() => variables.map((variable) => tf.variable(tf.zerosLike(variable), false)));
  }

  /** Number of updates applied so far. */
  get updatesApplied(): number {
    return this.stepCount;
  }

  /**
   * Applies one update with `gradients[i]` for `variables[i]` at the given learning rate; `gradientScale` (a scalar
   * tensor, e.g. the clipping scale of {@link globalNormClipScale}) multiplies every gradient first. Does not
   * dispose gradients. On WebGPU each variable's update is three fused kernels (see webgpu-optimizer-kernels.ts).
   */
  step(gradients: readonly tf.Tensor[], learningRate: number, gradientScale?: tf.Scalar): void {
    if (gradients.length !== this.variables.length) {
      throw new Error(`AdamW.step: got ${gradients.length} gradients for ${this.variables.length} variables.`);
    }
    this.stepCount += 1;
    const firstCorrection = 1 - Math.pow(this.beta1, this.stepCount);
    const secondCorrectionRoot = Math.sqrt(1 - Math.pow(this.beta2, this.stepCount));
    const fused = useFusedWebGPUKernels();
    tf.tidy(() => {
      const scale = gradientScale ?? (fused ? tf.scalar(1) : undefined);
      this.variables.forEach((variable, index) => {
        const variableRate = learningRate * this.learningRateScales[index]!;
        const stepSize = variableRate / firstCorrection;
        const firstMoment = this.firstMoments[index]!;
        const secondMoment = this.secondMoments[index]!;
        const decayFactor = this.decayed[index] && this.weightDecay > 0 ? 1 - variableRate * this.weightDecay : 1;
        if (fused) {
          const [nextFirst, nextSecond, nextWeights] = adamWUpdateOnWebGPU(
            { weights: variable, gradient: gradients[index]!, firstMoment, secondMoment, gradientScale: scale! },
            { beta1: this.beta1, beta2: this.beta2, decayFactor, secondCorrectionRoot, epsilon: this.epsilon, stepSize },
          );
          firstMoment.assign(nextFirst);
          secondMoment.assign(nextSecond);
          variable.assign(nextWeights);
          return;
        }
        const gradient = scale ? tf.mul(gradients[index]!, scale) : gradients[index]!;
        const nextFirst = tf.add(tf.mul(firstMoment, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const nextSecond = tf.add(tf.mul(secondMoment, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        firstMoment.assign(nextFirst);
        secondMoment.assign(nextSecond);
        const decayedWeights = decayFactor !== 1 ? tf.mul(variable, decayFactor) : variable;
        const denominator = tf.add(tf.div(tf.sqrt(nextSecond), secondCorrectionRoot), this.epsilon);
        variable.assign(tf.sub(decayedWeights, tf.mul(tf.div(nextFirst, denominator), stepSize)));
      });
    });
  }

  /** The step count and both moments, read back from the device (asynchronously: WebGPU has no synchronous read). */
  async getState(): Promise<AdamWState> {
    const read = (moments: tf.Variable[]) => Promise.all(moments.map(async (moment) => (await moment.data()) as Float32Array));
    return { step: this.stepCount, firstMoments: await read(this.firstMoments), secondMoments: await read(this.secondMoments) };
  }

  /** Restores a state from {@link getState} (e.g. read from a checkpoint); shapes must match the variables. */
  setState(state: AdamWState): void {
    const expected = this.variables.length;
    if (state.firstMoments.length !== expected || state.secondMoments.length !== expected) {
      throw new Error(
        `AdamW.setState: state has ${state.firstMoments.length}/${state.secondMoments.length} moments for ` +
          `${expected} variables. Was the checkpoint written for a different model configuration?`,
      );
    }
    this.variables.forEach((variable, index) => {
      for (const [moments, values] of [
        [this.firstMoments, state.firstMoments[index]!],
        [this.secondMoments, state.secondMoments[index]!],
      ] as const) {
        if (values.length !== variable.size) {
          throw new Error(
            `AdamW.setState: moment ${index} has ${values.length} values, variable "${variable.name}" has ${variable.size}.`,
          );
        }
        tf.tidy(() => moments[index]!.assign(tf.tensor(values, variable.shape, "float32")));
      }
    });
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const moment of [...this.firstMoments, ...this.secondMoments]) moment.dispose();
  }
}
