import * as tf from "@tensorflow/tfjs";
import { WORKGROUP_INDEX, runWebGPUProgram, sharedMemorySum } from "./webgpu-program";

/**
 * LayerNorm on WebGPU as six dispatches for the forward and backward passes together, against 23 for its tfjs
 * ops (why it matters: webgpu-program.ts). Same formulas as layer-norm.ts:
 * - forward: row statistics [n, 2] = (mean, 1/sqrt(var + ε)), one workgroup per row, then y = x̂·γ + β;
 * - backward: dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = dy·γ, one workgroup per row; dγ = Σ_rows dy·x̂ and
 *   dβ = Σ_rows dy as partial sums over blocks of rows, then one sum over the blocks for each.
 */

const ROW_WORKGROUP = 64;
/** Rows per partial sum of the parameter gradients (more blocks: more threads, longer final sums). */
const ROWS_PER_BLOCK = 64;

function rowStatistics(x: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  const [rows, columns] = x.shape;
  return runWebGPUProgram({
    shaderKey: "layerNormStatistics",
    inputs: ["X"],
    uniforms: [["columns", "i32"], ["epsilon", "f32"]],
    outputShape: [rows, 2],
    workgroupSize: ROW_WORKGROUP,
    workgroups: rows,
    declarations: `var<workgroup> sums : array<f32, ${ROW_WORKGROUP}>;`,
    body: `
        let row = ${WORKGROUP_INDEX};
        let offset = row * uniforms.columns;
        var total = 0.0;
        for (var k = i32(localId.x); k < uniforms.columns; k = k + ${ROW_WORKGROUP}) { total = total + X[offset + k]; }
        sums[localId.x] = total;
        ${sharedMemorySum(["sums"], ROW_WORKGROUP)}
        let mean = sums[0] / f32(uniforms.columns);
        workgroupBarrier();
        var squares = 0.0;
        for (var k = i32(localId.x); k < uniforms.columns; k = k + ${ROW_WORKGROUP}) {
          let centered = X[offset + k] - mean;
          squares = squares + centered * centered;
        }
        sums[localId.x] = squares;
        ${sharedMemorySum(["sums"], ROW_WORKGROUP)}
        if (localId.x == 0u) {
          setOutputAtIndex(row * 2, mean);
          setOutputAtIndex(row * 2 + 1, inverseSqrt(sums[0] / f32(uniforms.columns) + uniforms.epsilon));
        }`,
  }, [x], [columns, epsilon]) as tf.Tensor2D;
}

function normalize(x: tf.Tensor2D, statistics: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  return runWebGPUProgram({
    shaderKey: "layerNormApply",
    inputs: ["X", "S", "G", "B"],
    uniforms: [["columns", "i32"]],
    outputShape: x.shape,
    body: `
        if (index < uniforms.size) {
          let row = index / uniforms.columns;
          let column = index - row * uniforms.columns;
          let normalized = (X[index] - S[row * 2]) * S[row * 2 + 1];
          setOutputAtIndex(index, normalized * G[column] + B[column]);
        }`,
  }, [x, statistics, gamma, beta], [x.shape[1]]) as tf.Tensor2D;
}

function inputGradient(dy: tf.Tensor2D, x: tf.Tensor2D, statistics: tf.Tensor2D, gamma: tf.Tensor1D): tf.Tensor2D {
  const [rows, columns] = x.shape;
  return runWebGPUProgram({
    shaderKey: "layerNormInputGradient",
    inputs: ["D", "X", "S", "G"],
    uniforms: [["columns", "i32"]],
    outputShape: x.shape,
    workgroupSize: ROW_WORKGROUP,
    workgroups: rows,
    declarations: `var<workgroup> sumD : array<f32, ${ROW_WORKGROUP}>;\n      var<workgroup> sumDX : array<f32, ${ROW_WORKGROUP}>;`,
    body: `
        let row = ${WORKGROUP_INDEX};
        let offset = row * uniforms.columns;
        let mean = S[row * 2];
        let inverseStd = S[row * 2 + 1];
        var d = 0.0;
        var dx = 0.0;
        for (var k = i32(localId.x); k < uniforms.columns; k = k + ${ROW_WORKGROUP}) {
          let g = D[offset + k] * G[k];
          d = d + g;
          dx = dx + g * ((X[offset + k] - mean) * inverseStd);
        }
        sumD[localId.x] = d;
        sumDX[localId.x] = dx;
        ${sharedMemorySum(["sumD", "sumDX"], ROW_WORKGROUP)}
        let meanD = sumD[0] / f32(uniforms.columns);
        let meanDX = sumDX[0] / f32(uniforms.columns);
        for (var k = i32(localId.x); k < uniforms.columns; k = k + ${ROW_WORKGROUP}) {
          let g = D[offset + k] * G[k];
          let normalized = (X[offset + k] - mean) * inverseStd;
          setOutputAtIndex(offset + k, inverseStd * ((g - meanD) - normalized * meanDX));
        }`,
  }, [dy, x, statistics, gamma], [columns]) as tf.Tensor2D;
}

/** [dγ, dβ]: per block of rows, Σ dy·x̂ and Σ dy per column ([blocks, 2·columns]), then a sum over the blocks. */
function parameterGradients(dy: tf.Tensor2D, x: tf.Tensor2D, statistics: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
  const [rows, columns] = x.shape;
  const blocks = Math.ceil(rows / ROWS_PER_BLOCK);
  const partial = runWebGPUProgram({
    shaderKey: "layerNormParameterPartials",
    inputs: ["D", "X", "S"],
    uniforms: [["rows", "i32"], ["columns", "i32"]],
    outputShape: [blocks, 2 * columns],
    workgroups: Math.ceil((blocks * columns) / 64),
    body: `
        if (index < uniforms.size / 2) {
          let block = index / uniforms.columns;
          let column = index - block * uniforms.columns;
          var scaled = 0.0;
          var plain = 0.0;
          let end = min(uniforms.rows, (block + 1) * ${ROWS_PER_BLOCK});
          for (var row = block * ${ROWS_PER_BLOCK}; row < end; row = row + 1) {
            let d = D[row * uniforms.columns + column];
            scaled = scaled + d * ((X[row * uniforms.columns + column] - S[row * 2]) * S[row * 2 + 1]);
            plain = plain + d;
          }
          setOutputAtIndex(block * 2 * uniforms.columns + column, scaled);
          setOutputAtIndex(block * 2 * uniforms.columns + uniforms.columns + column, plain);
        }`,
  }, [dy, x, statistics], [rows, columns]);
  const sumOverBlocks = (offset: number) => runWebGPUProgram({
    shaderKey: "layerNormParameterSums",
    inputs: ["P"],
    uniforms: [["blocks", "i32"], ["columns", "i32"], ["offset", "i32"]],
    outputShape: [columns],
    body: `
        if (index < uniforms.size) {
          var total = 0.0;
          for (var block = 0; block < uniforms.blocks; block = block + 1) {
            total = total + P[block * 2 * uniforms.columns + uniforms.offset + index];
          }
          setOutputAtIndex(index, total);
        }`,
  }, [partial], [blocks, columns, offset]) as tf.Tensor1D;
  const sums: [tf.Tensor1D, tf.Tensor1D] = [sumOverBlocks(0), sumOverBlocks(columns)];
  partial.dispose();
  return sums;
}

/** LayerNorm over the last axis of x [n, d] with its gradient, on the WebGPU backend (see layer-norm.ts). */
export function layerNormOnWebGPU(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor2D {
  const withGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const statistics = rowStatistics(input, epsilon);
    save([input, statistics, scale]);
    return {
      value: normalize(input, statistics, scale, offset),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedStatistics, savedScale] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dx = inputGradient(dy as tf.Tensor2D, savedInput, savedStatistics, savedScale);
        const [dGamma, dBeta] = parameterGradients(dy as tf.Tensor2D, savedInput, savedStatistics);
        return [dx, dGamma, dBeta];
      },
    };
  });
  return withGradient(x, gamma, beta) as tf.Tensor2D;
}
