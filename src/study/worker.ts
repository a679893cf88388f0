/**
 * The study's worker process: `node --import tsx src/study/worker.ts <runDir>` trains and measures the run whose
 * spec.json is in <runDir> (see `executeTrainingRun`) and writes its results there. Started by the executor.
 */
import { executeTrainingRun } from "./execute-training-run";
import { runWorker } from "./run-worker";

runWorker(executeTrainingRun);
