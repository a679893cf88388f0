import * as fs from "node:fs";
import * as path from "node:path";
import { processAlive } from "./run-study";
import { RunStore, STORE_FILES, type RunState } from "./run-store";
import { formatProgress, type StudyProgress } from "./study-progress";

export interface StudyStatus {
  out: string;
  studyName?: string;
  total: number;
  /** Run ids by state (complete runs verified against their completion markers). */
  runs: Record<RunState, string[]>;
  /** The last progress a runner wrote, and whether that runner is still alive. */
  progress?: StudyProgress;
  runnerAlive: boolean;
}

/**
 * What a study's store holds now: each grid run checked (complete, incomplete, corrupt, absent) and the
 * runner's last progress. Reads only; safe while a runner works.
 *
 * @example formatStudyStatus(studyStatus("runs/smoke"))
 */
export function studyStatus(out: string): StudyStatus {
  const store = new RunStore(out);
  const studyFile = path.join(store.root, STORE_FILES.study);
  const runs: Record<RunState, string[]> = { complete: [], incomplete: [], corrupt: [], absent: [] };
  if (!fs.existsSync(studyFile)) return { out: store.root, total: 0, runs, runnerAlive: false };
  const study = JSON.parse(fs.readFileSync(studyFile, "utf8")) as { config: { name: string }; runIds: string[] };
  for (const runId of study.runIds) runs[store.inspect(runId).state].push(runId);
  const progressFile = path.join(store.root, STORE_FILES.progress);
  const progress = fs.existsSync(progressFile) ? (JSON.parse(fs.readFileSync(progressFile, "utf8")) as StudyProgress) : undefined;
  const runnerAlive = progress !== undefined && progress.runnerPid !== process.pid && processAlive(progress.runnerPid);
  return { out: store.root, studyName: study.config.name, total: study.runIds.length, runs, progress, runnerAlive };
}

/** Several lines for a terminal. */
export function formatStudyStatus(status: StudyStatus): string {
  if (status.total === 0) return `no study in ${status.out} yet (no ${STORE_FILES.study}).`;
  const lines = [
    `study ${status.studyName} in ${status.out}: ${status.runs.complete.length}/${status.total} complete, ` +
      `${status.runs.incomplete.length} incomplete, ${status.runs.corrupt.length} corrupt, ${status.runs.absent.length} not started`,
  ];
  if (status.progress) {
    lines.push(`${status.runnerAlive ? "runner running" : "no runner alive"}; last progress (${status.progress.updatedAt}): ${formatProgress(status.progress)}`);
    for (const runId of status.progress.failedRunIds) lines.push(`  failed: ${runId}`);
  }
  for (const runId of status.runs.corrupt) lines.push(`  corrupt: ${runId} (re-run by the next study command)`);
  return lines.join("\n");
}
