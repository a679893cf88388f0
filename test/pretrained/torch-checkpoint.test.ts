import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadSafetensors } from "../../src/model/safetensors";
import { loadTorchStateDict, readTorchStateDict } from "../../src/model/torch-checkpoint";
import { PROJECT_ROOT } from "../../src/paths";

// Files written by torch 1.13 `torch.save` (zip and `_use_new_zipfile_serialization=False` legacy formats):
//   /usr/bin/python3 data/fixtures/tiny-bert/make_fixture.py
const FIXTURE = path.join(PROJECT_ROOT, "data", "fixtures", "tiny-bert");
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as {
  torchViews: Record<string, { shape: number[]; values: (number | string)[] }>;
};

for (const format of ["zip", "legacy"]) {
  test(`readTorchStateDict: ${format} pytorch_model.bin equals the same weights in safetensors, bit for bit`, () => {
    const reference = loadSafetensors(path.join(FIXTURE, "model.safetensors")).tensors;
    const state = loadTorchStateDict(path.join(FIXTURE, "torch", `${format}.bin`));
    assert.deepEqual(Object.keys(state).sort(), Object.keys(reference).sort());
    for (const [name, tensor] of Object.entries(reference)) {
      assert.deepEqual(state[name]!.shape, tensor.shape, name);
      assert.equal(state[name]!.dtype, tensor.dtype, name);
      assert.deepEqual(state[name]!.values, tensor.values, name);
    }
  });

  test(`readTorchStateDict: ${format} views sharing a storage (offset, strides) and F16/BF16/I64`, () => {
    const state = loadTorchStateDict(path.join(FIXTURE, "torch", format === "zip" ? "views.bin" : "views-legacy.bin"));
    for (const [name, reference] of Object.entries(expected.torchViews)) {
      assert.deepEqual(state[name]!.shape, reference.shape, name);
      const want = reference.values.map((v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v)));
      assert.deepEqual(Array.from(state[name]!.values), name === "long" ? want : want.map(Math.fround), name);
    }
  });
}

test("readTorchStateDict: refuses code, truncation and non-torch files with a reason", () => {
  // A pickle that calls os.system: GLOBAL 'os system', a string argument, TUPLE1, REDUCE, STOP.
  const evil = Buffer.concat([Buffer.from([0x80, 2]), Buffer.from("cos\nsystem\n", "latin1"), Buffer.from([0x58, 4, 0, 0, 0]), Buffer.from("true"), Buffer.from([0x85, 0x52, 0x2e])]);
  const magic = Buffer.from([0x80, 2, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
  const protocol = Buffer.from([0x80, 2, 0x4d, 0xe9, 0x03, 0x2e]);
  const info = Buffer.from([0x80, 2, 0x7d, 0x2e]);
  assert.throws(() => readTorchStateDict(Buffer.concat([magic, protocol, info, evil]), "evil.bin"), /calls os.system, which a state dict does not need; refusing/);
  const legacy = fs.readFileSync(path.join(FIXTURE, "torch", "legacy.bin"));
  assert.throws(() => readTorchStateDict(legacy.subarray(0, legacy.length - 10), "cut.bin"), /truncated/);
  assert.throws(() => readTorchStateDict(Buffer.from("{\"not\": \"torch\"}"), "x.bin"), /neither a zip archive nor a pickle/);
  const zip = fs.readFileSync(path.join(FIXTURE, "torch", "zip.bin"));
  const corrupt = Buffer.from(zip);
  corrupt[corrupt.length - 2000] ^= 0xff; // inside a storage: its CRC fails
  assert.throws(() => readTorchStateDict(corrupt, "corrupt.bin"), /CRC|corrupt|damaged/);
});
