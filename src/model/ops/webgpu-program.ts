import * as tf from "@tensorflow/tfjs";

/**
 * Running our own WGSL compute programs on tfjs's WebGPU backend, for the fused kernels of the model and the
 * optimizer. Why fuse: on a GPU a small model's training step is bound by the CPU's cost of each dispatch (about
 * 0.2 ms through Dawn on an H200: bind group, uniform buffer, validation), not by arithmetic, so a chain of tfjs
 * elementwise ops costs one dispatch each where one kernel would do.
 * A program is a plain object in tfjs-backend-webgpu's `WebGPUProgram` shape: the backend declares the inputs
 * (`variableNames`, read as arrays or with `get<Name>ByOutputIndex`), the output (`setOutputAtIndex`), the uniforms
 * (`uniforms.<name>`, plus `uniforms.size` when `size` is set) and calls `main(index)` with the flat global index;
 * `localId` and `workgroupId`/`numWorkgroups` are in scope.
 *
 * Reference: tfjs-backend-webgpu 4.22 `webgpu_program.ts` and `backend_webgpu.ts` (`runWebGPUProgram`).
 */

/** The slice of tfjs-backend-webgpu's `WebGPUBackend` used here. */
interface WebGPUBackendLike {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    programDefinedUniform?: Array<{ type: "float32" | "int32"; data: number[] }>,
  ): tf.TensorInfo;
}

export interface WebGPUProgramSpec {
  /** Names the compiled pipeline is cached under (with the input shapes). */
  shaderKey: string;
  /** Input names, in the order of the tensors passed to {@link runWebGPUProgram}. */
  inputs: string[];
  /** Program-defined uniforms, in the order of the values passed. */
  uniforms?: Array<[name: string, type: "f32" | "i32"]>;
  outputShape: number[];
  /** Threads per workgroup (x only). Default 64. */
  workgroupSize?: number;
  /** Workgroups to start; default enough for one thread per output element. */
  workgroups?: number;
  /** WGSL declarations (shared memory, helper functions) placed before `main`. */
  declarations?: string;
  /** The body of `fn main(index : i32)`. */
  body: string;
}

/**
 * True when the active backend is tfjs's WebGPU one, where the fused kernels run, unless `RERANK_WEBGPU_FUSED=0`
 * asks for tfjs's own ops (to compare speed, or to rule the fused kernels out when a driver misbehaves).
 */
export function useFusedWebGPUKernels(): boolean {
  return tf.getBackend() === "webgpu" && process.env.RERANK_WEBGPU_FUSED !== "0";
}

/** Runs one program on the active WebGPU backend; the result is a float32 tensor tracked by the current tidy. */
export function runWebGPUProgram(spec: WebGPUProgramSpec, inputs: tf.Tensor[], uniformValues: number[] = []): tf.Tensor {
  const uniforms = spec.uniforms ?? [];
  if (inputs.length !== spec.inputs.length || uniformValues.length !== uniforms.length) {
    throw new Error(`runWebGPUProgram(${spec.shaderKey}): ${inputs.length} inputs and ${uniformValues.length} uniforms given, ` +
      `${spec.inputs.length} and ${uniforms.length} declared.`);
  }
  const workgroupSize = spec.workgroupSize ?? 64;
  const workgroups = spec.workgroups ?? Math.ceil(tf.util.sizeFromShape(spec.outputShape) / workgroupSize);
  const program = {
    variableNames: spec.inputs,
    uniforms: uniforms.map(([name, type]) => `${name} : ${type},`).join(" "),
    workgroupSize: [workgroupSize, 1, 1],
    size: true,
    outputShape: spec.outputShape,
    dispatchLayout: { x: spec.outputShape.map((_, axis) => axis) },
    dispatch: [Math.max(1, workgroups), 1, 1],
    shaderKey: spec.shaderKey,
    getUserCode: () => `
      ${spec.declarations ?? ""}
      fn main(index : i32) {
        ${spec.body}
      }`,
  };
  const backend = tf.backend() as unknown as WebGPUBackendLike;
  const info = backend.runWebGPUProgram(program, inputs, "float32",
    uniformValues.map((value, i) => ({ type: uniforms[i]![1] === "i32" ? "int32" : "float32", data: [value] })));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * WGSL for the index of the current workgroup over a dispatch the backend may have spread over y and z (past
 * the device's 65,535 workgroups per dimension), for programs that give each workgroup one row.
 */
export const WORKGROUP_INDEX = "i32((workgroupId.z * numWorkgroups.y + workgroupId.y) * numWorkgroups.x + workgroupId.x)";

/**
 * WGSL that sums each of the workgroup-shared arrays `names` (one float per thread, `workgroupSize` a power of two)
 * into its element 0, halving the active threads each round; barriers before and after.
 */
export function sharedMemorySum(names: readonly string[], workgroupSize: number): string {
  return `
        workgroupBarrier();
        for (var half = ${workgroupSize / 2}u; half > 0u; half = half / 2u) {
          if (localId.x < half) {
            ${names.map((name) => `${name}[localId.x] = ${name}[localId.x] + ${name}[localId.x + half];`).join("\n            ")}
          }
          workgroupBarrier();
        }`;
}
