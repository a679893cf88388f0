import { RunStore } from "../run-store";
import { querySlurmTasks } from "./query-slurm-tasks";
import { SlurmExecutor } from "./slurm-executor";
import type { SlurmResources } from "./slurm-resources";
import { latestTaskByRun, readSubmissions } from "./slurm-submissions";

/** What `rerank-scaling study --executor slurm` takes besides the study's own options. */
export interface SlurmCliArgs extends SlurmResources {
  backend?: string;
  storeShared?: boolean;
  pollSeconds?: number;
}

/** The command-line usage of the Slurm options, for `rerank-scaling study --help`. */
export const SLURM_USAGE = `  rerank-scaling study --executor slurm [--partition P] [--gres gpu:1] [--time 04:00:00] [--cpus-per-task 8] [--mem 32G]
      [--account A] [--qos Q] [--backend B] [--store-shared yes] [--poll-seconds 15] [study options]

--executor slurm submits the unfinished runs as one Slurm job array (one task per run, --jobs N throttles it to
N tasks at once) and follows it with squeue; Ctrl-C cancels the tasks (scancel). The run store (--out) must be on
a filesystem every node mounts, and so must this checkout and the datasets (RERANK_DATASETS, RERANK_CACHE).
--gres gpu:N makes the workers use the GPU backends (tensorflow-gpu, then webgpu); --backend overrides.`;

/** Each Slurm option: how its value is stored (resource syntax is checked by the executor, with the field named). */
export const SLURM_CLI_OPTIONS: Record<string, (parsed: SlurmCliArgs, value: string) => void> = {
  "--partition": (parsed, value) => (parsed.partition = value),
  "--gres": (parsed, value) => (parsed.gres = value),
  "--time": (parsed, value) => (parsed.time = value),
  "--cpus-per-task": (parsed, value) => (parsed.cpusPerTask = positiveNumber("--cpus-per-task", value)),
  "--mem": (parsed, value) => (parsed.mem = value),
  "--account": (parsed, value) => (parsed.account = value),
  "--qos": (parsed, value) => (parsed.qos = value),
  "--backend": (parsed, value) => (parsed.backend = value),
  "--store-shared": (parsed, value) => {
    if (value !== "yes" && value !== "no") throw new Error(`--store-shared must be yes or no, got "${value}"`);
    parsed.storeShared = value === "yes";
  },
  "--poll-seconds": (parsed, value) => (parsed.pollSeconds = positiveNumber("--poll-seconds", value)),
};

function positiveNumber(flag: string, value: string): number {
  const parsed = Number(value);
  if (!/^[0-9.]+$/.test(value) || !(parsed > 0)) throw new Error(`${flag} must be a positive number, got "${value}"`);
  return parsed;
}

/**
 * The Slurm executor the CLI's options describe (`--jobs` is the array throttle). Throws, before anything is
 * submitted, when the cluster cannot take the study (see `checkSlurmSubmission`).
 *
 * @example slurmExecutorFromCli({ partition: "gpu", gres: "gpu:1" }, { out: "/shared/runs/smoke", studyName: "smoke", jobs: 8 })
 */
export function slurmExecutorFromCli(
  args: SlurmCliArgs,
  study: { out: string; studyName: string; jobs?: number; workerScript?: string },
): SlurmExecutor {
  const { backend, storeShared, pollSeconds, ...resources } = args;
  return new SlurmExecutor({
    storeRoot: study.out,
    resources,
    throttle: study.jobs,
    jobName: `rerank-${study.studyName}`.replace(/[^A-Za-z0-9_.-]/g, "_"),
    workerScript: study.workerScript,
    backend,
    storeShared,
    pollSeconds,
  });
}

/**
 * What Slurm says of a study's latest tasks, for `rerank-scaling study status`: counts by Slurm state of the runs
 * not complete in the store, and the running/failed ones by name. Empty when the store was never run on Slurm.
 *
 * @example slurmStatusLines("runs/smoke") // ["slurm (jobs 12, 13): 3 RUNNING, 5 PENDING, 1 TIMEOUT", "  TIMEOUT: 0.4M-listwise-... (task 12_4)"]
 */
export function slurmStatusLines(out: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const submissions = readSubmissions(out);
  if (submissions.length === 0) return [];
  const store = new RunStore(out);
  const latest = [...latestTaskByRun(out)].filter(([runId]) => store.inspect(runId).state !== "complete");
  const jobs = submissions.map((submission) => submission.jobId).join(", ");
  if (latest.length === 0) return [`slurm (jobs ${jobs}): every submitted run is complete in the store`];
  const { tasks, errors } = querySlurmTasks(latest.map(([, taskId]) => taskId), env);
  const byState = new Map<string, string[]>();
  for (const [runId, taskId] of latest) {
    const state = tasks.get(taskId)?.state ?? "GONE";
    byState.set(state, [...(byState.get(state) ?? []), `${runId} (task ${taskId})`]);
  }
  const lines = [`slurm (jobs ${jobs}), runs not complete: ${[...byState].map(([state, runs]) => `${runs.length} ${state}`).join(", ")}`];
  for (const [state, runs] of byState) {
    if (state === "PENDING") continue;
    for (const run of runs) lines.push(`  ${state}: ${run}`);
  }
  for (const error of errors) lines.push(`  slurm did not answer: ${error}`);
  if (byState.has("GONE")) lines.push("  GONE: Slurm no longer knows the task (ended long ago, no accounting); run the study again to resubmit it.");
  return lines;
}
