import * as path from "node:path";
import { writeJsonAtomic } from "../study/atomic-write";
import { fitSizeLaws } from "../study/fit-size-laws";
import { loadStudyRows } from "../study/load-study";
import { STORE_FILES } from "../study/run-store";
import { formatProgress, formatSeconds } from "../study/study-progress";
import { loadStudyConfig } from "../study/load-study-config";
import { LocalProcessExecutor } from "../study/local-process-executor";
import { runStudy, type StudyEvent } from "../study/run-study";
import { studyRegistries } from "../study/study-registries";
import { studyStatus, formatStudyStatus } from "../study/study-status";
import { RUN_ORDERS, STUDY_SCALES, type RunOrder, type StudyScale } from "../study/study-config";
import { SLURM_CLI_OPTIONS, SLURM_USAGE, slurmExecutorFromCli, slurmStatusLines, type SlurmCliArgs } from "../study/slurm/slurm-cli";

const USAGE = `usage:
  rerank-scaling study [--config FILE] [--scale smoke|default] [--out DIR] [--jobs N] [--order largest-first|shortest-first]
  rerank-scaling study status [--out DIR] [--scale smoke|default]

Runs the scaling study: every (size preset, objective, data budget, seed) of the grid as its own worker process,
--jobs at once (default: one per core), into the run store DIR (default: runs/<study name>). Finished runs are
never redone; interrupted or corrupt ones are re-run. "status" prints what the store holds.
--worker SCRIPT runs another worker kind (a .ts entry point calling runWorker), e.g. the tests' tiny worker.
${SLURM_USAGE}`;

/** `rerank-scaling study ...`: run a study, or print its status. */
export async function run(args: string[]): Promise<number> {
  const statusOnly = args[0] === "status";
  const options = parseArgs(statusOnly ? args.slice(1) : args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  if (typeof options === "string") {
    console.error(`rerank-scaling study: ${options}\n${USAGE}`);
    return 2;
  }
  const config = loadStudyConfig({ file: options.config, scale: options.scale, registries: studyRegistries() });
  const out = options.out ?? path.join("runs", config.name);
  if (statusOnly) {
    console.log([formatStudyStatus(studyStatus(out)), ...slurmStatusLines(out)].join("\n"));
    return 0;
  }
  if (options.slurm && options.executor !== "slurm") {
    console.error(`rerank-scaling study: ${Object.keys(options.slurm).join(", ")} need --executor slurm\n${USAGE}`);
    return 2;
  }
  const executor =
    options.executor === "slurm"
      ? slurmExecutorFromCli(options.slurm ?? {}, { out, studyName: config.name, jobs: options.jobs, workerScript: options.worker })
      : new LocalProcessExecutor({ slots: options.jobs, workerScript: options.worker });
  const abort = new AbortController();
  const onSignal = (): void => {
    console.error("\nstudy: stopping the workers; finished runs are kept, run the same command to continue.");
    abort.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const slotsText = Number.isFinite(executor.slots) ? `${executor.slots}` : "as many as Slurm allows";
  console.log(`study ${config.name} (${config.scale}) into ${out}, ${slotsText} worker(s) at once${options.executor === "slurm" ? " on Slurm" : ""}`);
  try {
    const outcome = await runStudy(config, { out, executor, order: options.order, onEvent: printEvent, signal: abort.signal });
    console.log(
      `study ${config.name}: ${outcome.complete.length}/${outcome.total} runs complete ` +
        `(${outcome.reused.length} reused, ${outcome.ran.length} run now, ${outcome.failed.length} failed, ` +
        `${outcome.corrupt.length} corrupt re-run) in ${formatSeconds(outcome.wallSeconds)}`,
    );
    if (abort.signal.aborted) return 130;
    if (outcome.complete.length > 0) printFits(out, config.metrics);
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await executor.shutdown();
  }
}

let progressDue = false;

function printEvent(event: StudyEvent): void {
  if (event.type === "run-finished" || event.type === "run-failed") progressDue = true;
  switch (event.type) {
    case "start":
      console.log(`${event.total} runs: ${event.reused} already complete, ${event.toRun} to run`);
      break;
    case "corrupt":
      console.log(`corrupt run ${event.runId}: ${event.reason}; moved to ${event.quarantinedTo}, re-running it`);
      break;
    case "restart":
      console.log(`incomplete run ${event.runId} (${event.reason}): running it again`);
      break;
    case "run-started":
      console.log(`started ${event.runId}`);
      break;
    case "run-finished":
      console.log(`finished ${event.runId} in ${formatSeconds(event.wallSeconds)}`);
      break;
    case "run-failed":
      console.log(`FAILED ${event.runId}: ${event.error}\n${indent(event.logTail)}`);
      break;
    case "pretrained":
      console.log(`pretrained encoder ${event.preset}: ${event.folder} (${(event.pretrainingFlops / 1e12).toFixed(2)} TFLOP of MLM, ${formatSeconds(event.wallSeconds)}; not counted in the runs' training FLOPs)`);
      break;
    case "progress":
      if (progressDue) console.log(formatProgress(event.progress));
      progressDue = false;
      break;
  }
}

/** Fits each metric against model size (final checkpoints), writes them to `<out>/fits.json`, prints one line each. */
function printFits(out: string, metrics: readonly string[]): void {
  const fits = fitSizeLaws(loadStudyRows(out).rows, { metrics });
  writeJsonAtomic(path.join(out, STORE_FILES.fits), fits);
  console.log(`model-size fits (y = a + b·N^c over non-embedding parameters N, final checkpoints), also in ${path.join(out, STORE_FILES.fits)}:`);
  for (const fitted of fits) {
    const where = `  ${fitted.objective} ${fitted.evalSet} ${fitted.budgetPairs}p ${fitted.metric} (${fitted.points} runs): `;
    if (!fitted.params) {
      console.log(where + `no fit: ${fitted.error}`);
      continue;
    }
    const params = Object.entries(fitted.params).map(([name, value]) => `${name}=${value.toPrecision(4)}`).join(" ");
    console.log(where + `${params} R²=${fitted.r2!.toFixed(3)}${fitted.warnings.length ? ` (${fitted.warnings.length} warning(s))` : ""}`);
  }
}

function indent(text: string): string {
  return text.split("\n").map((line) => `    | ${line}`).join("\n");
}

interface StudyArgs {
  config?: string;
  scale?: StudyScale;
  out?: string;
  jobs?: number;
  order?: RunOrder;
  worker?: string;
  executor?: "local" | "slurm";
  slurm?: SlurmCliArgs;
}

/** Each option: how its value is checked and stored. */
const OPTIONS: Record<string, (parsed: StudyArgs, value: string) => void> = {
  "--config": (parsed, value) => (parsed.config = value),
  "--scale": (parsed, value) => (parsed.scale = choice("--scale", value, STUDY_SCALES)),
  "--out": (parsed, value) => (parsed.out = value),
  "--jobs": (parsed, value) => {
    if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--jobs must be a positive integer, got "${value}"`);
    parsed.jobs = Number(value);
  },
  "--order": (parsed, value) => (parsed.order = choice("--order", value, RUN_ORDERS)),
  "--worker": (parsed, value) => (parsed.worker = value),
  "--executor": (parsed, value) => (parsed.executor = choice("--executor", value, ["local", "slurm"] as const)),
  ...Object.fromEntries(
    Object.entries(SLURM_CLI_OPTIONS).map(([flag, store]) => [
      flag,
      (parsed: StudyArgs, value: string) => {
        try {
          store((parsed.slurm ??= {}), value);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      },
    ]),
  ),
};

class UsageError extends Error {}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

function parseArgs(args: string[]): StudyArgs | string | undefined {
  const parsed: StudyArgs = {};
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index]!;
    if (flag === "--help" || flag === "-h") return undefined;
    const store = OPTIONS[flag];
    if (!store) return `unknown option ${flag}`;
    const value = args[index + 1];
    if (value === undefined || value.startsWith("--")) return `${flag} needs a value`;
    try {
      store(parsed, value);
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  }
  return parsed;
}
