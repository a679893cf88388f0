import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import {
  CorruptCheckpointError,
  checkpointFileName,
  latestCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpoint,
  writeCheckpoint,
} from "../../src/train/checkpoint";

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "rerank-checkpoint-"));
}

const weights = [
  { name: "embeddings/token", shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, -0.1]) },
  { name: "head/bias", shape: [1], values: new Float32Array([Math.fround(0.3)]) },
];

test("writeCheckpoint/readCheckpoint round-trip tensors bit for bit and the JSON state", () => {
  const folder = temporaryFolder();
  const filePath = writeCheckpoint(folder, {
    step: 250,
    tensors: { weights, "adam.m": [{ name: "m0", shape: [0], values: new Float32Array(0) }] },
    state: { rng: 12345, data: { epoch: 1, offset: 17 }, text: "ünïcode ✓" },
  });
  assert.equal(path.basename(filePath), "step-00000250.ckpt");
  const read = readCheckpoint(filePath);
  assert.equal(read.step, 250);
  assert.deepEqual(read.state, { rng: 12345, data: { epoch: 1, offset: 17 }, text: "ünïcode ✓" });
  assert.deepEqual(read.tensors.weights!.map((t) => [t.name, t.shape, Array.from(t.values)]), weights.map((t) => [t.name, t.shape, Array.from(t.values)]));
  assert.equal(read.tensors["adam.m"]![0]!.values.length, 0);
  assert.deepEqual(fs.readdirSync(folder), ["step-00000250.ckpt"], "no temporary file left behind");
});

test("a truncated, altered or foreign file is detected, and latestCheckpoint falls back to the previous one", () => {
  const folder = temporaryFolder();
  writeCheckpoint(folder, { step: 100, tensors: { weights }, state: { at: 100 } });
  const newest = writeCheckpoint(folder, { step: 200, tensors: { weights }, state: { at: 200 } });
  const bytes = fs.readFileSync(newest);

  fs.writeFileSync(newest, bytes.subarray(0, bytes.length - 3)); // half-written
  assert.throws(() => readCheckpoint(newest), CorruptCheckpointError);
  const skipped: string[] = [];
  const fallback = latestCheckpoint(folder, (error) => skipped.push(error.filePath));
  assert.equal(fallback?.step, 100);
  assert.deepEqual(skipped, [newest]);

  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 1] ^= 1; // one bit of the payload
  fs.writeFileSync(newest, flipped);
  assert.throws(() => readCheckpoint(newest), /sha256 does not match/);

  fs.writeFileSync(newest, "not a checkpoint");
  assert.throws(() => readCheckpoint(newest), /magic bytes/);
  fs.writeFileSync(newest, Buffer.alloc(0));
  assert.throws(() => readCheckpoint(newest), CorruptCheckpointError);
});

test("listCheckpoints sorts newest first; pruneCheckpoints keeps the newest; an empty or missing folder has none", () => {
  const folder = temporaryFolder();
  for (const step of [5, 40, 12]) writeCheckpoint(folder, { step, tensors: {}, state: {} });
  fs.writeFileSync(path.join(folder, "notes.txt"), "ignored");
  assert.deepEqual(listCheckpoints(folder).map((entry) => entry.step), [40, 12, 5]);
  pruneCheckpoints(folder, 2);
  assert.deepEqual(listCheckpoints(folder).map((entry) => entry.step), [40, 12]);
  assert.equal(latestCheckpoint(temporaryFolder()), undefined);
  assert.equal(latestCheckpoint(path.join(folder, "missing")), undefined);
  assert.equal(checkpointFileName(3), "step-00000003.ckpt");
});
