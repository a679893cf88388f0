import { RUN_FILES } from "../run-result";
import { RUNNER_PID_ENV, WORKER_PROCESS_ENV } from "../run-worker";
import { sbatchResourceOptions, type SlurmResources } from "./slurm-resources";

export interface SbatchScriptOptions {
  /** `--job-name`. */
  jobName: string;
  /** Absolute run directories, one array task each: task i runs `runDirs[i]`. */
  runDirs: string[];
  /** At most this many tasks at once (`--array=0-N%throttle`); undefined: no limit beyond the cluster's. */
  throttle?: number;
  /** Slurm's own output of each task (what it prints before the worker starts, and why it killed a task): `%A_%a.out` in here. */
  slurmLogDir: string;
  resources: SlurmResources;
  /** The folder the worker runs in (the project checkout, on a path the nodes see). */
  projectRoot: string;
  /** The Node.js executable on the nodes. */
  nodePath: string;
  /** The worker entry point (`node --import tsx <workerScript> <runDir>`). */
  workerScript: string;
  /** Environment exported to the worker, e.g. RERANK_DATASETS, RERANK_CACHE, RERANK_BACKEND. */
  env: Record<string, string>;
}

/** Set by the sbatch script in each task's worker to `<arrayJobId>_<taskIndex>`: tells a restarted runner the worker is Slurm's. */
export const SLURM_TASK_ENV = "RERANK_SLURM_TASK";

/**
 * One sbatch script for a job array: one task per run directory, each running the same worker command as the
 * local process pool (`node --import tsx <worker> <runDir>`, output appended to `<runDir>/logs/worker.log`).
 * Resources are `#SBATCH` lines, so the script alone shows what was asked for and can be resubmitted by hand.
 * A task killed by Slurm leaves its run incomplete; the worker resumes from the run's checkpoints next time.
 *
 * Reference: sbatch(1), "--array" and "%A/%a" filename patterns (Slurm 22.05).
 * @example sbatchScript({ jobName: "rerank-smoke", runDirs: ["/shared/runs/smoke/0.1M-..."], throttle: 8, ... })
 */
export function sbatchScript(options: SbatchScriptOptions): string {
  if (options.runDirs.length === 0) throw new Error("sbatchScript: no run directories; nothing to submit.");
  if (options.throttle !== undefined && (!Number.isInteger(options.throttle) || options.throttle < 1)) {
    throw new Error(`sbatchScript: throttle must be a positive integer, got ${options.throttle}. Leave it out for no limit.`);
  }
  for (const name of Object.keys(options.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`sbatchScript: ${JSON.stringify(name)} is not an environment variable name.`);
  }
  const lastIndex = options.runDirs.length - 1;
  const array = `0-${lastIndex}${options.throttle !== undefined ? `%${options.throttle}` : ""}`;
  const directives = [
    `--job-name=${options.jobName}`,
    `--array=${array}`,
    `--output=${options.slurmLogDir}/%A_%a.out`,
    ...sbatchResourceOptions(options.resources),
  ];
  for (const directive of directives) {
    if (/[\s"'\\]/.test(directive)) throw new Error(`sbatchScript: ${JSON.stringify(directive)} holds a space or quote; use paths without them.`);
  }
  return [
    "#!/bin/bash",
    `# Written by rerank-scaling's Slurm executor on ${new Date().toISOString()}: ${options.runDirs.length} run(s), one array task each.`,
    ...directives.map((directive) => `#SBATCH ${directive}`),
    "set -euo pipefail",
    "RUN_DIRS=(",
    ...options.runDirs.map((runDir, index) => `  ${shellQuote(runDir)} # task ${index}`),
    ")",
    'RUN_DIR="${RUN_DIRS[$SLURM_ARRAY_TASK_ID]}"',
    `LOG="$RUN_DIR/${RUN_FILES.workerLog}"`,
    'mkdir -p "$(dirname "$LOG")"',
    'echo "== slurm task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (job ${SLURM_JOB_ID}) on $(hostname) $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$LOG"',
    `cd ${shellQuote(options.projectRoot)}`,
    `unset ${RUNNER_PID_ENV}`,
    `export ${SLURM_TASK_ENV}="\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"`,
    ...Object.entries({ ...WORKER_PROCESS_ENV, ...options.env }).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    `exec ${shellQuote(options.nodePath)} --import tsx ${shellQuote(options.workerScript)} "$RUN_DIR" >> "$LOG" 2>&1`,
    "",
  ].join("\n");
}

/** `value` in single quotes for bash (a quote inside becomes `'\''`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
