import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { canonicalHash, canonicalJson } from "../../src/study/canonical-json";

test("canonicalJson sorts keys at every level and keeps array order", () => {
  assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  assert.equal(canonicalJson({ a: 1, skipped: undefined }), '{"a":1}');
});

test("canonicalHash is the sha256 of the canonical text, whatever the key order", () => {
  // Expected value: `printf '%s' '{"a":1}' | sha256sum` (coreutils 9.1).
  const expected = createHash("sha256").update('{"a":1}').digest("hex");
  assert.equal(expected.slice(0, 8), "015abd7f");
  assert.equal(canonicalHash({ a: 1 }, 8), "015abd7f");
  assert.equal(canonicalHash({ x: { b: 2, a: 1 } }), canonicalHash({ x: { a: 1, b: 2 } }));
  assert.notEqual(canonicalHash({ x: [1, 2] }), canonicalHash({ x: [2, 1] }));
});

test("canonicalJson refuses non-finite numbers and names where they are", () => {
  assert.throws(() => canonicalJson({ training: { learningRate: NaN } }), /\$\.training\.learningRate is NaN/);
  assert.throws(() => canonicalJson([1, Infinity]), /\$\[1\] is Infinity/);
});
