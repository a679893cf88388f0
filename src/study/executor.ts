/**
 * Where runs execute. Deliberately small, so that a cluster scheduler (one job per run) can implement it as well
 * as the local process pool: submit a run directory that holds its spec.json, then await the outcome or cancel.
 * The executor knows nothing of studies: it starts a worker on a run directory and reports how it ended.
 */
export interface Executor {
  /** Runs that can execute at once. */
  readonly slots: number;
  /** Queues a run; it starts when a slot is free, in submission order. */
  submit(job: RunJob): RunHandle;
  /** Cancels every queued and running job and waits until they have stopped. */
  shutdown(): Promise<void>;
}

export interface RunJob {
  runId: string;
  /** The run's directory, holding spec.json; the worker writes its results and logs/worker.log there. */
  runDir: string;
  /** Called when the run leaves the queue and its worker starts. */
  onStarted?: () => void;
}

export interface RunHandle {
  readonly runId: string;
  /** "queued" until a slot starts it, "running", then "finished" (outcome settled). */
  readonly state: "queued" | "running" | "finished";
  /** Resolves (never rejects) when the worker has ended, was cancelled or could not start. */
  readonly outcome: Promise<RunOutcome>;
  /** Stops the run: removes it from the queue or kills its worker. */
  cancel(): void;
}

export interface RunOutcome {
  runId: string;
  /** True when the worker exited with status 0 (the store still verifies the run before using it). */
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  cancelled: boolean;
  /** Seconds from start to end (0 when it never started). */
  wallSeconds: number;
  /** Why it did not start or how it failed, in words. */
  error?: string;
}
