import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  loadSafetensors,
  parseSafetensorsHeader,
  readSafetensors,
  saveSafetensors,
  writeSafetensors,
} from "../../src/model/safetensors";
import { PROJECT_ROOT } from "../../src/paths";

// Fixture written by torch 1.13 through a hand-written safetensors writer:
//   /usr/bin/python3 data/fixtures/tiny-bert/make_fixture.py
const FIXTURE = path.join(PROJECT_ROOT, "data", "fixtures", "tiny-bert");
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as {
  dtypes: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
};

function asNumber(value: number | string): number {
  return typeof value === "number" ? value : Number(value); // "inf", "-inf" are written as strings
}

test("safetensors: decodes F16, BF16, F32 and I64 exactly as torch wrote them", () => {
  const file = loadSafetensors(path.join(FIXTURE, "dtypes.safetensors"));
  assert.deepEqual(file.metadata, { format: "pt", note: "dtype test" });
  for (const [name, reference] of Object.entries(expected.dtypes)) {
    const tensor = file.tensors[name]!;
    assert.equal(tensor.dtype, reference.dtype, name);
    assert.deepEqual(tensor.shape, reference.shape, name);
    const want = reference.values.map((v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : asNumber(v)));
    // Exact: every value was rounded by torch and stored as float32 / int64; decoding must not change a bit.
    assert.deepEqual(Array.from(tensor.values), want.map((v) => (reference.dtype === "I64" ? v : Math.fround(v))), name);
  }
});

test("safetensors: F16 and BF16 encoding rounds to nearest even, byte-identical to torch", () => {
  const bytes = fs.readFileSync(path.join(FIXTURE, "dtypes.safetensors"));
  const { entries, dataStart } = parseSafetensorsHeader(bytes);
  const base = new Float32Array(expected.dtypes.f32!.values.map((v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : asNumber(v))));
  const ours = writeSafetensors({ f16: { shape: [2, 9], values: base, dtype: "F16" }, bf16: { shape: [3, 6], values: base, dtype: "BF16" } });
  const ourHeader = parseSafetensorsHeader(ours);
  for (const name of ["f16", "bf16"]) {
    const theirs = bytes.subarray(dataStart + entries[name]!.dataOffsets[0], dataStart + entries[name]!.dataOffsets[1]);
    const mine = ours.subarray(ourHeader.dataStart + ourHeader.entries[name]!.dataOffsets[0], ourHeader.dataStart + ourHeader.entries[name]!.dataOffsets[1]);
    assert.deepEqual(Buffer.from(mine), Buffer.from(theirs), name);
  }
});

test("safetensors: write → read round trip keeps names, shapes, values and metadata", () => {
  const values = new Float32Array(6 * 5).map((_, i) => Math.sin(i) * 1e3);
  const tensors = {
    "bert.embeddings.word_embeddings.weight": { shape: [6, 5], values },
    "empty": { shape: [0, 3], values: new Float32Array(0) },
    "scalar": { shape: [], values: new Float32Array([Math.PI]) },
  };
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "safetensors-"));
  const file = path.join(folder, "model.safetensors");
  saveSafetensors(file, tensors, { format: "pt" });
  const bytes = fs.readFileSync(file);
  assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0, "header padded to 8 bytes");
  const back = loadSafetensors(file);
  assert.deepEqual(back.metadata, { format: "pt" });
  assert.deepEqual(back.tensors["bert.embeddings.word_embeddings.weight"]!.values, values);
  assert.deepEqual(back.tensors["bert.embeddings.word_embeddings.weight"]!.shape, [6, 5]);
  assert.equal(back.tensors.empty!.values.length, 0);
  assert.deepEqual(Array.from(back.tensors.scalar!.values), [Math.fround(Math.PI)]);
  assert.deepEqual(fs.readdirSync(folder), ["model.safetensors"], "no temporary file left behind");
  // Decoding only some tensors.
  assert.deepEqual(Object.keys(readSafetensors(bytes, { names: ["scalar"] }).tensors), ["scalar"]);
  assert.throws(() => readSafetensors(bytes, { names: ["nope"] }), /no tensor named "nope"/);
  fs.rmSync(folder, { recursive: true });
});

function withHeader(header: unknown, dataBytes: number): Uint8Array {
  const text = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + text.length + dataBytes);
  out.writeBigUInt64LE(BigInt(text.length), 0);
  text.copy(out, 8);
  return out;
}

test("safetensors: hostile files fail with errors that say what is wrong", () => {
  const good = writeSafetensors({ w: { shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) } });
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty", new Uint8Array(0), /shorter than the 8-byte header length/],
    ["truncated data", good.subarray(0, good.length - 1), /truncated/],
    ["trailing bytes", Buffer.concat([good, Buffer.from([0])]), /trailing bytes/],
    ["huge header length", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]), /exceeds/],
    ["header past the end", Buffer.from([0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b]), /truncated/],
    ["not JSON", Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("{x")]), /not valid JSON/],
    ["JSON array", withHeader([1, 2], 0), /JSON object/],
    ["unknown dtype", withHeader({ w: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, 1), /dtype "F8_E4M3"; supported: F64, F32/],
    ["negative dim", withHeader({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, 4), /non-negative integers/],
    ["size mismatch", withHeader({ w: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, 4), /needs 8 bytes but its data_offsets span 4/],
    ["gap", withHeader({ w: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8), /starts at byte 4 .* expected 0/],
    ["overlap", withHeader({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 4), /overlap or leave a gap/],
    ["metadata not strings", withHeader({ __metadata__: { n: 1 } }, 0), /__metadata__.n must be a string/],
  ];
  for (const [name, bytes, message] of cases) {
    assert.throws(() => readSafetensors(bytes, { source: name }), (error: Error) => message.test(error.message) && error.message.includes(name), name);
  }
  assert.throws(() => writeSafetensors({ w: { shape: [3], values: new Float32Array(2) } }), /shape \[3\] \(3 elements\) but 2 values/);
});
