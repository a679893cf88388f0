/**
 * The Slurm executor against a real single-node Slurm (Debian's slurm-wlm 22.05 + munge, on loopback; see
 * slurm-cluster.ts), started before these tests and stopped after them. Runs go through the real sbatch,
 * squeue and scancel; the workers are the tests' own worker kinds (tiny-worker.ts: the smoke grid in seconds;
 * checkpointing-worker.ts: checkpoints and resumes like the training worker).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { PROJECT_ROOT, stagedDatasetsDir } from "../../src/paths";
import { defaultStudyConfig } from "../../src/study/default-study-config";
import { expandGrid } from "../../src/study/expand-grid";
import { LocalProcessExecutor } from "../../src/study/local-process-executor";
import { RUN_FILES } from "../../src/study/run-result";
import { runStudy, type StudyOutcome } from "../../src/study/run-study";
import { readSubmissions, slurmStorePaths } from "../../src/study/slurm/slurm-submissions";
import { SlurmExecutor, type SlurmExecutorOptions } from "../../src/study/slurm/slurm-executor";
import { readTrace, smokeConfig, temporaryFolder, TINY_WORKER } from "../study/study-fixtures";
import { slurmUnavailableReason, startSlurmCluster, type SlurmCluster } from "./slurm-cluster";

const CHECKPOINTING_WORKER = path.join(__dirname, "checkpointing-worker.ts");
const unavailable = slurmUnavailableReason();
const root = temporaryFolder("slurm-executor");
let cluster: SlurmCluster;

before(async () => {
  if (!unavailable) cluster = await startSlurmCluster();
});
after(() => cluster?.stop());

function slurmExecutor(out: string, options: Partial<SlurmExecutorOptions> = {}): SlurmExecutor {
  return new SlurmExecutor({ storeRoot: out, pollSeconds: 0.5, slurmEnv: cluster.env, jobName: "rerank-test", ...options });
}

/** Every run's evaluations.jsonl and summary, by run id, without timings (wallSeconds, details.*Seconds, details.*PerSecond). */
function results(out: string, outcome: StudyOutcome): Record<string, { evaluations: string; summary: Record<string, unknown> }> {
  return Object.fromEntries(
    outcome.complete.map((runId) => {
      const { wallSeconds: _wall, details = {}, ...summary } = JSON.parse(fs.readFileSync(path.join(out, runId, RUN_FILES.summary), "utf8")) as Record<string, unknown>;
      const untimed = Object.fromEntries(Object.entries(details as Record<string, unknown>).filter(([key]) => !/(Seconds|PerSecond)$/.test(key)));
      return [runId, { evaluations: fs.readFileSync(path.join(out, runId, RUN_FILES.evaluations), "utf8"), summary: { ...summary, details: untimed } }];
    }),
  );
}

test("bad input is refused before anything is submitted: no sbatch on PATH, an unknown partition, a GPU the cluster lacks (Slurm's own words)", { skip: unavailable }, async () => {
  const out = path.join(root, "refused");
  assert.throws(
    () => new SlurmExecutor({ storeRoot: out, slurmEnv: { ...cluster.env, PATH: "/nonexistent" } }),
    /no sbatch on PATH\. Run the study on a Slurm login node/,
  );
  assert.throws(
    () => slurmExecutor(out, { resources: { partition: "nope" } }),
    (error: Error) => /partition "nope" is not usable\. Partitions here: debug/.test(error.message) && /Partition nope not found/i.test(error.message),
  );
  assert.throws(() => slurmExecutor(out, { resources: { time: "4 hours" } }), /--time "4 hours" is not in Slurm's form; e\.g\. --time 04:00:00/);
  assert.equal(fs.existsSync(slurmStorePaths(out).submissions), false, "nothing was submitted");

  // sbatch itself refuses a GPU that no node has: every run fails with Slurm's text, none is recorded as submitted.
  const executor = slurmExecutor(out, { resources: { gres: "gpu:1" }, workerScript: TINY_WORKER });
  const runs = expandGrid(smokeConfig()).length;
  const outcome = await runStudy(smokeConfig(), { out, executor });
  assert.equal(outcome.complete.length, 0);
  assert.equal(outcome.failed.length, runs);
  assert.match(outcome.failed[0]!.error, new RegExp(`Slurm refused the submission of ${runs} run\\(s\\)`));
  assert.match(outcome.failed[0]!.error, /: sbatch --parsable .* failed \(exit status 1\): sbatch: error: .*(gres|generic resource)/i);
  assert.deepEqual(executor.refusedSubmissions.length, 1);
  assert.deepEqual(readSubmissions(out), []);
  const script = fs.readdirSync(slurmStorePaths(out).scripts).map((file) => fs.readFileSync(path.join(slurmStorePaths(out).scripts, file), "utf8"))[0]!;
  assert.match(script, /^#SBATCH --gres=gpu:1$/m);
  assert.match(script, /^export RERANK_BACKEND='tensorflow-gpu,webgpu'$/m, "a GPU request picks the GPU backends");
});

test("the smoke grid as one throttled job array: every run finishes, at most 2 at once, results equal the local runner's", { skip: unavailable }, async () => {
  const config = smokeConfig();
  const runs = expandGrid(config).length;
  const localOut = path.join(root, "local");
  const localOutcome = await runStudy(config, { out: localOut, executor: new LocalProcessExecutor({ slots: 2, workerScript: TINY_WORKER }) });
  assert.equal(localOutcome.complete.length, runs);

  const slurmOut = path.join(root, "slurm");
  const traceDir = path.join(root, "slurm-trace");
  fs.mkdirSync(traceDir);
  const started: string[] = [];
  const executor = slurmExecutor(slurmOut, { throttle: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_TRACE: traceDir, TINY_WORKER_SLEEP_MS: "100" } });
  const outcome = await runStudy(config, { out: slurmOut, executor, onEvent: (event) => event.type === "run-started" && started.push(event.runId) });
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.complete.length, runs);
  assert.equal(started.length, runs, "every task was seen running");
  assert.deepEqual(results(slurmOut, outcome), results(localOut, localOutcome), "same evaluations and summaries as the local runner");

  const submissions = readSubmissions(slurmOut);
  assert.equal(submissions.length, 1, "one sbatch for the whole grid");
  assert.deepEqual([...submissions[0]!.runIds].sort(), expandGrid(config).map((spec) => spec.runId).sort());
  const script = fs.readFileSync(submissions[0]!.script, "utf8");
  assert.match(script, new RegExp(`^#SBATCH --array=0-${runs - 1}%2$`, "m"));
  const ends = readTrace(traceDir).filter((line) => line.kind === "end");
  assert.equal(ends.length, runs);
  const maxOverlap = Math.max(...ends.map((line) => ends.filter((other) => other.startMs < line.endMs! && other.endMs! > line.startMs).length));
  assert.ok(maxOverlap <= 2, `the array throttle %2 holds: ${maxOverlap} computations overlapped`);
  for (const runId of outcome.complete) {
    assert.match(fs.readFileSync(path.join(slurmOut, runId, RUN_FILES.workerLog), "utf8"), new RegExp(`== slurm task ${submissions[0]!.jobId}_[0-9]+ `));
  }

  // Submitting the finished study again submits nothing.
  const again = await runStudy(config, { out: slurmOut, executor: slurmExecutor(slurmOut, { workerScript: TINY_WORKER }) });
  assert.equal(again.reused.length, runs);
  assert.equal(readSubmissions(slurmOut).length, 1);
});

test("a task stuck while exiting after its run is complete is cancelled after the grace period; the runs count, with the local runner's results", { skip: unavailable }, async () => {
  const config = smokeConfig();
  const specs = expandGrid(config);
  const out = path.join(root, "stuck-at-exit");
  const startedAt = Date.now();
  const executor = slurmExecutor(out, { throttle: 2, workerScript: TINY_WORKER, env: { TINY_WORKER_HANG_AT_EXIT: "1" }, exitGraceSeconds: 1 });
  const outcome = await runStudy(config, { out, executor });
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.complete.length, specs.length);
  for (const spec of specs) {
    const evaluations = (folder: string): string => fs.readFileSync(path.join(folder, spec.runId, RUN_FILES.evaluations), "utf8");
    assert.equal(evaluations(out), evaluations(path.join(root, "local")), `${spec.runId}: same results`);
  }
  assert.ok(Date.now() - startedAt < 120_000, "the grace period, not a hang, bounds the study");
});

test("scancel mid-run: the run fails as CANCELLED, the others finish; resubmitting runs only it, resumed from its checkpoint, with the uninterrupted results", { skip: unavailable }, async () => {
  const smoke = smokeConfig();
  const config = smokeConfig({ presets: [smoke.presets[0]!], objectives: ["pointwise", "pairwise", "listwise"], dataBudgetsPairs: [smoke.dataBudgetsPairs[0]!], seeds: [1] });
  const specs = expandGrid(config);
  assert.equal(specs.length, 3);
  const env = { CHECKPOINT_WORKER_SEGMENT_MS: "700" };
  const referenceOut = path.join(root, "checkpointing-local");
  const reference = await runStudy(config, { out: referenceOut, executor: new LocalProcessExecutor({ slots: 2, workerScript: CHECKPOINTING_WORKER, env }) });
  assert.equal(reference.complete.length, 3);

  const out = path.join(root, "checkpointing-slurm");
  const traceDir = path.join(root, "checkpointing-trace");
  fs.mkdirSync(traceDir);
  const traceLines = (): string[][] => {
    const file = path.join(traceDir, "trace.txt");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").map((line) => line.split(" ")) : [];
  };
  // One task at a time, shortest first: the first run finishes, then the second is cancelled after its first checkpoint.
  const executor = slurmExecutor(out, { throttle: 1, workerScript: CHECKPOINTING_WORKER, env: { ...env, CHECKPOINT_WORKER_TRACE: traceDir } });
  let victim: string | undefined;
  const watcher = setInterval(() => {
    const lines = traceLines();
    const finished = lines.filter(([kind]) => kind === "end").map(([, runId]) => runId);
    const inProgress = lines.find(([kind, runId]) => kind === "segment" && !finished.includes(runId) && finished.length >= 1);
    if (victim || !inProgress) return;
    victim = inProgress[1]!;
    const submission = readSubmissions(out)[0]!;
    const taskId = `${submission.jobId}_${submission.runIds.indexOf(victim)}`;
    const cancelled = spawnSync("scancel", [taskId], { env: cluster.env, encoding: "utf8" });
    assert.equal(cancelled.status, 0, cancelled.stderr);
  }, 100);
  const first = await runStudy(config, { out, executor, order: "shortest-first" }).finally(() => clearInterval(watcher));
  assert.ok(victim, `a run was cancelled mid-run; trace: ${JSON.stringify(traceLines())}, outcome: ${JSON.stringify(first)}`);
  assert.deepEqual(first.failed.map((failure) => failure.runId), [victim]);
  assert.match(first.failed[0]!.error, /Slurm ended task [0-9]+_[0-9] as CANCELLED/);
  assert.equal(first.complete.length, 2);
  const segmentsBefore = traceLines().filter(([kind, runId]) => kind === "segment" && runId === victim).length;
  assert.ok(segmentsBefore >= 1 && segmentsBefore < 4, `cancelled after ${segmentsBefore} of 4 checkpoints`);

  const second = await runStudy(config, { out, executor: slurmExecutor(out, { workerScript: CHECKPOINTING_WORKER, env: { ...env, CHECKPOINT_WORKER_TRACE: traceDir } }) });
  assert.deepEqual(second.failed, []);
  assert.deepEqual(second.reused.sort(), first.complete.sort(), "finished runs are reused");
  assert.deepEqual(second.ran, [victim]);
  const submissions = readSubmissions(out);
  assert.equal(submissions.length, 2);
  assert.deepEqual(submissions[1]!.runIds, [victim], "the resubmission holds only the unfinished run");
  const starts = traceLines().filter(([kind]) => kind === "start");
  assert.equal(starts.length, 4, "three first attempts and one resumed attempt; no finished run started again");
  assert.deepEqual(starts[3], ["start", victim, String(segmentsBefore)], "the resumed attempt starts after the last checkpoint");
  assert.deepEqual(results(out, second), results(referenceOut, reference), "the same results as an uninterrupted local run");
});

test("the CLI: study --executor slurm submits and follows, study status asks Slurm, Ctrl-C cancels the tasks, the same command finishes the study", { skip: unavailable }, async () => {
  const out = path.join(root, "cli");
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawn(process.execPath, ["bin/rerank-scaling.js", "study", "--scale", "smoke", "--out", out, ...args], { cwd: PROJECT_ROOT, env: { ...cluster.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const finished = (child: ReturnType<typeof cli>): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      child.on("close", (code) => resolve({ code, output }));
    });
  const usage = await finished(cli(["--partition", "debug"]));
  assert.equal(usage.code, 2);
  assert.match(usage.output, /partition need --executor slurm/);
  const refused = await finished(cli(["--executor", "slurm", "--partition", "nope", "--worker", TINY_WORKER]));
  assert.equal(refused.code, 1);
  assert.match(refused.output, /partition "nope" is not usable\. Partitions here: debug\. Fix --partition: scontrol show partition --oneliner nope failed \(exit status 1\): Partition nope not found/);

  // A slow first attempt: status while tasks run, then Ctrl-C.
  const slow = cli(["--executor", "slurm", "--jobs", "2", "--poll-seconds", "0.5", "--worker", TINY_WORKER], { TINY_WORKER_SLEEP_MS: "3000" });
  const slowDone = finished(slow);
  const deadline = Date.now() + 60_000;
  let status = "";
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = spawnSync(process.execPath, ["bin/rerank-scaling.js", "study", "status", "--scale", "smoke", "--out", out], { cwd: PROJECT_ROOT, env: cluster.env, encoding: "utf8" }).stdout;
    if (/2 RUNNING/.test(status)) break;
  }
  assert.match(status, /^slurm \(jobs [0-9]+\), runs not complete: .*2 RUNNING/m);
  assert.match(status, /^  RUNNING: \S+ \(task [0-9]+_[01]\)$/m);
  slow.kill("SIGINT");
  const interrupted = await slowDone;
  assert.equal(interrupted.code, 130, interrupted.output);
  const jobId = readSubmissions(out)[0]!.jobId;
  const left = spawnSync("squeue", ["--noheader", `--jobs=${jobId}`, "--states=PENDING,RUNNING,COMPLETING", "--format=%i"], { env: cluster.env, encoding: "utf8" });
  assert.equal(left.stdout.trim(), "", "Ctrl-C cancelled every task");

  const rest = await finished(cli(["--executor", "slurm", "--jobs", "2", "--poll-seconds", "0.5", "--worker", TINY_WORKER]));
  assert.equal(rest.code, 0, rest.output);
  const runs = expandGrid(smokeConfig()).length;
  assert.match(rest.output, new RegExp(`${runs}/${runs} runs complete`));
  const finalStatus = spawnSync(process.execPath, ["bin/rerank-scaling.js", "study", "status", "--scale", "smoke", "--out", out], { cwd: PROJECT_ROOT, env: cluster.env, encoding: "utf8" }).stdout;
  assert.match(finalStatus, /every submitted run is complete in the store/);
});

test("the real training worker through Slurm: the smallest preset of the smoke grid gives the local runner's results", { skip: unavailable ?? (stagedDatasetsDir() ? undefined : "no staged datasets (RERANK_DATASETS)") }, async () => {
  const smoke = defaultStudyConfig("smoke");
  const config = { ...smoke, presets: [smoke.presets[0]!] };
  const localOut = path.join(root, "real-local");
  const local = await runStudy(config, { out: localOut, executor: new LocalProcessExecutor({ slots: 2 }) });
  assert.deepEqual(local.failed, []);
  const slurmOut = path.join(root, "real-slurm");
  const outcome = await runStudy(config, { out: slurmOut, executor: slurmExecutor(slurmOut, { throttle: 2 }) });
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.complete.length, expandGrid(config).length);
  assert.deepEqual(results(slurmOut, outcome), results(localOut, local), "bit-identical evaluations and summaries (same seeds, same backend, same machine)");
});

test("a runner killed while its tasks run: the restarted runner follows the live tasks instead of submitting them again", { skip: unavailable }, async () => {
  const out = path.join(root, "adopt");
  const traceDir = path.join(root, "adopt-trace");
  fs.mkdirSync(traceDir);
  const args = ["bin/rerank-scaling.js", "study", "--scale", "smoke", "--out", out, "--executor", "slurm", "--jobs", "2", "--poll-seconds", "0.5", "--worker", TINY_WORKER];
  const env = { ...cluster.env, TINY_WORKER_TRACE: traceDir, TINY_WORKER_SLEEP_MS: "800" };
  const first = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: "ignore" });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && readTrace(traceDir).filter((line) => line.kind === "start").length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
  first.kill("SIGKILL");
  await new Promise((resolve) => first.on("close", resolve));
  const jobId = readSubmissions(out)[0]!.jobId;
  const live = spawnSync("squeue", ["--noheader", "--array", `--jobs=${jobId}`, "--states=PENDING,RUNNING", "--format=%i"], { env: cluster.env, encoding: "utf8" });
  assert.ok(live.stdout.trim().split("\n").length >= 2, `tasks outlive their runner:\n${live.stdout}`);

  const second = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  assert.equal(second.status, 0, second.stdout + second.stderr);
  const runs = expandGrid(smokeConfig()).length;
  assert.match(second.stdout, new RegExp(`${runs}/${runs} runs complete`));
  assert.equal(readSubmissions(out).length, 1, "nothing submitted twice");
  const starts = readTrace(traceDir).filter((line) => line.kind === "start").map((line) => line.runId);
  assert.equal(starts.length, runs, "every run started exactly once");
  assert.equal(new Set(starts).size, runs);
});
