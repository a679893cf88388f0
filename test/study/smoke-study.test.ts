/**
 * The headline checks with the real training worker (src/study/worker.ts) on real data (SciFact train,
 * SciFact and NFCorpus test from ../shared/datasets), at smoke scale (12 runs of tiny presets):
 * 1. `rerank-scaling study --scale smoke` runs end to end: every run finishes, the store indexes them, study.load
 *    returns the table, and the model-size fits are finite;
 * 2. SIGKILL of the runner mid-study, then the same command: the study finishes with the same results (float
 *    tolerance 1e-9: a resumed run replays the same wasm kernels from a verified checkpoint) and no run that had
 *    finished is started again.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../../src/paths";
import { expandGrid } from "../../src/study/expand-grid";
import { load, loadStudyRows } from "../../src/study/load-study";
import type { CheckpointEvaluation } from "../../src/study/run-result";
import { RUN_FILES } from "../../src/study/run-result";
import { RunStore, STORE_FILES } from "../../src/study/run-store";
import type { StudySizeFit } from "../../src/study/fit-size-laws";
import { loadTrainingCurves } from "../../src/study/load-training-curves";
import { stagedDatasetsDir } from "../../src/paths";
import { smokeConfig, temporaryFolder, workersWritingInto } from "./study-fixtures";

const specs = expandGrid(smokeConfig());
const root = temporaryFolder("smoke-study");
const referenceOut = path.join(root, "reference");
/** Float tolerance when comparing a resumed study with an uninterrupted one. */
const RESUME_TOLERANCE = 1e-9;
/** These tests read the staged datasets in place; without them (and without the internet) they cannot run. */
const skip = stagedDatasetsDir() === undefined ? "needs the staged datasets (../shared/datasets or RERANK_DATASETS)" : false;

function studyCommand(out: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "study", "--scale", "smoke", "--out", out, "--jobs", "2"], {
    cwd: PROJECT_ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function finish(child: ReturnType<typeof spawn>): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
  return { code, output };
}

function readEvaluations(out: string, runId: string): CheckpointEvaluation[] {
  return fs.readFileSync(path.join(out, runId, RUN_FILES.evaluations), "utf8").trim().split("\n").map((line) => JSON.parse(line) as CheckpointEvaluation);
}

test("the smoke study runs end to end: every run finishes, the store indexes them, the fits are finite", { timeout: 600_000, skip }, async () => {
  const { code, output } = await finish(studyCommand(referenceOut));
  assert.equal(code, 0, output);
  assert.match(output, new RegExp(`${specs.length}/${specs.length} runs complete`));
  const store = new RunStore(referenceOut);
  for (const spec of specs) assert.equal(store.inspect(spec.runId).state, "complete", spec.runId);
  const index = JSON.parse(fs.readFileSync(path.join(referenceOut, STORE_FILES.index), "utf8"));
  assert.equal(index.runs.length, specs.length);
  assert.deepEqual(new Set(index.runs.map((run: { backend: string }) => run.backend)), new Set(["wasm"]));

  const frame = load(referenceOut);
  const { rows } = loadStudyRows(referenceOut);
  assert.equal(frame.shape[0], rows.length);
  // Dev: one row per checkpoint (4, linear schedule); each evaluation set: one row per run.
  assert.equal(rows.filter((row) => row.evalSet === "dev").length, specs.length * 4);
  for (const set of ["scifact-test", "nfcorpus-test"]) {
    const finals = rows.filter((row) => row.evalSet === set);
    assert.equal(finals.length, specs.length);
    for (const row of finals) {
      assert.equal(row.queries, 40);
      for (const metric of smokeConfig().metrics) assert.ok(Number.isFinite(row[metric]), `${row.runId} ${set} ${metric}`);
      assert.ok((row["ndcg@10"] as number) > 0 && (row["ndcg@10"] as number) <= 1);
    }
  }
  const nonEmbedding = [...new Set(rows.map((row) => row.nonEmbeddingParams))].sort((a, b) => a - b);
  // Exact counts from src/model countParameters: 1 layer d8, 1 layer d16, 1 layer d32, 2 layers d48 (ffn 4d).
  assert.deepEqual(nonEmbedding, [897, 3329, 12801, 56689]);

  const curves = loadTrainingCurves(referenceOut, (run) => run.objective === "listwise");
  assert.equal(curves.length, 4);
  for (const curve of curves) {
    assert.deepEqual(curve.checkpoints.map((checkpoint) => checkpoint.pairsSeen), [128, 256, 384, 512]);
    for (const checkpoint of curve.checkpoints) assert.ok(Number.isFinite(checkpoint.dev?.["ndcg@10"]) && Number.isFinite(checkpoint.trainLoss));
  }

  const fits = JSON.parse(fs.readFileSync(path.join(referenceOut, STORE_FILES.fits), "utf8")) as StudySizeFit[];
  // 3 objectives × 2 evaluation sets × 5 metrics, each over the 4 presets.
  assert.equal(fits.length, 3 * 2 * smokeConfig().metrics.length);
  for (const fitted of fits) {
    assert.equal(fitted.points, 4);
    assert.ok(fitted.params, `${fitted.objective} ${fitted.evalSet} ${fitted.metric}: ${fitted.error}`);
    for (const [name, value] of Object.entries(fitted.params!)) assert.ok(Number.isFinite(value), `${fitted.metric} ${name} = ${value}`);
    assert.ok(Number.isFinite(fitted.r2));
  }
});

test("SIGKILL of the real runner mid-study, then the same command: same results, finished runs not started again", { timeout: 600_000, skip }, async () => {
  const out = path.join(root, "killed");
  const runner = studyCommand(out);
  const exited = finish(runner);
  const completeNow = (): string[] => specs.filter((spec) => fs.existsSync(path.join(out, spec.runId, RUN_FILES.complete))).map((spec) => spec.runId);
  const deadline = Date.now() + 300_000;
  while (completeNow().length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  runner.kill("SIGKILL");
  await exited;
  // The killed runner's workers notice and exit (one may finish its run first: then that run is complete).
  const orphanDeadline = Date.now() + 60_000;
  while (workersWritingInto(out).length > 0 && Date.now() < orphanDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(workersWritingInto(out), [], "no worker outlives its runner");
  const completeAtKill = completeNow();
  assert.ok(completeAtKill.length >= 4 && completeAtKill.length < specs.length, `killed mid-study (${completeAtKill.length} complete)`);

  const { code, output } = await finish(studyCommand(out));
  assert.equal(code, 0, output);
  assert.match(output, new RegExp(`${specs.length} runs: ${completeAtKill.length} already complete`));
  for (const runId of completeAtKill) {
    const log = fs.readFileSync(path.join(out, runId, RUN_FILES.workerLog), "utf8");
    assert.equal(log.match(/^== worker start/gm)?.length, 1, `${runId} was started once`);
  }
  for (const spec of specs) {
    const resumed = readEvaluations(out, spec.runId);
    const reference = readEvaluations(referenceOut, spec.runId);
    assert.equal(resumed.length, reference.length, spec.runId);
    resumed.forEach((evaluation, index) => {
      const expected = reference[index]!;
      assert.deepEqual([evaluation.evalSet, evaluation.step, evaluation.pairsSeen], [expected.evalSet, expected.step, expected.pairsSeen]);
      for (const [metric, value] of Object.entries(expected.means)) {
        assert.ok(Math.abs(evaluation.means[metric]! - value) <= RESUME_TOLERANCE, `${spec.runId} ${expected.evalSet} step ${expected.step} ${metric}: ${evaluation.means[metric]} vs ${value}`);
      }
    });
  }
});
