/**
 * The runner's mechanics with real worker processes (the tests' tiny worker, see tiny-worker.ts): pool
 * concurrency and order, failure isolation, resume without redoing finished runs, corrupt-run detection, the
 * index and the DataFrame loader, and SIGKILL of the runner mid-study through the CLI.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../../src/paths";
import { expandGrid } from "../../src/study/expand-grid";
import { load, loadStudyRows } from "../../src/study/load-study";
import type { RunOutcome } from "../../src/study/executor";
import { LocalProcessExecutor } from "../../src/study/local-process-executor";
import { RUN_FILES } from "../../src/study/run-result";
import { runStudy } from "../../src/study/run-study";
import { RunStore, STORE_FILES } from "../../src/study/run-store";
import { studyStatus } from "../../src/study/study-status";
import { readTrace, smokeConfig, temporaryFolder, TINY_WORKER, workersWritingInto } from "./study-fixtures";

const config = smokeConfig();
const specs = expandGrid(config);
const root = temporaryFolder("run-study");
/** The reference store: the whole smoke grid run once, uninterrupted, 2 workers at once. */
const referenceOut = path.join(root, "reference");
const referenceTrace = path.join(root, "reference-trace");
fs.mkdirSync(referenceTrace);

function evaluationsText(out: string, runId: string): string {
  return fs.readFileSync(path.join(out, runId, RUN_FILES.evaluations), "utf8");
}

test("the pool runs 2 workers at once, never more, largest runs first, and every run completes", async () => {
  const executor = new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: referenceTrace, TINY_WORKER_SLEEP_MS: "100" } });
  const outcome = await runStudy(config, { out: referenceOut, executor });
  assert.equal(outcome.total, specs.length);
  assert.equal(outcome.complete.length, specs.length);
  assert.deepEqual(outcome.failed, []);
  const ends = readTrace(referenceTrace).filter((line) => line.kind === "end");
  assert.equal(ends.length, specs.length);
  // Most computations in progress at one instant: sweep over start (+1) and end (−1) events, ends first on ties.
  const events = ends.flatMap((line) => [[line.startMs, 1], [line.endMs!, -1]] as [number, number][]);
  events.sort((left, right) => left[0] - right[0] || left[1] - right[1]);
  let inProgress = 0;
  let maxOverlap = 0;
  for (const [, change] of events) maxOverlap = Math.max(maxOverlap, (inProgress += change));
  assert.equal(maxOverlap, 2, "two computations overlap in time, never three");
  const firstTwo = ends.slice().sort((a, b) => a.startMs - b.startMs).slice(0, 2);
  for (const line of firstTwo) assert.match(line.runId, /^smoke-57k-/, "largest-first starts the largest preset");
  const store = new RunStore(referenceOut);
  for (const spec of specs) assert.equal(store.inspect(spec.runId).state, "complete");
  const index = JSON.parse(fs.readFileSync(path.join(referenceOut, STORE_FILES.index), "utf8"));
  assert.equal(index.runs.length, specs.length);
});

test("study.load gives one DataFrame row per run × checkpoint × query set, metrics as columns", () => {
  const frame = load(referenceOut);
  // 12 runs × 4 checkpoints × (dev + 2 evaluation sets)
  assert.equal(frame.shape[0], specs.length * 4 * 3);
  for (const column of ["runId", "preset", "objective", "nonEmbeddingParams", "pairsSeen", "evalSet", "final", "ndcg@10", "map", "mrr@10"]) {
    assert.ok(frame.columns.includes(column), `column ${column}`);
  }
  const { rows } = loadStudyRows(referenceOut);
  const finals = rows.filter((row) => row.final && row.evalSet === "scifact-test");
  assert.equal(finals.length, specs.length);
  for (const row of finals) assert.ok(Number.isFinite(row["ndcg@10"]) && (row["ndcg@10"] as number) > 0);
});

test("a failed run is reported with its log tail, the others finish, and a rerun redoes only the failed one", async () => {
  const out = path.join(root, "failure");
  const trace = path.join(root, "failure-trace");
  fs.mkdirSync(trace);
  const failing = specs.find((spec) => spec.preset === "smoke-13k" && spec.objective === "pairwise")!.runId;
  const first = await runStudy(config, {
    out,
    executor: new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: trace, TINY_WORKER_FAIL: failing } }),
  });
  assert.equal(first.failed.length, 1);
  assert.equal(first.failed[0]!.runId, failing);
  assert.match(first.failed[0]!.error, /exited with status 1/);
  assert.match(first.failed[0]!.logTail, /tiny worker: asked to fail on smoke-13k-pairwise/);
  assert.equal(first.complete.length, specs.length - 1);
  assert.equal(studyStatus(out).runs.incomplete.length, 1);
  assert.equal(loadStudyRows(out).missingRunIds.length, 1);

  const second = await runStudy(config, { out, executor: new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: trace } }) });
  assert.deepEqual(second.ran, [failing]);
  assert.equal(second.reused.length, specs.length - 1);
  assert.equal(second.complete.length, specs.length);
  const starts = readTrace(trace).filter((line) => line.kind === "start");
  for (const spec of specs) {
    assert.equal(starts.filter((line) => line.runId === spec.runId).length, spec.runId === failing ? 2 : 1, spec.runId);
    assert.equal(evaluationsText(out, spec.runId), evaluationsText(referenceOut, spec.runId), "same results as the reference");
  }
});

test("a corrupt run (half-written metrics, an appended TREC run) is detected, quarantined, re-run and never read", async () => {
  const out = path.join(root, "corrupt");
  fs.cpSync(referenceOut, out, { recursive: true });
  const store = new RunStore(out);
  const [truncated, changed, unmarked] = [specs[0]!.runId, specs[4]!.runId, specs[8]!.runId];
  const metricsFile = path.join(out, truncated, RUN_FILES.evaluations);
  const metricsText = fs.readFileSync(metricsFile, "utf8");
  fs.writeFileSync(metricsFile, metricsText.slice(0, Math.floor(metricsText.length / 2)));
  fs.appendFileSync(path.join(out, changed, RUN_FILES.trecRuns, "scifact-test.trec"), "extra line\n");
  fs.rmSync(path.join(out, unmarked, RUN_FILES.complete));

  assert.deepEqual(store.inspect(truncated), { runId: truncated, state: "corrupt", reason: "evaluations.jsonl has " + Buffer.byteLength(metricsText.slice(0, Math.floor(metricsText.length / 2))) + " bytes, the marker says " + Buffer.byteLength(metricsText) });
  assert.equal(store.inspect(changed).state, "corrupt");
  assert.match(store.inspect(changed).reason!, /trec\/scifact-test\.trec has \d+ bytes/);
  assert.equal(store.inspect(unmarked).state, "incomplete");
  const before = loadStudyRows(out);
  assert.deepEqual(before.missingRunIds.sort(), [truncated, unmarked].sort(), "the loader never reads the half-written metrics");
  assert.throws(() => store.readEvaluations(truncated), /is corrupt \(evaluations\.jsonl has/);

  const trace = path.join(root, "corrupt-trace");
  fs.mkdirSync(trace);
  const outcome = await runStudy(config, { out, executor: new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: trace } }) });
  assert.deepEqual(outcome.corrupt.map((item) => item.runId).sort(), [truncated, changed].sort());
  for (const item of outcome.corrupt) {
    assert.ok(fs.existsSync(path.join(item.quarantinedTo, "QUARANTINED.txt")));
    assert.ok(item.quarantinedTo.startsWith(path.join(store.root, STORE_FILES.quarantine)));
  }
  assert.deepEqual(outcome.ran.sort(), [truncated, changed, unmarked].sort());
  assert.equal(outcome.complete.length, specs.length);
  for (const spec of specs) assert.equal(evaluationsText(out, spec.runId), evaluationsText(referenceOut, spec.runId));
});

test("SIGKILL of the runner mid-study, then the same command: same results, finished runs not repeated", async () => {
  const out = path.join(root, "killed");
  const trace = path.join(root, "killed-trace");
  fs.mkdirSync(trace);
  const cli = (sleepMs: number) =>
    spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "study", "--scale", "smoke", "--out", out, "--jobs", "2", "--worker", TINY_WORKER], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TINY_WORKER_TRACE: trace, TINY_WORKER_SLEEP_MS: String(sleepMs) },
      stdio: ["ignore", "pipe", "pipe"],
    });
  const runner = cli(400);
  const exited = new Promise<number | null>((resolve) => runner.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  const completeNow = (): string[] => specs.filter((spec) => fs.existsSync(path.join(out, spec.runId, RUN_FILES.complete))).map((spec) => spec.runId);
  while (completeNow().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  runner.kill("SIGKILL");
  await exited;
  // The workers of the killed runner exit by themselves (their IPC channel closed); one may finish its run first.
  const orphanDeadline = Date.now() + 10_000;
  while (workersWritingInto(out).length > 0 && Date.now() < orphanDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(workersWritingInto(out), [], "no worker outlives its runner");
  const completeAtKill = completeNow();
  assert.ok(completeAtKill.length >= 3 && completeAtKill.length < specs.length, `killed mid-study (${completeAtKill.length} complete)`);

  const restarted = cli(0);
  let output = "";
  restarted.stdout!.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => restarted.on("exit", (exitCode) => resolve(exitCode)));
  assert.equal(code, 0, output);
  assert.match(output, new RegExp(`${specs.length} runs: ${completeAtKill.length} already complete, ${specs.length - completeAtKill.length} to run`));
  const starts = readTrace(trace).filter((line) => line.kind === "start");
  for (const runId of completeAtKill) assert.equal(starts.filter((line) => line.runId === runId).length, 1, `${runId} not repeated`);
  for (const spec of specs) {
    assert.equal(new RunStore(out).inspect(spec.runId).state, "complete");
    assert.equal(evaluationsText(out, spec.runId), evaluationsText(referenceOut, spec.runId), `${spec.runId}: same results`);
  }
});

test("aborting a study (Ctrl-C) cancels the queue and kills the workers without calling them failed", async () => {
  const out = path.join(root, "aborted");
  const abort = new AbortController();
  const executor = new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_SLEEP_MS: "300" } });
  const studyDone = runStudy(config, {
    out,
    executor,
    signal: abort.signal,
    onEvent: (event) => {
      if (event.type === "run-finished") abort.abort();
    },
  });
  const outcome = await studyDone;
  assert.deepEqual(outcome.failed, []);
  assert.ok(outcome.complete.length >= 1 && outcome.complete.length < specs.length, `${outcome.complete.length} complete`);
  const progress = JSON.parse(fs.readFileSync(path.join(out, STORE_FILES.progress), "utf8"));
  assert.equal(progress.cancelled, specs.length - outcome.complete.length);
  assert.equal(progress.running, 0);
  const resumed = await runStudy(config, { out, executor: new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER }) });
  assert.equal(resumed.reused.length, outcome.complete.length);
  assert.equal(resumed.complete.length, specs.length);
});

test("a worker stuck while exiting after its run is complete is stopped after the grace period; the run counts, with the reference results", async () => {
  const out = path.join(root, "stuck-at-exit");
  const executor = new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_HANG_AT_EXIT: "1" }, exitGraceSeconds: 1 });
  const outcomes: RunOutcome[] = [];
  const original = executor.submit.bind(executor);
  executor.submit = (job) => {
    const handle = original(job);
    void handle.outcome.then((outcome) => outcomes.push(outcome));
    return handle;
  };
  const startedAt = Date.now();
  const outcome = await runStudy(config, { out, executor });
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.complete.length, specs.length);
  assert.equal(outcomes.length, specs.length);
  for (const run of outcomes) {
    assert.equal(run.ok, true, run.runId);
    assert.equal(run.signal, "SIGKILL", `${run.runId}: stopped by the executor, not by itself`);
    assert.match(run.error ?? "", /run complete; the process did not exit within 1 s and was killed/);
  }
  for (const spec of specs) assert.equal(evaluationsText(out, spec.runId), evaluationsText(referenceOut, spec.runId), `${spec.runId}: same results`);
  assert.ok(Date.now() - startedAt < 60_000, "the grace period, not a hang, bounds the study");
});

test("two runners on one store: the second waits for the first (or refuses), and then redoes nothing", async () => {
  const out = path.join(root, "two-runners");
  const trace = path.join(root, "two-runners-trace");
  fs.mkdirSync(trace);
  const executor = () => new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: trace } });
  const first = runStudy(config, { out, executor: executor() });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await assert.rejects(runStudy(config, { out, executor: executor() }), /another runner \(pid \d+\) is working on/);
  const second = await runStudy(config, { out, executor: executor(), waitForOtherRunner: true });
  const firstOutcome = await first;
  assert.equal(firstOutcome.ran.length, specs.length);
  assert.equal(second.reused.length, specs.length);
  assert.equal(readTrace(trace).filter((line) => line.kind === "start").length, specs.length);
});
