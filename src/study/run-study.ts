import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "./atomic-write";
import { estimateRunCost } from "./estimate-run-cost";
import type { Executor, RunOutcome } from "./executor";
import { expandGrid } from "./expand-grid";
import { LocalProcessExecutor } from "./local-process-executor";
import { RUN_FILES } from "./run-result";
import type { RunSpec } from "./run-spec";
import { RunStore, STORE_FILES } from "./run-store";
import { SLURM_TASK_ENV } from "./slurm/sbatch-script";
import type { RunOrder, StudyConfig } from "./study-config";
import type { StudyProgress } from "./study-progress";
import { writeStudyIndex } from "./study-index";
import { prepareStudyLadder } from "./study-ladder";
import { PretrainingStoppedError, type MlmPretrainingOptions } from "../train/mlm";

/** What happened while running a study, in the order it happened. */
export type StudyEvent =
  | { type: "start"; total: number; reused: number; toRun: number }
  | { type: "corrupt"; runId: string; reason: string; quarantinedTo: string }
  | { type: "restart"; runId: string; reason: string }
  | { type: "run-started"; runId: string }
  | { type: "run-finished"; runId: string; wallSeconds: number }
  | { type: "run-failed"; runId: string; error: string; logTail: string }
  | { type: "progress"; progress: StudyProgress }
  | { type: "pretrained"; preset: string; folder: string; pretrainingFlops: number; wallSeconds: number };

export interface RunStudyOptions {
  /** The store folder, e.g. "runs/smoke". */
  out: string;
  /** Where runs execute. Default: a local process pool with one worker per core. */
  executor?: Executor;
  /** Default: the config's `order`. */
  order?: RunOrder;
  /** Relative cost of a run, for ordering and the eta. Default: `estimateRunCost` (forward FLOPs × pairs). */
  estimateCost?: (spec: RunSpec) => number;
  onEvent?: (event: StudyEvent) => void;
  /** Aborting cancels queued runs and kills running workers; their directories stay incomplete and re-run next time. */
  signal?: AbortSignal;
  /**
   * When another live runner works on the same store: wait until it is done (true; e.g. notebooks executed side
   * by side) or throw (false, default).
   */
  waitForOtherRunner?: boolean;
  /** Progress bar of the MLM pretraining of `config.pretraining` (see `pretrainMlm`). Default: on stderr. */
  pretrainingProgress?: MlmPretrainingOptions["progress"];
}

export interface FailedRun {
  runId: string;
  error: string;
  /** Last lines of the worker's log. */
  logTail: string;
}

export interface StudyOutcome {
  studyName: string;
  out: string;
  total: number;
  /** Run ids complete at the end (reused or made now). */
  complete: string[];
  /** Of `complete`, those found complete at the start and not redone. */
  reused: string[];
  /** Runs executed by this call that completed. */
  ran: string[];
  failed: FailedRun[];
  /** Corrupt run directories found at the start: moved to quarantine and re-run. */
  corrupt: { runId: string; reason: string; quarantinedTo: string }[];
  wallSeconds: number;
}

/**
 * Runs a study: (1) expands the grid into run specs, (2) checks the store — complete runs are kept and never
 * redone, corrupt ones are quarantined and re-run, interrupted ones re-run (their training may resume from its
 * checkpoints), (3) submits the rest to the executor in the configured order, (4) verifies each finished run
 * against its completion marker, (5) keeps `progress.json` and `index.json` current after every run.
 * A failed run is reported with its log tail and does not stop the others. Only one runner may work on a store
 * at a time (`runner.lock`, taken over when its process is gone).
 *
 * @example const outcome = await runStudy(loadStudyConfig({ scale: "smoke" }), { out: "runs/smoke" });
 */
export async function runStudy(config: StudyConfig, options: RunStudyOptions): Promise<StudyOutcome> {
  const startedAtMs = Date.now();
  const store = new RunStore(options.out);
  fs.mkdirSync(store.root, { recursive: true });
  const releaseLock = await takeRunnerLock(store.root, options.waitForOtherRunner ?? false);
  const emit = options.onEvent ?? (() => undefined);
  const executor = options.executor ?? new LocalProcessExecutor();
  try {
    // 1. The grid.
    const specs = expandGrid(config);
    writeJsonAtomic(path.join(store.root, STORE_FILES.study), { config, runIds: specs.map((spec) => spec.runId) });

    // 2. What the store already holds.
    const reused: string[] = [];
    const corrupt: StudyOutcome["corrupt"] = [];
    const toRun: RunSpec[] = [];
    for (const spec of specs) {
      stopOrphanWorker(store.runDir(spec.runId));
      const inspection = store.inspect(spec.runId);
      if (inspection.state === "complete") {
        reused.push(spec.runId);
        continue;
      }
      if (inspection.state === "corrupt") {
        const quarantinedTo = store.quarantine(spec.runId, inspection.reason ?? "corrupt");
        corrupt.push({ runId: spec.runId, reason: inspection.reason ?? "corrupt", quarantinedTo });
        emit({ type: "corrupt", runId: spec.runId, reason: inspection.reason ?? "corrupt", quarantinedTo });
      } else if (inspection.state === "incomplete" && fs.existsSync(path.join(store.runDir(spec.runId), RUN_FILES.workerLog))) {
        // A worker started on it (a queued run that never started has a directory but no log): say so.
        emit({ type: "restart", runId: spec.runId, reason: inspection.reason ?? "interrupted" });
      }
      toRun.push(spec);
    }
    emit({ type: "start", total: specs.length, reused: reused.length, toRun: toRun.length });

    // 2b. The pretrained encoders the runs fine-tune from (config.pretraining), built here once, before any run:
    //     workers of the same preset would otherwise pretrain it side by side.
    //     Stopped on request (Ctrl-C), the pretraining keeps its checkpoint and no run is submitted.
    let pretrainingStopped = false;
    try {
      const ladder = await prepareStudyLadder(toRun, options.pretrainingProgress, options.signal);
      for (const [preset, record] of Object.entries(ladder)) {
        emit({ type: "pretrained", preset, folder: record.folder, pretrainingFlops: record.pretrainingFlops, wallSeconds: record.wallSeconds });
      }
    } catch (error) {
      if (!(error instanceof PretrainingStoppedError)) throw error;
      console.error(error.message);
      pretrainingStopped = true;
    }

    // 3. Submit in order.
    const costOf = options.estimateCost ?? estimateRunCost;
    const order = options.order ?? config.order;
    toRun.sort((left, right) => (order === "largest-first" ? costOf(right) - costOf(left) : costOf(left) - costOf(right)));
    const running = new Set<string>();
    const cancelled: string[] = pretrainingStopped ? toRun.splice(0).map((spec) => spec.runId) : [];
    const complete = [...reused];
    const ran: string[] = [];
    const failed: FailedRun[] = [];
    let costDone = 0;
    let costLeft = toRun.reduce((sum, spec) => sum + costOf(spec), 0);
    const progress = (): StudyProgress => {
      const elapsedSeconds = (Date.now() - startedAtMs) / 1000;
      return {
        studyName: config.name,
        total: specs.length,
        done: complete.length,
        reused: reused.length,
        running: running.size,
        failed: failed.length,
        pending: specs.length - complete.length - running.size - failed.length - cancelled.length,
        cancelled: cancelled.length,
        elapsedSeconds,
        etaSeconds: costDone > 0 ? (costLeft * elapsedSeconds) / costDone : null,
        runningRunIds: [...running],
        failedRunIds: failed.map((failure) => failure.runId),
        runnerPid: process.pid,
        updatedAt: new Date().toISOString(),
      };
    };
    const report = (): void => {
      const current = progress();
      writeJsonAtomic(path.join(store.root, STORE_FILES.progress), current);
      emit({ type: "progress", progress: current });
    };
    report();

    const onAbort = (): void => void executor.shutdown();
    options.signal?.addEventListener("abort", onAbort);
    const finished = toRun.map((spec) => {
      const runDir = store.prepareRun(spec);
      const handle = executor.submit({
        runId: spec.runId,
        runDir,
        onStarted: () => {
          running.add(spec.runId);
          emit({ type: "run-started", runId: spec.runId });
          report();
        },
      });
      return handle.outcome.then((outcome: RunOutcome) => {
        running.delete(spec.runId);
        costDone += costOf(spec);
        costLeft -= costOf(spec);
        // 4. Verify before use.
        const inspection = store.inspect(spec.runId);
        // A run whose files verify against its completion marker is complete, whatever became of its process
        // afterwards (cancelled while exiting, say).
        if (inspection.state === "complete") {
          complete.push(spec.runId);
          ran.push(spec.runId);
          emit({ type: "run-finished", runId: spec.runId, wallSeconds: outcome.wallSeconds });
          writeStudyIndex(store, specs, config.name);
        } else if (outcome.cancelled) {
          // Stopped on request (abort): not a failure; the run stays incomplete and is re-run next time.
          cancelled.push(spec.runId);
        } else {
          const error = outcome.ok ? `worker exited 0 but the run is ${inspection.state}: ${inspection.reason}` : (outcome.error ?? "failed");
          const failure = { runId: spec.runId, error, logTail: store.logTail(spec.runId) };
          failed.push(failure);
          emit({ type: "run-failed", ...failure });
        }
        report();
      });
    });
    if (options.signal?.aborted) await executor.shutdown();
    await Promise.all(finished);
    options.signal?.removeEventListener("abort", onAbort);

    // 5. The index of everything complete.
    writeStudyIndex(store, specs, config.name);
    report();
    return {
      studyName: config.name,
      out: store.root,
      total: specs.length,
      complete,
      reused,
      ran,
      failed,
      corrupt,
      wallSeconds: (Date.now() - startedAtMs) / 1000,
    };
  } finally {
    if (!options.executor) await executor.shutdown();
    releaseLock();
  }
}

/** True when a process with this id exists (signal 0 tests without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<root>/runner.lock` (created with O_EXCL, holding this process id) and returns its release. A lock whose
 * process is gone is taken over; a live one is an error, or with `wait` is waited for (polling every second).
 */
async function takeRunnerLock(root: string, wait: boolean): Promise<() => void> {
  const lockFile = path.join(root, "runner.lock");
  for (;;) {
    try {
      const descriptor = fs.openSync(lockFile, "wx");
      fs.writeSync(descriptor, `${process.pid}\n`);
      fs.closeSync(descriptor);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let pid = NaN;
    try {
      pid = Number(fs.readFileSync(lockFile, "utf8").trim());
    } catch {
      continue; // released meanwhile
    }
    const holderAlive = Number.isInteger(pid) && pid > 0 && (pid === process.pid || processAlive(pid));
    if (!holderAlive) {
      fs.rmSync(lockFile, { force: true }); // left by a runner that was killed
      continue;
    }
    if (!wait) {
      throw new Error(`runStudy: another runner (pid ${pid}) is working on ${root}. Wait for it, stop it, or use another --out.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return () => {
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
    } catch {
      // already gone
    }
  };
}

/**
 * A worker left by a runner that was killed exits by itself when its IPC channel closes; if one is still alive
 * (its pid file names a live process whose command line holds this run directory), kill it before the run is
 * redone, so that two processes never write the same directory.
 */
function stopOrphanWorker(runDir: string): void {
  const pidFile = path.join(runDir, RUN_FILES.workerPid);
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  let commandLine = "";
  try {
    commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return;
  }
  if (!commandLine.includes(path.basename(runDir))) return;
  // A worker started by a Slurm task belongs to it: the Slurm executor follows it (or scancels it), never a kill from here.
  if (readProcessEnvironment(pid).some((variable) => variable.startsWith(`${SLURM_TASK_ENV}=`))) return;
  process.kill(pid, "SIGKILL");
  const deadline = Date.now() + 5000;
  while (processAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

/** The environment of a process (Linux /proc), empty when it cannot be read. */
function readProcessEnvironment(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    return [];
  }
}
