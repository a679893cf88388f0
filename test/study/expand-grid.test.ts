import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultStudyConfig } from "../../src/study/default-study-config";
import { checkpointSchedule, expandGrid } from "../../src/study/expand-grid";
import { runIdOf } from "../../src/study/run-spec";

test("expandGrid gives one run per preset × objective × budget × seed, with unique stable ids", () => {
  const config = { ...defaultStudyConfig("smoke"), dataBudgetsPairs: [256, 1024], seeds: [1, 2] };
  const specs = expandGrid(config);
  assert.equal(specs.length, 4 * 3 * 2 * 2);
  assert.equal(new Set(specs.map((spec) => spec.runId)).size, specs.length);
  assert.deepEqual(expandGrid(config).map((spec) => spec.runId), specs.map((spec) => spec.runId));
  for (const spec of specs) {
    assert.equal(runIdOf(spec), spec.runId);
    assert.match(spec.runId, new RegExp(`^${spec.preset.replace(".", "\\.")}-${spec.objective}-${spec.budgetPairs}p-seed${spec.seed}-[0-9a-f]{10}$`));
    assert.equal(spec.checkpointPairs.at(-1), spec.budgetPairs);
  }
});

test("a run's id changes with any field of its config and not with the study around it", () => {
  const base = expandGrid(defaultStudyConfig("smoke"))[0]!;
  const renamed = expandGrid({ ...defaultStudyConfig("smoke"), name: "other-name", seeds: [1, 7] })[0]!;
  assert.equal(renamed.runId, base.runId);
  const changed = expandGrid({ ...defaultStudyConfig("smoke"), training: { ...defaultStudyConfig("smoke").training, learningRate: 5e-4 } })[0]!;
  assert.notEqual(changed.runId, base.runId);
});

test("checkpointSchedule halves back from the budget in whole batches, or spaces evenly", () => {
  assert.deepEqual(checkpointSchedule(1024, 3, "log", 16), [256, 512, 1024]);
  assert.deepEqual(checkpointSchedule(1000, 4, "log", 16), [128, 256, 512, 1000]);
  assert.deepEqual(checkpointSchedule(1000, 4, "linear", 16), [256, 512, 752, 1000]);
  // A budget of two batches cannot hold 6 distinct log-spaced checkpoints.
  assert.deepEqual(checkpointSchedule(32, 6, "log", 16), [16, 32]);
});
