import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, test } from "node:test";
import { crossEncoder, selectBackend } from "../../src/model";
import { listCheckpoints, readCheckpoint } from "../../src/train/checkpoint";
import { RUN_DIRECTORY_FILES, readJsonLines, type CheckpointMetrics } from "../../src/train/run-directory";
import { scoreCandidates } from "../../src/train/score-candidates";
import { evaluateWithTrecMeasures, train } from "../../src/train/train";
import type { RankingObjective } from "../../src/train/ranking-loss";
import { CHILD_EVAL_EVERY, trainChild, trainChildUntilKilled } from "./fixtures/train-synthetic-child";
import { SYNTHETIC_SEQ_LEN, SYNTHETIC_VOCAB_SIZE, encodeSynthetic, syntheticCandidates, syntheticGroups } from "./synthetic-task";

before(async () => {
  await selectBackend({ prefer: "wasm" });
});

const tinyModel = () =>
  crossEncoder.create({ layers: 1, hidden: 16, heads: 2, vocabSize: SYNTHETIC_VOCAB_SIZE, maxLen: SYNTHETIC_SEQ_LEN, exactMatch: true, seed: 1 });

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "rerank-train-"));
}

const GROUP_SIZE: Record<RankingObjective, number> = { pointwise: 1, pairwise: 2, listwise: 4, lambda: 4 };

for (const objective of ["pointwise", "pairwise", "listwise", "lambda"] as const) {
  test(`${objective}: training on the synthetic task lowers the training loss and raises dev nDCG@10`, async () => {
    const model = tinyModel();
    const dev = syntheticCandidates(40, 2);
    const untrained = evaluateWithTrecMeasures(await scoreCandidates(model, dev, { encode: encodeSynthetic }), dev.qrels!, ["ndcg@10"], { relevanceThreshold: 1 });
    const groups = syntheticGroups(400, Math.max(2, GROUP_SIZE[objective]), 1);
    const examples = objective === "pointwise"
      ? groups.flatMap((group) => group.passages.map((passage, index) => ({ query: group.query, passages: [passage], labels: [group.labels[index]!] })))
      : groups;
    const run = await train(model, examples, {
      objective, steps: 40, batch: 16, lr: 3e-3, warmup: 0.1, evalEvery: 10, evalOn: dev, encode: encodeSynthetic, progress: false,
    });
    const first = run.checkpoints[0]!;
    const last = run.checkpoints[run.checkpoints.length - 1]!;
    assert.equal(run.checkpoints.length, 4);
    assert.ok(last.trainLoss < 0.8 * first.trainLoss, `train loss ${first.trainLoss} → ${last.trainLoss}`);
    // An untrained model ranks at random (nDCG@10 ≈ 0.4 with one relevant of 10); the task is learnable to ≈ 1.
    assert.ok(untrained.means["ndcg@10"]! < 0.7, `untrained nDCG@10 ${untrained.means["ndcg@10"]}`);
    assert.ok(last.dev!["ndcg@10"]! > 0.9, `dev nDCG@10 ${untrained.means["ndcg@10"]} → ${last.dev!["ndcg@10"]}`);
    assert.equal(last.pairsSeen, 40 * 16 * GROUP_SIZE[objective]);
    assert.ok(last.trainingFlops! > 0);
    model.dispose();
  });
}

test("the same seed gives bit-identical weights; the run directory has config, checkpoints, metrics, log, summary", async () => {
  const runDir = temporaryFolder();
  const options = { objective: "pairwise" as const, steps: 12, batch: 8, lr: 1e-3, evalEvery: 6, evalOn: syntheticCandidates(10, 3), encode: encodeSynthetic, progress: false };
  const modelA = tinyModel();
  await train(modelA, syntheticGroups(50, 2, 4), { ...options, checkpointDir: runDir });
  const modelB = tinyModel();
  await train(modelB, syntheticGroups(50, 2, 4), options);
  assert.deepEqual(modelA.getWeights(), modelB.getWeights());
  assert.deepEqual(fs.readdirSync(runDir).sort(), ["checkpoints", "config.json", "log.jsonl", "metrics.jsonl", "summary.json"]);
  assert.deepEqual(fs.readdirSync(path.join(runDir, "checkpoints")).sort(), ["best.ckpt", "step-00000006.ckpt", "step-00000012.ckpt"]);
  const metrics = readJsonLines<CheckpointMetrics>(path.join(runDir, RUN_DIRECTORY_FILES.metrics));
  assert.deepEqual(metrics.map((line) => [line.step, line.pairsSeen]), [[6, 96], [12, 192]]);
  assert.equal(Object.keys(metrics[0]!.devPerQuery!["ndcg@10"]!).length, 10);
  const lastCheckpoint = readCheckpoint<{ modelConfig: { hidden: number }; order: { epoch: number; offset: number } }>(path.join(runDir, "checkpoints", "step-00000012.ckpt"));
  assert.equal(lastCheckpoint.state.modelConfig.hidden, 16, "the checkpoint carries the model config");
  assert.deepEqual([lastCheckpoint.state.order.epoch, lastCheckpoint.state.order.offset], [1, 46], "data position: 96 examples drawn from 50");
  const config = JSON.parse(fs.readFileSync(path.join(runDir, "config.json"), "utf8"));
  assert.equal(config.train.objective, "pairwise");
  assert.equal(config.model.hidden, 16);
  // Called again on the finished run directory, train resumes at the end and changes nothing.
  const modelC = tinyModel();
  const again = await train(modelC, syntheticGroups(50, 2, 4), { ...options, checkpointDir: runDir });
  assert.equal(again.resumedFromStep, 12);
  assert.deepEqual(modelC.getWeights(), modelA.getWeights());
  // Another config in the same directory is refused, naming the difference.
  await assert.rejects(
    train(tinyModel(), syntheticGroups(50, 2, 4), { ...options, lr: 2e-3, checkpointDir: runDir }),
    /another config \(lr: 0.001 → 0.002\)/,
  );
  for (const model of [modelA, modelB, modelC]) model.dispose();
});

function finalWeights(runDir: string, steps: number): Float32Array[] {
  const file = listCheckpoints(path.join(runDir, "checkpoints")).find((entry) => entry.step === steps)!.filePath;
  return readCheckpoint(file).tensors.weights!.map((tensor) => tensor.values);
}

test("kill -9 mid-run, then resume (newest checkpoint half-written): same final weights as an uninterrupted run", async (t) => {
  const steps = 400;
  const uninterruptedDir = temporaryFolder();
  await trainChild(uninterruptedDir, steps);

  const killedDir = temporaryFolder();
  const signal = await trainChildUntilKilled(killedDir, steps, 10 * CHILD_EVAL_EVERY);
  assert.equal(signal, "SIGKILL");
  const checkpointsDir = path.join(killedDir, "checkpoints");
  const survivors = listCheckpoints(checkpointsDir);
  assert.ok(survivors[0]!.step < steps, `killed before the end (newest checkpoint ${survivors[0]!.step})`);
  // Simulate a kill during the newest checkpoint's write: it must be detected and skipped.
  const newest = survivors[0]!;
  const bytes = fs.readFileSync(newest.filePath);
  fs.writeFileSync(newest.filePath, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  let resumed;
  try {
    resumed = await trainChild(killedDir, steps);
  } finally {
    console.warn = originalWarn;
  }
  assert.equal(resumed.resumedFromStep, survivors[1]!.step);
  t.diagnostic(`killed with newest checkpoint at step ${newest.step}; resumed from step ${resumed.resumedFromStep}`);
  assert.ok(warnings.some((message) => message.includes("not a complete checkpoint")));

  const expected = finalWeights(uninterruptedDir, steps);
  const actual = finalWeights(killedDir, steps);
  // Same backend (wasm), same ops in the same order: bit-identical in practice; float tolerance 1e-6 as stated.
  expected.forEach((values, index) => {
    const maxDifference = values.reduce((max, value, i) => Math.max(max, Math.abs(value - actual[index]![i]!)), 0);
    assert.ok(maxDifference <= 1e-6, `weight ${index}: max difference ${maxDifference}`);
  });
  const metricSteps = readJsonLines<CheckpointMetrics>(path.join(killedDir, "metrics.jsonl")).map((line) => line.step);
  assert.deepEqual(metricSteps, Array.from({ length: steps / CHILD_EVAL_EVERY }, (_, i) => (i + 1) * CHILD_EVAL_EVERY), "each checkpoint measured once");
});

test("resume: false starts over in the same directory and leaves no checkpoint of the earlier attempt", async () => {
  const runDir = temporaryFolder();
  const options = { objective: "pairwise" as const, steps: 4, batch: 4, lr: 1e-3, evalEvery: 2, encode: encodeSynthetic, progress: false, checkpointDir: runDir };
  const first = tinyModel();
  await train(first, syntheticGroups(20, 2, 4), options);
  const second = tinyModel();
  const again = await train(second, syntheticGroups(20, 2, 4), { ...options, steps: 2, resume: false });
  assert.equal(again.resumedFromStep, undefined);
  assert.deepEqual(listCheckpoints(path.join(runDir, "checkpoints")).map((entry) => entry.step), [2]);
  first.dispose();
  second.dispose();
});

test("encoderLr: 0 trains only the scoring head (classifier.*); config.json records it; a resume with another encoderLr is refused", async () => {
  const runDir = temporaryFolder();
  // Pointwise: a pairwise or listwise loss gives the classifier's bias no gradient (it cancels within a group).
  const options = { objective: "pointwise" as const, steps: 6, batch: 8, lr: 1e-2, encoderLr: 0, evalOn: syntheticCandidates(10, 3), encode: encodeSynthetic, progress: false };
  const model = tinyModel();
  const names = model.variableNames();
  const before = model.getWeights();
  await train(model, syntheticGroups(50, 2, 4), { ...options, checkpointDir: runDir });
  const after = model.getWeights();
  const head = names.flatMap((name, index) => (name.startsWith("classifier") ? [index] : []));
  assert.deepEqual(head.map((index) => names[index]).sort(), ["classifier.bias", "classifier.weight"]);
  names.forEach((name, index) => {
    if (head.includes(index)) assert.notDeepEqual(after[index], before[index], `${name} trained`);
    else assert.deepEqual(after[index], before[index], `${name} frozen`);
  });
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, "config.json"), "utf8")).train.encoderLr, 0);
  await assert.rejects(train(tinyModel(), syntheticGroups(50, 2, 4), { ...options, encoderLr: 1e-3, checkpointDir: runDir }), /another config \(encoderLr: 0 → 0.001\)/);
  await assert.rejects(train(tinyModel(), syntheticGroups(50, 2, 4), { ...options, encoderLr: -1 }), /encoderLr must be a number ≥ 0/);
  model.dispose();
});

test("evalAt checkpoints exactly at the listed steps (plus the last); bad steps are refused by value", async () => {
  const runDir = temporaryFolder();
  const options = { objective: "pairwise" as const, steps: 16, batch: 4, lr: 1e-3, evalAt: [8, 2, 4, 2], evalOn: syntheticCandidates(6, 3), encode: encodeSynthetic, progress: false, keepCheckpoints: 10 };
  const model = tinyModel();
  const run = await train(model, syntheticGroups(40, 2, 4), { ...options, checkpointDir: runDir });
  assert.deepEqual(run.checkpoints.map((checkpoint) => checkpoint.step), [2, 4, 8, 16], "log-spaced: 2, 4, 8 and the last");
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, "config.json"), "utf8")).train.evalAt, [2, 4, 8]);
  await assert.rejects(train(tinyModel(), syntheticGroups(40, 2, 4), { ...options, evalAt: [0, 4] }), /evalAt holds 0; each entry must be a step in 1\.\.16/);
  await assert.rejects(train(tinyModel(), syntheticGroups(40, 2, 4), { ...options, evalAt: [17] }), /evalAt holds 17/);
  model.dispose();
});
