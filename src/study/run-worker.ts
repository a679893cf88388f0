import * as fs from "node:fs";
import * as path from "node:path";
import { exitWhenIdle } from "../exit-when-idle";
import { writeFileAtomic } from "./atomic-write";
import { writeCompletionMarker } from "./completion-marker";
import { RUN_FILES, writeRunResults, type RunResults } from "./run-result";
import { runIdOf, type RunSpec } from "./run-spec";

/** What a worker kind does with one run: train and measure, then return the results for the store. */
export type ExecuteRun = (spec: RunSpec, runDir: string) => Promise<RunResults>;

/** Environment variable through which the executor tells a worker its runner's process id. */
export const RUNNER_PID_ENV = "RERANK_STUDY_RUNNER_PID";

/**
 * Environment every worker process gets (`node --import tsx`): tsx compiles through one esbuild process per file
 * instead of an esbuild worker thread, one thread fewer for Node to join when the worker exits.
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { ESBUILD_WORKER_THREADS: "0" };

/** The IPC message a worker sends its runner once the run's results and completion marker are written. */
export const RUN_COMPLETE_MESSAGE = "rerank-run-complete";

/**
 * Seconds an executor lets a worker whose run is complete take to exit before it stops it. A Node process can hang
 * while tearing itself down (seen here: process.exit racing V8's background compiler, see exit-when-idle.ts; workers
 * now exit idle, and nodejs/node#54918 is another open teardown deadlock); the run's files are complete by then, so
 * a stuck exit must cost neither the run nor the study's progress.
 */
export const WORKER_EXIT_GRACE_SECONDS = 60;

/** Exit status of a worker that stopped because its runner went away. */
const RUNNER_GONE_EXIT_STATUS = 70;

/**
 * Exits when the runner is gone: its IPC channel closes (even when it was killed by SIGKILL), or — checked four
 * times a second, in case the channel closed before this process was listening — it is no longer the parent.
 */
function watchRunner(): void {
  if (process.send) {
    process.on("disconnect", () => process.exit(RUNNER_GONE_EXIT_STATUS));
    if (!process.connected) process.exit(RUNNER_GONE_EXIT_STATUS);
  }
  const runnerPid = Number(process.env[RUNNER_PID_ENV]);
  if (Number.isInteger(runnerPid) && runnerPid > 0) {
    const check = (): void => {
      if (process.ppid !== runnerPid) process.exit(RUNNER_GONE_EXIT_STATUS);
    };
    check();
    setInterval(check, 250).unref();
  }
}

/** Sends RUN_COMPLETE_MESSAGE over the IPC channel, when there is one, and waits until it is written. */
function tellRunnerComplete(): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(RUN_COMPLETE_MESSAGE, undefined, {}, () => resolve());
  });
}

/** Files an interrupted attempt may leave that the next attempt keeps: the spec, the logs, resumable checkpoints. */
const KEPT_ON_RESTART = new Set<string>([RUN_FILES.spec, RUN_FILES.logs, RUN_FILES.training, RUN_FILES.workerPid]);

/**
 * The body of a worker process (`node --import tsx <worker>.ts <runDir>`): checks the run's spec against its id,
 * removes study results left by an interrupted attempt (keeping checkpoints, from which training may resume),
 * calls `execute`, writes the results atomically and, last, the completion marker. Exits 0 on success, 1 with the
 * error on stderr otherwise. Exits at once when the runner that started it goes away (its IPC channel closes).
 *
 * @example // src/study/worker.ts
 * runWorker(executeTrainingRun);
 */
export function runWorker(execute: ExecuteRun, argv: string[] = process.argv.slice(2)): void {
  watchRunner();
  const startedAtMs = Date.now();
  const runDir = argv[0];
  const work = async (): Promise<void> => {
    if (!runDir) throw new Error("worker: usage: worker <runDir> (the run directory holding spec.json)");
    const spec = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.spec), "utf8")) as RunSpec;
    if (runIdOf(spec) !== spec.runId || path.basename(path.resolve(runDir)) !== spec.runId) {
      throw new Error(`worker: ${runDir}/spec.json does not match its run id ${spec.runId}; refusing to run it.`);
    }
    writeFileAtomic(path.join(runDir, RUN_FILES.workerPid), `${process.pid}\n`);
    for (const entry of fs.readdirSync(runDir)) {
      if (!KEPT_ON_RESTART.has(entry)) fs.rmSync(path.join(runDir, entry), { recursive: true, force: true });
    }
    console.log(`worker ${process.pid}: ${spec.runId}`);
    const results = await execute(spec, runDir);
    const wallSeconds = (Date.now() - startedAtMs) / 1000;
    writeRunResults(runDir, { ...results, summary: { ...results.summary, runId: spec.runId, wallSeconds } });
    fs.rmSync(path.join(runDir, RUN_FILES.workerPid), { force: true });
    writeCompletionMarker(runDir, spec.runId, wallSeconds);
    console.log(`worker ${process.pid}: done in ${wallSeconds.toFixed(1)} s`);
    await tellRunnerComplete();
  };
  // The channel to the runner closes without counting as the runner going away; then the process ends by itself
  // (not process.exit(): see exit-when-idle.ts).
  const finish = (code: number): void => {
    process.removeAllListeners("disconnect");
    if (process.connected) process.disconnect();
    exitWhenIdle(code);
  };
  work().then(
    () => finish(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      finish(1);
    },
  );
}
