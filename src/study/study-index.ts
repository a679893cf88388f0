import * as path from "node:path";
import { writeJsonAtomic } from "./atomic-write";
import type { RunSummary } from "./run-result";
import type { RunSpec } from "./run-spec";
import { RunStore, STORE_FILES } from "./run-store";

/** One complete run in the study index: its grid coordinates and what it reported about itself (summary.json). */
export type StudyIndexEntry = Pick<RunSpec, "runId" | "preset" | "objective" | "budgetPairs" | "seed"> &
  Omit<RunSummary, "runId" | "details">;

export interface StudyIndex {
  studyName?: string;
  updatedAt: string;
  /** Runs in the grid. */
  total: number;
  /** Complete runs only, in grid order. */
  runs: StudyIndexEntry[];
}

/**
 * Writes `<store>/index.json`: the complete runs among `specs` (their results checked against their completion
 * markers; incomplete and corrupt runs are left out). The index is a convenience for readers; `loadStudy` checks
 * each run's files again before it uses them.
 */
export function writeStudyIndex(store: RunStore, specs: readonly RunSpec[], studyName?: string): StudyIndex {
  const runs: StudyIndexEntry[] = [];
  for (const spec of specs) {
    if (!store.resultsVerify(spec.runId)) continue;
    const { runId: _summaryRunId, details: _details, ...summary } = store.readSummary(spec.runId);
    const { runId, preset, objective, budgetPairs, seed } = spec;
    runs.push({ runId, preset, objective, budgetPairs, seed, ...summary });
  }
  const index: StudyIndex = { studyName, updatedAt: new Date().toISOString(), total: specs.length, runs };
  writeJsonAtomic(path.join(store.root, STORE_FILES.index), index);
  return index;
}
