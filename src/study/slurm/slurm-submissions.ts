import * as fs from "node:fs";
import * as path from "node:path";

/** The Slurm executor's folder inside a run store (dot-named, so the store never takes it for a run). */
export const SLURM_STORE_FOLDER = ".slurm";

/** Where the executor keeps its scripts, Slurm's task output and the submission record. */
export function slurmStorePaths(storeRoot: string): { folder: string; scripts: string; logs: string; submissions: string } {
  const folder = path.join(path.resolve(storeRoot), SLURM_STORE_FOLDER);
  return {
    folder,
    scripts: path.join(folder, "scripts"),
    logs: path.join(folder, "logs"),
    submissions: path.join(folder, "submissions.jsonl"),
  };
}

/** One `sbatch` of a job array: task i runs `runIds[i]`. */
export interface SlurmSubmission {
  jobId: string;
  submittedAt: string;
  script: string;
  runIds: string[];
}

/** Appends one submission to `<store>/.slurm/submissions.jsonl` (one JSON line, written with a single append). */
export function recordSubmission(storeRoot: string, submission: SlurmSubmission): void {
  const file = slurmStorePaths(storeRoot).submissions;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(submission)}\n`);
}

/** Every submission recorded in the store, oldest first; a torn last line (a crash mid-append) is skipped. */
export function readSubmissions(storeRoot: string): SlurmSubmission[] {
  const file = slurmStorePaths(storeRoot).submissions;
  if (!fs.existsSync(file)) return [];
  const submissions: SlurmSubmission[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      submissions.push(JSON.parse(line) as SlurmSubmission);
    } catch {
      // a line cut short by a crash: that submission's tasks are simply not followed
    }
  }
  return submissions;
}

/**
 * The latest Slurm task of each run (`"<jobId>_<index>"`), from the submission record.
 * @example latestTaskByRun("runs/smoke").get("0.1M-listwise-1024p-seed1-3f9a0c1d2e") // "12_4"
 */
export function latestTaskByRun(storeRoot: string): Map<string, string> {
  const latest = new Map<string, string>();
  for (const submission of readSubmissions(storeRoot)) {
    submission.runIds.forEach((runId, index) => latest.set(runId, `${submission.jobId}_${index}`));
  }
  return latest;
}
