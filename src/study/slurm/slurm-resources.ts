/**
 * What each array task asks Slurm for, passed through to sbatch as `#SBATCH` lines. Every field is optional:
 * left out, the cluster's defaults apply.
 */
export interface SlurmResources {
  /** `--partition`, e.g. "gpu". Default: the cluster's default partition. */
  partition?: string;
  /** `--gres`, e.g. "gpu:1" or "gpu:a100:1". A GPU request also picks the worker's GPU backends (see `workerBackendFor`). */
  gres?: string;
  /** `--time`, a Slurm time limit: "04:00:00", "90" (minutes), "1-12:00:00". */
  time?: string;
  /** `--cpus-per-task`. */
  cpusPerTask?: number;
  /** `--mem`, memory per node: "32G", "4000M", "8000" (MiB). */
  mem?: string;
  /** `--account`. */
  account?: string;
  /** `--qos`. */
  qos?: string;
}

/** How each field is checked (values end up in a shell script, so only Slurm's own syntax is let through). */
const RESOURCE_PATTERNS: Record<Exclude<keyof SlurmResources, "cpusPerTask">, { pattern: RegExp; example: string }> = {
  partition: { pattern: /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/, example: "gpu" },
  gres: { pattern: /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*(,[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*)*$/, example: "gpu:1" },
  time: { pattern: /^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$/, example: "04:00:00" },
  mem: { pattern: /^[0-9]+[KMGT]?$/, example: "32G" },
  account: { pattern: /^[A-Za-z0-9_.-]+$/, example: "myproject" },
  qos: { pattern: /^[A-Za-z0-9_.-]+$/, example: "normal" },
};

/** The sbatch option of each field. */
const SBATCH_FLAGS: Record<keyof SlurmResources, string> = {
  partition: "--partition",
  gres: "--gres",
  time: "--time",
  cpusPerTask: "--cpus-per-task",
  mem: "--mem",
  account: "--account",
  qos: "--qos",
};

/**
 * Checks the resources and returns them as sbatch options (`["--partition=gpu", "--gres=gpu:1"]`); throws an
 * error naming the field, the bad value and an example of the right form.
 *
 * @example sbatchResourceOptions({ partition: "gpu", cpusPerTask: 8 }) // ["--partition=gpu", "--cpus-per-task=8"]
 */
export function sbatchResourceOptions(resources: SlurmResources): string[] {
  const options: string[] = [];
  for (const key of Object.keys(SBATCH_FLAGS) as (keyof SlurmResources)[]) {
    const value = resources[key];
    if (value === undefined) continue;
    if (key === "cpusPerTask") {
      if (!Number.isInteger(value) || (value as number) < 1) {
        throw new Error(`slurm: ${SBATCH_FLAGS[key]} must be a positive integer, got ${JSON.stringify(value)}.`);
      }
    } else {
      const { pattern, example } = RESOURCE_PATTERNS[key];
      if (typeof value !== "string" || !pattern.test(value)) {
        throw new Error(`slurm: ${SBATCH_FLAGS[key]} ${JSON.stringify(value)} is not in Slurm's form; e.g. ${SBATCH_FLAGS[key]} ${example}.`);
      }
    }
    options.push(`${SBATCH_FLAGS[key]}=${value}`);
  }
  return options;
}

/** True when `gres` asks for at least one GPU ("gpu", "gpu:2", "gpu:a100:1", "shard:1,gpu:1"; not "gpu:0"). */
export function requestsGpu(gres: string | undefined): boolean {
  if (!gres) return false;
  return gres.split(",").some((item) => {
    const parts = item.split(":");
    if (parts[0] !== "gpu") return false;
    const count = parts.length > 1 ? Number(parts[parts.length - 1]) : 1;
    return !Number.isFinite(count) || count > 0;
  });
}

/**
 * The worker's backend choice (`RERANK_BACKEND`, see `selectBackend`) for a task with these resources:
 * a GPU request forces the GPU backends, CUDA's tfjs-node-gpu first and WebGPU (Dawn over Vulkan) second, so
 * that a task holding a GPU fails with the reason instead of training on the CPU; without a GPU the worker
 * picks the best CPU backend itself (undefined). An explicit `backend` wins.
 *
 * @example workerBackendFor({ gres: "gpu:1" }) // "tensorflow-gpu,webgpu"
 */
export function workerBackendFor(resources: SlurmResources, backend?: string): string | undefined {
  if (backend) return backend;
  return requestsGpu(resources.gres) ? GPU_BACKENDS : undefined;
}

/** The backends tried, in order, by a task that holds a GPU. */
export const GPU_BACKENDS = "tensorflow-gpu,webgpu";
