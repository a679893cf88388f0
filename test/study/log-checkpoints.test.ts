/**
 * A log-spaced checkpoint schedule is measured exactly at its points by the real training worker (SciFact, one
 * smoke run): the dev rows' pairs seen equal the spec's `checkpointPairs`, not every multiple of the first interval.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { stagedDatasetsDir } from "../../src/paths";
import { expandGrid } from "../../src/study/expand-grid";
import { LocalProcessExecutor } from "../../src/study/local-process-executor";
import { RUN_FILES, type CheckpointEvaluation } from "../../src/study/run-result";
import { runStudy } from "../../src/study/run-study";
import { smokeConfig, temporaryFolder } from "./study-fixtures";

const skip = stagedDatasetsDir() === undefined ? "needs the staged datasets (../shared/datasets or RERANK_DATASETS)" : false;

test("log-spaced checkpoints: the worker measures dev exactly at the schedule's pairs", { timeout: 300_000, skip }, async () => {
  const config = smokeConfig({ name: "smoke-log", presets: ["smoke-1k"], objectives: ["pairwise"], checkpoints: { count: 4, spacing: "log" } });
  const [spec] = expandGrid(config);
  assert.deepEqual(spec!.checkpointPairs, [64, 128, 256, 512], "512 pairs in batches of 16: 1/8, 1/4, 1/2, 1");
  const out = temporaryFolder("log-checkpoints");
  const outcome = await runStudy(config, { out, executor: new LocalProcessExecutor({ slots: 1 }) });
  assert.deepEqual(outcome.failed, [], JSON.stringify(outcome.failed));
  const rows = fs.readFileSync(path.join(out, spec!.runId, RUN_FILES.evaluations), "utf8").trim().split("\n").map((line) => JSON.parse(line) as CheckpointEvaluation);
  assert.deepEqual(rows.filter((row) => row.evalSet === "dev").map((row) => row.pairsSeen), spec!.checkpointPairs);
});
