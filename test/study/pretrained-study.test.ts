/**
 * A study that fine-tunes from its own MLM-pretrained ladder (`pretraining.ownLadder`), with the real training
 * worker on real data (SciFact) at smoke size: the runner pretrains each preset once before the runs start (and a
 * second study reuses the cached ladder), every run starts from its preset's pretrained encoder and reads text with
 * the ladder's vocabulary, and the pretraining compute is recorded apart from the fine-tuning FLOPs.
 * With `encoderLearningRate: 0` only the scoring head trains, so the selected checkpoint's encoder weights must equal
 * the ladder's, which proves the runs really started from it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { readBertCheckpoint } from "../../src/model/bert-checkpoint";
import { stagedDatasetsDir } from "../../src/paths";
import { readCheckpoint } from "../../src/train/checkpoint";
import { RUN_DIRECTORY_FILES } from "../../src/train/run-directory";
import { expandGrid } from "../../src/study/expand-grid";
import { LocalProcessExecutor } from "../../src/study/local-process-executor";
import { RUN_FILES } from "../../src/study/run-result";
import { runStudy, type StudyEvent } from "../../src/study/run-study";
import { studyLadderRoot } from "../../src/study/study-ladder";
import { validateStudyConfig } from "../../src/study/validate-study-config";
import { smokeConfig, temporaryFolder } from "./study-fixtures";

const skip = stagedDatasetsDir() === undefined ? "needs the staged datasets (../shared/datasets or RERANK_DATASETS)" : false;
const root = temporaryFolder("pretrained-study");
// The ladder is cached under RERANK_CACHE: a folder of this test's own, so the first study really pretrains.
process.env.RERANK_CACHE = path.join(root, "cache");

const config = validateStudyConfig(
  smokeConfig({
    name: "smoke-pretrained",
    presets: ["smoke-3k", "smoke-13k"],
    objectives: ["listwise"],
    pretraining: { ownLadder: { datasets: ["scifact"], steps: 4, batchSize: 4, vocabSize: 600, maxDocumentsPerDataset: 80 }, encoderLearningRate: 0 },
  }),
);

test("a study fine-tunes from its own pretrained ladder: built once before the runs, loaded by every run, its compute recorded apart", { timeout: 600_000, skip }, async () => {
  const specs = expandGrid(config);
  assert.equal(specs.length, 2);
  const events: StudyEvent[] = [];
  const out = path.join(root, "first");
  const outcome = await runStudy(config, { out, executor: new LocalProcessExecutor({ slots: 2 }), onEvent: (event) => events.push(event), pretrainingProgress: false });
  assert.deepEqual(outcome.failed, [], JSON.stringify(outcome.failed));
  assert.equal(outcome.complete.length, 2);

  // The runner pretrained both presets before the first run started.
  const pretrained = events.filter((event) => event.type === "pretrained");
  assert.deepEqual(pretrained.map((event) => event.type === "pretrained" && event.preset), ["smoke-3k", "smoke-13k"]);
  assert.ok(events.findIndex((event) => event.type === "pretrained") < events.findIndex((event) => event.type === "run-started"));
  const ladderRoot = studyLadderRoot(config.pretraining!, config.training.maxSeqLen);
  assert.ok(ladderRoot.startsWith(process.env.RERANK_CACHE!));
  const ladderVocabulary = fs.readFileSync(path.join(ladderRoot, "vocab.txt"), "utf8").trim().split("\n");
  assert.ok(ladderVocabulary.length <= 600);

  for (const spec of specs) {
    const runDir = path.join(out, spec.runId);
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.summary), "utf8"));
    const pretraining = summary.details.pretraining;
    assert.equal(pretraining.encoder, path.join(ladderRoot, spec.preset));
    assert.equal(pretraining.mlmSteps, 4);
    assert.equal(pretraining.mlmBackend, summary.backend, "the runner pretrains on the backend a worker picks (wasm here), not tfjs's pure-JS cpu default");
    assert.ok(pretraining.pretrainingFlops > 0, "pretraining FLOPs recorded");
    assert.equal(summary.details.vocabSize, ladderVocabulary.length, "the run reads text with the ladder's vocabulary");
    // encoderLearningRate 0: the selected checkpoint's encoder is the ladder's, weight for weight.
    const ladder = readBertCheckpoint(pretraining.encoder);
    const best = readCheckpoint(path.join(runDir, RUN_FILES.training, RUN_DIRECTORY_FILES.checkpoints, RUN_DIRECTORY_FILES.bestCheckpoint));
    const weights = new Map(best.tensors.weights!.map((tensor) => [tensor.name, tensor.values]));
    const compared = ["embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.output.LayerNorm.weight"];
    for (const name of compared) {
      const fromLadder = ladder.weights.get(name);
      assert.ok(fromLadder, `the ladder has ${name}`);
      // Hugging Face stores a dense kernel as [out, in]; the cross-encoder keeps [in, out].
      const expected = name.endsWith("query.weight") ? transposed(fromLadder!.values, fromLadder!.shape) : fromLadder!.values;
      assert.deepEqual(Array.from(weights.get(name)!), Array.from(expected), `${spec.runId}: ${name} is the ladder's`);
    }
  }

  // A second study asking for the same ladder reuses it: no pretraining again (its record's wall time is unchanged).
  const wallBefore = JSON.parse(fs.readFileSync(path.join(ladderRoot, "smoke-3k", "pretraining.json"), "utf8")).wallSeconds;
  const again: StudyEvent[] = [];
  await runStudy({ ...config, name: "smoke-pretrained-again" }, { out: path.join(root, "second"), executor: new LocalProcessExecutor({ slots: 2 }), onEvent: (event) => again.push(event), pretrainingProgress: false });
  assert.equal(JSON.parse(fs.readFileSync(path.join(ladderRoot, "smoke-3k", "pretraining.json"), "utf8")).wallSeconds, wallBefore);
  assert.equal(again.filter((event) => event.type === "pretrained").length, 2);
});

test("Ctrl-C while the ladder pretrains: pretraining stops at its next step with a checkpoint, no run is submitted, nothing counts as failed", { timeout: 300_000, skip }, async () => {
  const endless = { ...config, name: "smoke-pretrained-stopped", pretraining: { ownLadder: { ...config.pretraining!.ownLadder, steps: 1_000_000 } } };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3000);
  const events: StudyEvent[] = [];
  const startedAt = Date.now();
  const outcome = await runStudy(endless, { out: path.join(root, "stopped"), executor: new LocalProcessExecutor({ slots: 2 }), signal: abort.signal, onEvent: (event) => events.push(event), pretrainingProgress: false });
  clearTimeout(timer);
  assert.ok(Date.now() - startedAt < 60_000, "stopped promptly");
  assert.deepEqual(outcome.failed, []);
  assert.deepEqual(outcome.complete, []);
  assert.equal(events.filter((event) => event.type === "run-started" || event.type === "pretrained").length, 0);
  const progress = JSON.parse(fs.readFileSync(path.join(root, "stopped", "progress.json"), "utf8"));
  assert.equal(progress.cancelled, 2);
  const checkpoints = path.join(studyLadderRoot(endless.pretraining, config.training.maxSeqLen), "smoke-3k", "checkpoints");
  assert.ok(fs.readdirSync(checkpoints).length > 0, "the stopped preset kept a checkpoint to resume from");
});

function transposed(values: Float32Array, [rows, columns]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let row = 0; row < rows!; row++) for (let column = 0; column < columns!; column++) out[column * rows! + row] = values[row * columns! + column]!;
  return out;
}

test("pretraining settings are validated by name", () => {
  assert.throws(() => validateStudyConfig(smokeConfig({ pretraining: { ownLadder: { datasets: ["scifact"], steps: -1 } } })), /pretraining\.ownLadder\.steps must be an integer >= 0; got -1/);
  // 0 steps: the ladder's BERTs untrained, the control for what pretraining adds.
  assert.equal(validateStudyConfig(smokeConfig({ pretraining: { ownLadder: { datasets: ["scifact"], steps: 0 } } })).pretraining!.ownLadder.steps, 0);
  assert.throws(
    () => validateStudyConfig(smokeConfig({ pretraining: { ownLadder: { datasets: ["scifact"], steps: 10, stepz: 3 } } as never })),
    /pretraining\.ownLadder\.stepz is not a known field \(did you mean pretraining\.ownLadder\.steps\?\)/,
  );
  assert.throws(
    () => validateStudyConfig(smokeConfig({ pretraining: { ownLadder: { datasets: ["nope"], steps: 10 } } }), { datasets: ["scifact", "nfcorpus"] }),
    /pretraining\.ownLadder\.datasets\[0\] must be one of scifact, nfcorpus; got "nope"/,
  );
  // Runs trained from scratch keep their ids: the spec carries no pretraining field at all.
  assert.ok(expandGrid(smokeConfig()).every((spec) => !("pretraining" in spec)));
});
