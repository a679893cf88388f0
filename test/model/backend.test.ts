/**
 * Backend selection on this machine (no GPU, no libtensorflow; only Mesa's software Vulkan): wasm is the best
 * available, and each better backend is skipped with its own reason. test/model/webgpu-backend.test.ts forces WebGPU.
 */
import * as tf from "@tensorflow/tfjs";
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { selectBackend } from "../../src/model/backend";

test("picks the best available backend and says why each better one was skipped", async (t) => {
  const choice = await selectBackend({ env: {} });
  if (choice.name !== "wasm") {
    t.diagnostic(`this machine has ${choice.name}: ${choice.reason}`);
    return;
  }
  assert.equal(tf.getBackend(), "wasm");
  assert.match(choice.reason, /^best available/);
  assert.deepEqual(choice.skipped.map((entry) => entry.name), ["tensorflow-gpu", "tensorflow", "webgpu"]);
  for (const entry of choice.skipped) assert.ok(entry.reason.length > 20, `${entry.name}: ${entry.reason}`);
  // package.json overrides @tensorflow/tfjs-node with plain tfjs: detected, not mistaken for the native backend.
  assert.match(choice.skipped[1]!.reason, /not installed|no native "tensorflow" backend|failed to load/);
});

test("can be forced by option and by RERANK_BACKEND; a forced backend that cannot start is an error", async () => {
  const forced = await selectBackend({ prefer: "cpu" });
  assert.equal(forced.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.match(forced.reason, /forced \(option prefer\)/);
  const byEnv = await selectBackend({ env: { RERANK_BACKEND: "wasm" } });
  assert.equal(byEnv.name, "wasm");
  assert.match(byEnv.reason, /RERANK_BACKEND/);
  await assert.rejects(selectBackend({ prefer: "tensorflow-gpu" }), /none of tensorflow-gpu could start/);
  await assert.rejects(selectBackend({ env: { RERANK_BACKEND: "cuda" } }), /unknown backend "cuda"/);
  await selectBackend({ prefer: "wasm" });
});
