/**
 * The Slurm executor's pure parts, without a cluster: the sbatch script, squeue/sacct parsing, resource
 * checks, the GPU → backend mapping and the store-visibility rule. Expected squeue/sacct lines are copied from
 * Slurm 22.05.8 (Debian bookworm's slurm-wlm) output on this machine, e.g.
 * `squeue --array --noheader --states=all --jobs=1 --format='%i|%T|%r'`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { storeVisibilityProblem } from "../../src/study/slurm/check-slurm-submission";
import { parseSqueueTasks } from "../../src/study/slurm/parse-squeue";
import { sbatchScript, shellQuote } from "../../src/study/slurm/sbatch-script";
import { requestsGpu, sbatchResourceOptions, workerBackendFor } from "../../src/study/slurm/slurm-resources";
import { temporaryFolder } from "../study/study-fixtures";

test("squeue and sacct lines: one entry per task, unsplit pending ranges expanded, other lines skipped", () => {
  const squeue = ["1_[4-5,7%2]|PENDING|JobArrayTaskLimit", "1_3|CANCELLED|None", "1_1|COMPLETED|None", "1_0|RUNNING|None", "57|RUNNING|None", ""].join("\n");
  assert.deepEqual(parseSqueueTasks(squeue), [
    { taskId: "1_4", state: "PENDING", detail: "JobArrayTaskLimit" },
    { taskId: "1_5", state: "PENDING", detail: "JobArrayTaskLimit" },
    { taskId: "1_7", state: "PENDING", detail: "JobArrayTaskLimit" },
    { taskId: "1_3", state: "CANCELLED", detail: "None" },
    { taskId: "1_1", state: "COMPLETED", detail: "None" },
    { taskId: "1_0", state: "RUNNING", detail: "None" },
  ]);
  // sacct --parsable2 --allocations --format=JobID,State,ExitCode (sacct(1)): "CANCELLED by <uid>" keeps its first word.
  assert.deepEqual(parseSqueueTasks("12_0|COMPLETED|0:0\n12_1|CANCELLED by 0|0:15\n12_2|TIMEOUT|0:0\n"), [
    { taskId: "12_0", state: "COMPLETED", detail: "0:0" },
    { taskId: "12_1", state: "CANCELLED", detail: "0:15" },
    { taskId: "12_2", state: "TIMEOUT", detail: "0:0" },
  ]);
  assert.deepEqual(parseSqueueTasks("garbage\n|RUNNING|\n"), []);
});

test("resources: passed through in Slurm's syntax; anything else is refused with the field and an example", () => {
  assert.deepEqual(sbatchResourceOptions({ partition: "gpu", gres: "gpu:a100:1", time: "1-12:00:00", cpusPerTask: 8, mem: "32G" }), [
    "--partition=gpu",
    "--gres=gpu:a100:1",
    "--time=1-12:00:00",
    "--cpus-per-task=8",
    "--mem=32G",
  ]);
  assert.deepEqual(sbatchResourceOptions({ time: "90" }), ["--time=90"]);
  assert.throws(() => sbatchResourceOptions({ partition: "gpu\n#SBATCH --uid=0" }), /--partition "gpu\\n#SBATCH --uid=0" is not in Slurm's form; e\.g\. --partition gpu/);
  assert.throws(() => sbatchResourceOptions({ mem: "32 GB" }), /--mem "32 GB" is not in Slurm's form; e\.g\. --mem 32G/);
  assert.throws(() => sbatchResourceOptions({ cpusPerTask: 0 }), /--cpus-per-task must be a positive integer, got 0/);
});

test("GPU requests pick the GPU backends; CPU tasks leave the choice to the worker; an explicit backend wins", () => {
  const cases: [string | undefined, boolean][] = [["gpu", true], ["gpu:2", true], ["gpu:a100:1", true], ["shard:1,gpu:1", true], ["gpu:0", false], ["mps:100", false], [undefined, false]];
  for (const [gres, expected] of cases) assert.equal(requestsGpu(gres), expected, String(gres));
  assert.equal(workerBackendFor({ gres: "gpu:1" }), "tensorflow-gpu,webgpu");
  assert.equal(workerBackendFor({}), undefined);
  assert.equal(workerBackendFor({ gres: "gpu:1" }, "webgpu"), "webgpu");
});

test("a local run store is refused only when the partition has nodes other than this host", () => {
  const facts = { storeRoot: "/scratch/runs", filesystemType: "ext2/ext3", nodeNames: ["n01", "n02", "n03", "n04"], thisHostNames: ["login1", "localhost"] };
  assert.equal(
    storeVisibilityProblem(facts),
    "the run store /scratch/runs is on ext2/ext3, a filesystem local to this host, but the tasks run on n01, n02, n03 and 1 more, which cannot see it. " +
      "Put --out on a filesystem every node mounts (NFS, Lustre, GPFS, BeeGFS, CephFS), or pass --store-shared if it is shared anyway.",
  );
  assert.equal(storeVisibilityProblem({ ...facts, filesystemType: "nfs" }), undefined);
  assert.equal(storeVisibilityProblem({ ...facts, filesystemType: "lustre" }), undefined);
  assert.equal(storeVisibilityProblem({ ...facts, nodeNames: ["login1"] }), undefined, "a single-node cluster on this host sees its local disk");
});

test("the sbatch script: one array task per run directory, throttled, resources as #SBATCH lines, the worker's command, valid bash", () => {
  const folder = temporaryFolder("sbatch-script");
  const runDirs = [path.join(folder, "runs", "a-1"), path.join(folder, "runs", "it's-2")];
  const script = sbatchScript({
    jobName: "rerank-smoke",
    runDirs,
    throttle: 4,
    slurmLogDir: path.join(folder, "logs"),
    resources: { partition: "gpu", gres: "gpu:1" },
    projectRoot: "/shared/rerank-scaling",
    nodePath: "/usr/bin/node",
    workerScript: "/shared/rerank-scaling/src/study/worker.ts",
    env: { RERANK_BACKEND: "tensorflow-gpu,webgpu" },
  });
  assert.match(script, /^#SBATCH --array=0-1%4$/m);
  assert.match(script, /^#SBATCH --partition=gpu$/m);
  assert.match(script, /^#SBATCH --gres=gpu:1$/m);
  assert.match(script, new RegExp(`^#SBATCH --output=${folder}/logs/%A_%a.out$`, "m"));
  assert.match(script, /^export ESBUILD_WORKER_THREADS='0'$/m, "tsx compiles without an esbuild worker thread");
  assert.match(script, /^export RERANK_BACKEND='tensorflow-gpu,webgpu'$/m);
  assert.match(script, /^exec '\/usr\/bin\/node' --import tsx '\/shared\/rerank-scaling\/src\/study\/worker\.ts' "\$RUN_DIR" >> "\$LOG" 2>&1$/m);
  assert.equal(spawnSync("bash", ["-n"], { input: script }).status, 0, "bash -n accepts it");
  // Task 1 resolves the quoted directory with the apostrophe (run the array lookup alone, without the worker).
  const lookup = script.slice(script.indexOf("RUN_DIRS=("), script.indexOf("LOG=")) + 'printf %s "$RUN_DIR"';
  const resolved = spawnSync("bash", ["-c", lookup], { env: { SLURM_ARRAY_TASK_ID: "1" }, encoding: "utf8" });
  assert.equal(resolved.stdout, runDirs[1]);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.throws(() => sbatchScript({ jobName: "x", runDirs: [], slurmLogDir: "/l", resources: {}, projectRoot: "/p", nodePath: "/n", workerScript: "/w", env: {} }), /no run directories/);
  assert.throws(
    () => sbatchScript({ jobName: "x", runDirs: ["/r"], slurmLogDir: "/my logs", resources: {}, projectRoot: "/p", nodePath: "/n", workerScript: "/w", env: {} }),
    /holds a space or quote; use paths without them/,
  );
  assert.ok(fs.existsSync(folder));
});
