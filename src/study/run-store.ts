import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "./atomic-write";
import { verifyCompletionMarker } from "./completion-marker";
import { readEvaluations, readSummary, RUN_FILES, type CheckpointEvaluation, type RunSummary } from "./run-result";
import { runIdOf, type RunSpec } from "./run-spec";

/** Store-level files and folders beside the run directories. */
export const STORE_FILES = {
  study: "study.json",
  index: "index.json",
  progress: "progress.json",
  /** Model-size fits written by the `study` command after the runs (see `fitSizeLaws`). */
  fits: "fits.json",
  quarantine: "quarantine",
  /** Data artifacts shared by the runs (candidates, dev split, vocabulary); see `prepareStudyData`. */
  prepared: "prepared",
} as const;

/**
 * State of one run in the store:
 * - `absent`: no directory;
 * - `incomplete`: a directory without completion marker (never started, interrupted, or failed); re-run;
 * - `corrupt`: a marker that its files contradict, or a spec that does not match the run id; moved to quarantine
 *   and re-run, never read;
 * - `complete`: verified against its marker; never redone.
 */
export type RunState = "absent" | "incomplete" | "corrupt" | "complete";

export interface RunInspection {
  runId: string;
  state: RunState;
  /** Why the run is incomplete or corrupt. */
  reason?: string;
}

/**
 * The run store of one study: a folder with one directory per run (`<root>/<runId>/`: spec.json, summary.json,
 * evaluations.jsonl with per-checkpoint, per-query metrics, trec/<set>.trec, training/ (the trainer's config, checkpoints and metrics), logs/worker.log,
 * complete.json), plus study.json, index.json and progress.json. Every file is written atomically; a run is
 * read only after its completion marker verifies.
 *
 * @example new RunStore("runs/smoke").inspect("xs-listwise-1024p-seed1-3f9a0c1d2e").state // "complete"
 */
export class RunStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  runDir(runId: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) throw new Error(`RunStore: ${JSON.stringify(runId)} is not a run id.`);
    return path.join(this.root, runId);
  }

  /** Checks one run: see `RunState`. Reads and checksums its files; never modifies anything. */
  inspect(runId: string): RunInspection {
    const runDir = this.runDir(runId);
    if (!fs.existsSync(runDir)) return { runId, state: "absent" };
    const specProblem = this.specProblem(runId);
    const markerExists = fs.existsSync(path.join(runDir, RUN_FILES.complete));
    if (!markerExists) {
      const specExists = fs.existsSync(path.join(runDir, RUN_FILES.spec));
      if (specProblem && specExists) return { runId, state: "corrupt", reason: specProblem };
      return { runId, state: "incomplete", reason: "no completion marker" };
    }
    const markerProblem = specProblem ?? verifyCompletionMarker(runDir, runId);
    if (markerProblem) return { runId, state: "corrupt", reason: markerProblem };
    for (const required of [RUN_FILES.summary, RUN_FILES.evaluations]) {
      if (!fs.existsSync(path.join(runDir, required))) return { runId, state: "corrupt", reason: `${required} is missing` };
    }
    try {
      readEvaluations(runDir);
      readSummary(runDir);
    } catch (error) {
      return { runId, state: "corrupt", reason: (error as Error).message };
    }
    return { runId, state: "complete" };
  }

  /**
   * A cheap check for readers: the marker exists and the two files they read (summary, evaluations) match it.
   * The runner uses the full `inspect` before it trusts a run.
   */
  resultsVerify(runId: string): boolean {
    const runDir = this.runDir(runId);
    if (this.specProblem(runId)) return false;
    return verifyCompletionMarker(runDir, runId, { only: [RUN_FILES.summary, RUN_FILES.evaluations] }) === undefined;
  }

  /** Creates the run's directory with its spec (atomically); keeps what an interrupted attempt left for resuming. */
  prepareRun(spec: RunSpec): string {
    const runDir = this.runDir(spec.runId);
    fs.mkdirSync(path.join(runDir, RUN_FILES.logs), { recursive: true });
    writeJsonAtomic(path.join(runDir, RUN_FILES.spec), spec);
    return runDir;
  }

  /**
   * Moves a corrupt run directory to `<root>/quarantine/<runId>.<time>/` (kept for inspection, never read by the
   * store again) and returns the new path.
   */
  quarantine(runId: string, reason: string): string {
    const target = path.join(this.root, STORE_FILES.quarantine, `${runId}.${new Date().toISOString().replace(/[:.]/g, "-")}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(this.runDir(runId), target);
    fs.writeFileSync(path.join(target, "QUARANTINED.txt"), `quarantined at ${new Date().toISOString()}: ${reason}\n`);
    return target;
  }

  /** Ids of the run directories present (whatever their state). */
  listRunIds(): string[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== STORE_FILES.quarantine && entry.name !== STORE_FILES.prepared && !entry.name.startsWith("."))
      .map((entry) => entry.name)
      .sort();
  }

  /** The spec of a run; throws when missing or unreadable. */
  readSpec(runId: string): RunSpec {
    return JSON.parse(fs.readFileSync(path.join(this.runDir(runId), RUN_FILES.spec), "utf8")) as RunSpec;
  }

  /** Summary of a complete run; throws unless its results verify against the completion marker. */
  readSummary(runId: string): RunSummary {
    this.requireResults(runId);
    return readSummary(this.runDir(runId));
  }

  /** Per-checkpoint evaluations of a complete run; throws unless its results verify against the completion marker. */
  readEvaluations(runId: string): CheckpointEvaluation[] {
    this.requireResults(runId);
    return readEvaluations(this.runDir(runId));
  }

  /** The last `lines` lines of a run's worker log ("" when there is none). */
  logTail(runId: string, lines = 20): string {
    const file = path.join(this.runDir(runId), RUN_FILES.workerLog);
    if (!fs.existsSync(file)) return "";
    const text = fs.readFileSync(file, "utf8").trimEnd();
    return text.split("\n").slice(-lines).join("\n");
  }

  private requireResults(runId: string): void {
    if (!this.resultsVerify(runId)) {
      const inspection = this.inspect(runId);
      throw new Error(`RunStore: run ${runId} is ${inspection.state} (${inspection.reason ?? "no directory"}); run the study to (re)make it.`);
    }
  }

  private specProblem(runId: string): string | undefined {
    let spec: RunSpec;
    try {
      spec = this.readSpec(runId);
    } catch {
      return `${RUN_FILES.spec} is missing or not valid JSON`;
    }
    if (spec.runId !== runId) return `${RUN_FILES.spec} is for run ${JSON.stringify(spec.runId)}`;
    if (runIdOf(spec) !== runId) return `${RUN_FILES.spec} does not hash to its run id (edited after the run?)`;
    return undefined;
  }
}
