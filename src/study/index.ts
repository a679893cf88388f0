/**
 * The study: experiment grids, a resumable parallel runner over worker processes, and the run store.
 * `import { study } from "./src"; const df = study.load("runs/smoke");`
 */
export { canonicalJson, canonicalHash } from "./canonical-json";
export { writeFileAtomic, writeJsonAtomic } from "./atomic-write";
export * from "./study-config";
export { defaultStudyConfig } from "./default-study-config";
export { validateStudyConfig, type StudyConfigRegistries } from "./validate-study-config";
export { loadStudyConfig, mergeFields, type LoadStudyConfigOptions } from "./load-study-config";
export { runIdOf, type RunSpec } from "./run-spec";
export { expandGrid, checkpointSchedule, presetShape } from "./expand-grid";
export { RUN_FILES, writeRunResults, readEvaluations, readSummary, type RunSummary, type CheckpointEvaluation, type RunResults } from "./run-result";
export { writeCompletionMarker, verifyCompletionMarker, type CompletionMarker } from "./completion-marker";
export { RunStore, STORE_FILES, type RunState, type RunInspection } from "./run-store";
export type { Executor, RunJob, RunHandle, RunOutcome } from "./executor";
export { LocalProcessExecutor, DEFAULT_WORKER_SCRIPT, type LocalProcessExecutorOptions } from "./local-process-executor";
export { runWorker, type ExecuteRun } from "./run-worker";
export { estimateRunCost } from "./estimate-run-cost";
export { runStudy, type RunStudyOptions, type StudyOutcome, type StudyEvent, type FailedRun } from "./run-study";
export { formatProgress, formatSeconds, type StudyProgress } from "./study-progress";
export { writeStudyIndex, type StudyIndex, type StudyIndexEntry } from "./study-index";
export { studyStatus, formatStudyStatus, type StudyStatus } from "./study-status";
export { studyRegistries } from "./study-registries";
export { load, loadStudyRows, type StudyRow, type LoadedStudy } from "./load-study";
export { fitSizeLaws, type StudySizeFit } from "./fit-size-laws";
export { prepareStudyData, evaluationQueryIds, DEV_SPLIT_SEED, type StudyData } from "./prepare-study-data";
export { evaluateStudyMetrics, checkStudyMetric, CONTRASTIVE_ENTROPY_SEED } from "./evaluate-study-metrics";
export { executeTrainingRun, groupSizeOf } from "./execute-training-run";
export { loadTrainingCurves, type StudyTrainingCurve } from "./load-training-curves";
export { prepareStudyLadder, loadStudyLadderEncoder, studyLadderRoot, type StudyLadderEncoder } from "./study-ladder";
export { SlurmExecutor, type SlurmExecutorOptions, checkSlurmSubmission, slurmStatusLines, type SlurmResources } from "./slurm";
