/**
 * WikiQA reranking benchmark: trains one preset on WikiQA train (dev-split selection) and prints one JSON line
 * with test MAP/MRR/nDCG@10 against document order, BM25 and a random order over the same candidates.
 *   npm run bench:wikiqa -- --preset 0.4M --objective listwise --steps 300 --batch 16 --lr 1e-3 --group 8 --len 96
 */
import { selectBackend } from "../../src/model";
import { wikiqaExperiment, type WikiqaExperimentOptions } from "../train/wikiqa-experiment";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

(async () => {
  const backend = await selectBackend();
  const options: WikiqaExperimentOptions = {
    preset: argument("preset", "0.1M") as WikiqaExperimentOptions["preset"],
    objective: argument("objective", "listwise") as WikiqaExperimentOptions["objective"],
    steps: Number(argument("steps", "100")),
    batch: Number(argument("batch", "16")),
    lr: Number(argument("lr", "1e-3")),
    groupSize: Number(argument("group", "4")),
    maxLength: Number(argument("len", "64")),
    evalEvery: Number(argument("eval-every", "25")),
    seed: Number(argument("seed", "1")),
    checkpointDir: process.argv.includes("--out") ? argument("out", "") : undefined,
    progress: true,
  };
  const started = Date.now();
  const result = await wikiqaExperiment(options);
  const { run, ...rest } = result;
  console.log(JSON.stringify({
    ...rest, backend: backend.name, wallSeconds: (Date.now() - started) / 1000,
    trainPairsPerSecond: run.pairsPerSecond, best: run.best,
    devCurve: run.checkpoints.map((checkpoint) => ({ step: checkpoint.step, pairsSeen: checkpoint.pairsSeen, trainLoss: checkpoint.trainLoss, dev: checkpoint.dev })),
  }));
})();
