import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, PROJECT_ROOT, stagedDatasetsDir } from "../../paths";
import type { Executor, RunHandle, RunJob, RunOutcome } from "../executor";
import { DEFAULT_WORKER_SCRIPT } from "../local-process-executor";
import { RUN_FILES } from "../run-result";
import { WORKER_EXIT_GRACE_SECONDS } from "../run-worker";
import { checkSlurmSubmission } from "./check-slurm-submission";
import { ACTIVE_STATES, WAITING_STATES, type SlurmTaskState } from "./parse-squeue";
import { querySlurmTasks } from "./query-slurm-tasks";
import { sbatchScript } from "./sbatch-script";
import { runSlurmCommand, slurmCommandError } from "./slurm-command";
import { sbatchResourceOptions, workerBackendFor, type SlurmResources } from "./slurm-resources";
import { latestTaskByRun, recordSubmission, slurmStorePaths } from "./slurm-submissions";

export interface SlurmExecutorOptions {
  /** The run store every job's run directory lies in; scripts, Slurm's output and the submission record go to `<store>/.slurm/`. */
  storeRoot: string;
  /** Passed through to sbatch: partition, gres, time, cpus per task, memory, account, qos. */
  resources?: SlurmResources;
  /** At most this many tasks of one submission at once (`--array=0-N%throttle`). Default: no limit but the cluster's. */
  throttle?: number;
  /** `--job-name`. Default "rerank-study". */
  jobName?: string;
  /** The worker entry point. Default: src/study/worker.ts, the training worker (the same as the local pool's). */
  workerScript?: string;
  /** Node.js on the nodes. Default: this process's executable (the nodes see the same path on a shared install). */
  nodePath?: string;
  /** The worker's backend (`RERANK_BACKEND`). Default: the GPU backends when `resources.gres` asks for a GPU, else the worker's own choice. */
  backend?: string;
  /** Extra environment for the workers (written into the script). */
  env?: Record<string, string>;
  /** Seconds between two looks at the queue. Default 15. */
  pollSeconds?: number;
  /** Environment of the Slurm commands (SLURM_CONF, PATH). Default `process.env`. */
  slurmEnv?: NodeJS.ProcessEnv;
  /** Most tasks in one array (the cluster's MaxArraySize - 1 is the largest index). Default 1000. */
  maxArraySize?: number;
  /** The store is on a filesystem every node mounts, whatever its type says. Default false. */
  storeShared?: boolean;
  /** Seconds a task may keep running after its run's completion marker is written before it is cancelled. Default 60. */
  exitGraceSeconds?: number;
}

/** Looks at the queue before giving up on a task that Slurm and the store both say nothing of. */
const MISSING_POLLS_BEFORE_GONE = 2;
/** Seconds `shutdown` waits for Slurm to confirm cancellations. */
const SHUTDOWN_WAIT_SECONDS = 60;

/**
 * Runs each job as one task of a Slurm job array. Jobs submitted in the same turn of the event loop (as
 * `runStudy` submits a whole grid) become one sbatch script and one `sbatch --parsable`; the tasks run the same
 * worker command as the local pool, into the same run store (which must be on a filesystem the nodes see).
 * It follows them with `squeue` (and `sacct` where accounting is on), cancels with `scancel`, and reports
 * Slurm's own error text when a submission is refused. A run whose earlier task is still queued or running
 * (a runner restarted while its tasks ran) is followed, not submitted twice. The constructor checks the
 * cluster (commands on PATH, partition, store visibility) and throws before anything is submitted.
 *
 * Reference: sbatch(1) --array/--parsable, squeue(1) --array --states=all, scancel(1).
 * @example const executor = new SlurmExecutor({ storeRoot: "/shared/runs/smoke", resources: { partition: "gpu", gres: "gpu:1" }, throttle: 8 });
 *          await runStudy(config, { out: "/shared/runs/smoke", executor });
 */
export class SlurmExecutor implements Executor {
  readonly slots: number;
  /** The error text of each refused submission, in order. */
  readonly refusedSubmissions: string[] = [];
  private readonly options: SlurmExecutorOptions;
  private readonly slurmEnv: NodeJS.ProcessEnv;
  private readonly workerEnv: Record<string, string>;
  private unsubmitted: SlurmRunHandle[] = [];
  private readonly followed = new Set<SlurmRunHandle>();
  private flushScheduled = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private submissionCount = 0;

  constructor(options: SlurmExecutorOptions) {
    this.options = options;
    this.slurmEnv = options.slurmEnv ?? process.env;
    if (options.throttle !== undefined && (!Number.isInteger(options.throttle) || options.throttle < 1)) {
      throw new Error(`SlurmExecutor: throttle must be a positive integer, got ${options.throttle}. Leave it out for no limit.`);
    }
    this.slots = options.throttle ?? Number.POSITIVE_INFINITY;
    sbatchResourceOptions(options.resources ?? {});
    const workerScript = path.resolve(options.workerScript ?? DEFAULT_WORKER_SCRIPT);
    if (!fs.existsSync(workerScript)) throw new Error(`SlurmExecutor: worker script ${workerScript} does not exist.`);
    checkSlurmSubmission({ storeRoot: options.storeRoot, partition: options.resources?.partition, storeShared: options.storeShared, env: this.slurmEnv });
    const datasets = stagedDatasetsDir();
    const backend = workerBackendFor(options.resources ?? {}, options.backend);
    this.workerEnv = {
      ...(datasets ? { RERANK_DATASETS: datasets } : {}),
      RERANK_CACHE: cacheDir(),
      ...(backend ? { RERANK_BACKEND: backend } : {}),
      ...options.env,
    };
  }

  submit(job: RunJob): RunHandle {
    const handle = new SlurmRunHandle(job, (target) => this.cancelHandle(target));
    this.unsubmitted.push(handle);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return handle;
  }

  async shutdown(): Promise<void> {
    for (const handle of this.unsubmitted.splice(0)) handle.finish({ ok: false, error: "cancelled before it was submitted" }, true);
    const live = [...this.followed].filter((handle) => handle.state !== "finished");
    if (live.length > 0) {
      for (const handle of live) handle.cancelRequested = true;
      const cancelled = runSlurmCommand("scancel", live.map((handle) => handle.taskId!), { env: this.slurmEnv });
      if (cancelled.status !== 0) console.error(slurmCommandError(cancelled, "SlurmExecutor.shutdown").message);
      const deadline = Date.now() + SHUTDOWN_WAIT_SECONDS * 1000;
      while (live.some((handle) => handle.state !== "finished") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        this.poll();
      }
      for (const handle of live) {
        handle.finish({ ok: false, error: `scancel ${handle.taskId} sent; Slurm had not confirmed it after ${SHUTDOWN_WAIT_SECONDS} s` }, true);
      }
    }
    this.stopPolling();
  }

  /** Writes the scripts and submits everything queued in this turn; runs with a live earlier task are followed instead. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.unsubmitted.splice(0);
    if (batch.length === 0) return;
    const toSubmit = this.adoptLiveTasks(batch);
    const maxArraySize = this.options.maxArraySize ?? 1000;
    for (let start = 0; start < toSubmit.length; start += maxArraySize) this.submitArray(toSubmit.slice(start, start + maxArraySize));
    this.startPolling();
  }

  /** Handles whose run has an earlier task still waiting or running in Slurm follow that task; the rest are returned. */
  private adoptLiveTasks(batch: SlurmRunHandle[]): SlurmRunHandle[] {
    const earlier = latestTaskByRun(this.options.storeRoot);
    const candidates = batch.filter((handle) => earlier.has(handle.runId));
    if (candidates.length === 0) return batch;
    const { tasks } = querySlurmTasks(candidates.map((handle) => earlier.get(handle.runId)!), this.slurmEnv);
    return batch.filter((handle) => {
      const task = tasks.get(earlier.get(handle.runId) ?? "");
      if (!task || !(WAITING_STATES.has(task.state) || ACTIVE_STATES.has(task.state))) return true;
      handle.taskId = task.taskId;
      this.followed.add(handle);
      return false;
    });
  }

  private submitArray(handles: SlurmRunHandle[]): void {
    const paths = slurmStorePaths(this.options.storeRoot);
    fs.mkdirSync(paths.scripts, { recursive: true });
    fs.mkdirSync(paths.logs, { recursive: true });
    const jobName = this.options.jobName ?? "rerank-study";
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const scriptFile = path.join(paths.scripts, `${jobName}-${stamp}-${this.submissionCount++}.sbatch`);
    fs.writeFileSync(
      scriptFile,
      sbatchScript({
        jobName,
        runDirs: handles.map((handle) => path.resolve(handle.runDir)),
        throttle: this.options.throttle,
        slurmLogDir: paths.logs,
        resources: this.options.resources ?? {},
        projectRoot: PROJECT_ROOT,
        nodePath: this.options.nodePath ?? process.execPath,
        workerScript: path.resolve(this.options.workerScript ?? DEFAULT_WORKER_SCRIPT),
        env: this.workerEnv,
      }),
    );
    const result = runSlurmCommand("sbatch", ["--parsable", scriptFile], { env: this.slurmEnv });
    const jobId = result.stdout.trim().split(";")[0] ?? "";
    if (result.status !== 0 || !/^[0-9]+$/.test(jobId)) {
      const error = slurmCommandError(result, `Slurm refused the submission of ${handles.length} run(s)`).message;
      this.refusedSubmissions.push(error);
      for (const handle of handles) handle.finish({ ok: false, error }, false);
      return;
    }
    recordSubmission(this.options.storeRoot, {
      jobId,
      submittedAt: new Date().toISOString(),
      script: scriptFile,
      runIds: handles.map((handle) => handle.runId),
    });
    handles.forEach((handle, index) => {
      handle.taskId = `${jobId}_${index}`;
      this.followed.add(handle);
    });
  }

  private startPolling(): void {
    if (this.pollTimer || this.followed.size === 0) return;
    this.pollTimer = setInterval(() => this.poll(), (this.options.pollSeconds ?? 15) * 1000);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One look at the queue: starts and ends of the followed tasks. */
  private poll(): void {
    const live = [...this.followed].filter((handle) => handle.state !== "finished");
    if (live.length === 0) {
      this.stopPolling();
      return;
    }
    const { tasks, errors } = querySlurmTasks(live.map((handle) => handle.taskId!), this.slurmEnv);
    const unreachableJobs = new Set(errors.map((error) => /--jobs=([0-9]+)/.exec(error)?.[1]));
    for (const handle of live) {
      const task = tasks.get(handle.taskId!);
      if (task) this.observe(handle, task);
      else if (!unreachableJobs.has(handle.taskId!.split("_")[0]) && ++handle.missingPolls >= MISSING_POLLS_BEFORE_GONE) this.settleGone(handle);
    }
    for (const handle of live) if (handle.state === "finished") this.followed.delete(handle);
  }

  private observe(handle: SlurmRunHandle, task: SlurmTaskState): void {
    handle.missingPolls = 0;
    if (WAITING_STATES.has(task.state)) return;
    handle.markStarted();
    if (ACTIVE_STATES.has(task.state)) {
      this.stopIfStuckAfterCompletion(handle);
      return;
    }
    if (task.state === "COMPLETED") {
      handle.finish({ ok: true }, false);
    } else {
      const why = task.detail && task.detail !== "None" ? ` (${task.detail})` : "";
      handle.finish({ ok: false, error: `Slurm ended task ${task.taskId} as ${task.state}${why}` }, handle.cancelRequested);
    }
  }

  /**
   * A task still running well after its worker wrote the run's completion marker is stuck in its exit (a hang in
   * Node's teardown, see WORKER_EXIT_GRACE_SECONDS): cancel it, and count the run, which its files say is complete.
   */
  private stopIfStuckAfterCompletion(handle: SlurmRunHandle): void {
    let completedAtMs: number;
    try {
      completedAtMs = fs.statSync(path.join(handle.runDir, RUN_FILES.complete)).mtimeMs;
    } catch {
      return;
    }
    const graceSeconds = this.options.exitGraceSeconds ?? WORKER_EXIT_GRACE_SECONDS;
    if (Date.now() - completedAtMs < graceSeconds * 1000) return;
    const result = runSlurmCommand("scancel", [handle.taskId!], { env: this.slurmEnv });
    if (result.status !== 0) console.error(slurmCommandError(result, `stop ${handle.runId}`).message);
    handle.finish({ ok: true, error: `run complete; task ${handle.taskId} had not exited ${graceSeconds} s later and was cancelled` }, false);
  }

  /** A task neither squeue nor sacct knows any more: the run store says whether its worker finished. */
  private settleGone(handle: SlurmRunHandle): void {
    handle.markStarted();
    if (fs.existsSync(path.join(handle.runDir, RUN_FILES.complete))) handle.finish({ ok: true }, false);
    else handle.finish({ ok: false, error: `task ${handle.taskId} left Slurm's queue without finishing its run (no accounting to say why); see its log` }, handle.cancelRequested);
  }

  private cancelHandle(handle: SlurmRunHandle): void {
    const index = this.unsubmitted.indexOf(handle);
    if (index >= 0) {
      this.unsubmitted.splice(index, 1);
      handle.finish({ ok: false, error: "cancelled before it was submitted" }, true);
      return;
    }
    if (!handle.taskId) return;
    handle.cancelRequested = true;
    const result = runSlurmCommand("scancel", [handle.taskId], { env: this.slurmEnv });
    if (result.status !== 0) console.error(slurmCommandError(result, `cancel ${handle.runId}`).message);
  }
}

class SlurmRunHandle implements RunHandle {
  readonly runId: string;
  readonly runDir: string;
  readonly outcome: Promise<RunOutcome>;
  state: "queued" | "running" | "finished" = "queued";
  /** `<arrayJobId>_<index>` once submitted (or adopted). */
  taskId: string | undefined;
  cancelRequested = false;
  missingPolls = 0;
  private resolveOutcome!: (outcome: RunOutcome) => void;
  private startedAtMs = 0;

  constructor(
    private readonly job: RunJob,
    private readonly requestCancel: (handle: SlurmRunHandle) => void,
  ) {
    this.runId = job.runId;
    this.runDir = job.runDir;
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  cancel(): void {
    if (this.state !== "finished") this.requestCancel(this);
  }

  markStarted(): void {
    if (this.state !== "queued") return;
    this.state = "running";
    this.startedAtMs = Date.now();
    this.job.onStarted?.();
  }

  finish(result: { ok: boolean; error?: string }, cancelled: boolean): void {
    if (this.state === "finished") return;
    const wallSeconds = this.startedAtMs ? (Date.now() - this.startedAtMs) / 1000 : 0;
    this.state = "finished";
    this.resolveOutcome({
      runId: this.runId,
      ok: result.ok && !cancelled,
      exitCode: result.ok ? 0 : null,
      signal: null,
      cancelled,
      wallSeconds,
      ...(result.error ? { error: result.error } : {}),
    });
  }
}
