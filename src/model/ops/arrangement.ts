/**
 * How the model's ops are laid out for a backend. On wasm (XNNPACK) only untransposed 2-D matMuls are fast
 * (about 20–25 GFLOP/s here against about 2 GFLOP/s for transposed or batched ones, ../shared/DESIGN.md §2),
 * so dense gradients transpose the smaller operand explicitly and attention runs one 2-D matMul per
 * (example, head). GPU and native backends run batched and transposed matMuls well, so they get the
 * batched form with tfjs's own gradients.
 */
export interface OpsArrangement {
  /** "explicit-transpose": custom gradients using only untransposed 2-D matMuls; "tfjs": tfjs's own gradient. */
  dense: "explicit-transpose" | "tfjs";
  /** "per-slice": one 2-D matMul per (example, head); "batched": 4-D batched matMuls. */
  attention: "per-slice" | "batched";
}

/**
 * The arrangement for a tfjs backend name (`tf.getBackend()`).
 * @example arrangementFor("wasm") // { dense: "explicit-transpose", attention: "per-slice" }
 */
export function arrangementFor(tfjsBackendName: string): OpsArrangement {
  if (tfjsBackendName === "wasm") return { dense: "explicit-transpose", attention: "per-slice" };
  // GPU and native backends, and the plain-JS cpu backend (whose kernels are equally slow in every form).
  return { dense: "tfjs", attention: "batched" };
}
