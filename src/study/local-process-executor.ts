import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../paths";
import type { Executor, RunHandle, RunJob, RunOutcome } from "./executor";
import { RUN_FILES } from "./run-result";
import { RUN_COMPLETE_MESSAGE, RUNNER_PID_ENV, WORKER_EXIT_GRACE_SECONDS, WORKER_PROCESS_ENV } from "./run-worker";

export interface LocalProcessExecutorOptions {
  /** Worker processes at once. Default: one per core (the wasm backend uses one core per process). */
  slots?: number;
  /** The worker entry point (a .ts file run with tsx). Default: src/study/worker.ts, the training worker. */
  workerScript?: string;
  /** Extra environment for the workers. */
  env?: Record<string, string>;
  /** Seconds a worker that reported its run complete may take to exit before it is killed. Default 60. */
  exitGraceSeconds?: number;
}

/** The training worker entry point. */
export const DEFAULT_WORKER_SCRIPT = path.join(PROJECT_ROOT, "src", "study", "worker.ts");

/**
 * Runs each job as its own Node process (`node --import tsx <workerScript> <runDir>`), at most `slots` at once,
 * starting queued jobs in submission order. The worker's stdout and stderr go to `<runDir>/logs/worker.log`.
 * Workers are connected by an IPC channel: when the runner dies, even by SIGKILL, the channel closes and the
 * workers exit, so no orphan keeps writing into a run directory that a restarted study reuses.
 *
 * @example const executor = new LocalProcessExecutor({ slots: 2 });
 *          const outcome = await executor.submit({ runId, runDir }).outcome;
 */
export class LocalProcessExecutor implements Executor {
  readonly slots: number;
  private readonly workerScript: string;
  private readonly env: Record<string, string>;
  private readonly exitGraceSeconds: number;
  private readonly queue: LocalRunHandle[] = [];
  private readonly running = new Set<LocalRunHandle>();

  constructor(options: LocalProcessExecutorOptions = {}) {
    const slots = options.slots ?? os.cpus().length;
    if (!Number.isInteger(slots) || slots < 1) {
      throw new Error(`LocalProcessExecutor: slots must be a positive integer, got ${slots}. Leave it out for one per core.`);
    }
    this.slots = slots;
    this.workerScript = path.resolve(options.workerScript ?? DEFAULT_WORKER_SCRIPT);
    if (!fs.existsSync(this.workerScript)) {
      throw new Error(`LocalProcessExecutor: worker script ${this.workerScript} does not exist.`);
    }
    this.env = options.env ?? {};
    this.exitGraceSeconds = options.exitGraceSeconds ?? WORKER_EXIT_GRACE_SECONDS;
  }

  submit(job: RunJob): RunHandle {
    const handle: LocalRunHandle = new LocalRunHandle(job, () => this.dequeue(handle));
    this.queue.push(handle);
    this.pump();
    return handle;
  }

  async shutdown(): Promise<void> {
    const all = [...this.queue, ...this.running];
    for (const handle of all) handle.cancel();
    await Promise.all(all.map((handle) => handle.outcome));
  }

  private dequeue(handle: LocalRunHandle): void {
    const index = this.queue.indexOf(handle);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private pump(): void {
    while (this.running.size < this.slots && this.queue.length > 0) {
      const handle = this.queue.shift()!;
      this.running.add(handle);
      handle.start(this.workerScript, this.env, this.exitGraceSeconds);
      // The next job starts on a later turn, after every other listener has seen this one finish.
      void handle.outcome.then(() => {
        this.running.delete(handle);
        setImmediate(() => this.pump());
      });
    }
  }
}

class LocalRunHandle implements RunHandle {
  readonly runId: string;
  readonly outcome: Promise<RunOutcome>;
  state: "queued" | "running" | "finished" = "queued";
  private resolveOutcome!: (outcome: RunOutcome) => void;
  private child: ChildProcess | undefined;
  private cancelled = false;
  /** The worker said its run is complete (RUN_COMPLETE_MESSAGE). */
  private runComplete = false;
  private startedAtMs = 0;

  constructor(
    private readonly job: RunJob,
    private readonly removeFromQueue: () => void,
  ) {
    this.runId = job.runId;
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  start(workerScript: string, env: Record<string, string>, exitGraceSeconds: number): void {
    if (this.state !== "queued") return;
    this.state = "running";
    this.startedAtMs = Date.now();
    let logDescriptor: number;
    try {
      const logFile = path.join(this.job.runDir, RUN_FILES.workerLog);
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      logDescriptor = fs.openSync(logFile, "a");
      fs.writeSync(logDescriptor, `== worker start ${new Date().toISOString()} ${this.runId}\n`);
    } catch (error) {
      this.finish({ ok: false, exitCode: null, signal: null, error: `cannot open the log: ${(error as Error).message}` });
      return;
    }
    const child = spawn(process.execPath, ["--import", "tsx", workerScript, this.job.runDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...WORKER_PROCESS_ENV, ...env, [RUNNER_PID_ENV]: String(process.pid) },
      stdio: ["ignore", logDescriptor, logDescriptor, "ipc"],
    });
    fs.closeSync(logDescriptor);
    this.child = child;
    this.job.onStarted?.();
    child.on("error", (error) => this.finish({ ok: false, exitCode: null, signal: null, error: `cannot start: ${error.message}` }));
    // A worker whose run is complete but whose process does not exit (a deadlock in Node's teardown) is stopped
    // after the grace period; its run counts as done, as its files say.
    let exitTimer: NodeJS.Timeout | undefined;
    child.on("message", (message) => {
      if (message !== RUN_COMPLETE_MESSAGE || exitTimer) return;
      this.runComplete = true;
      exitTimer = setTimeout(() => child.kill("SIGKILL"), exitGraceSeconds * 1000);
    });
    child.on("exit", (exitCode, signal) => {
      clearTimeout(exitTimer);
      const ok = (exitCode === 0 || this.runComplete) && !this.cancelled;
      this.finish({
        ok,
        exitCode,
        signal,
        error: exitCode === 0 ? undefined : this.runComplete ? `run complete; the process did not exit within ${exitGraceSeconds} s and was killed` : signal ? `killed by ${signal}` : `exited with status ${exitCode}`,
      });
    });
  }

  cancel(): void {
    if (this.state === "finished") return;
    this.cancelled = true;
    if (this.state === "queued") {
      this.removeFromQueue();
      this.finish({ ok: false, exitCode: null, signal: null, error: "cancelled before it started" });
    } else {
      this.child?.kill("SIGKILL");
    }
  }

  private finish(outcome: Omit<RunOutcome, "runId" | "cancelled" | "wallSeconds">): void {
    if (this.state === "finished") return;
    const wallSeconds = this.startedAtMs ? (Date.now() - this.startedAtMs) / 1000 : 0;
    this.state = "finished";
    if (this.child?.connected) this.child.disconnect();
    this.resolveOutcome({ runId: this.runId, cancelled: this.cancelled, wallSeconds, ...outcome });
  }
}
