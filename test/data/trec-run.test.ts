import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { formatRun, parseRun, parseRunWithTag, rankedDocIds, readRun, writeRun } from "../../src";
import { stagedDatasetsDir } from "../../src/paths";

test("parseRunWithTag keeps scores, ignores rank and extra columns, and returns the last line's tag", () => {
  const { run, runTag } = parseRunWithTag("1 Q0 a 7 2.5 first extra\r\n1 Q0 b 1 -1e3 x\n2 Q0 c 1 inf last\n");
  assert.deepEqual([...run.get("1")!], [["a", 2.5], ["b", -1000]]);
  assert.equal(run.get("2")!.get("c"), Infinity);
  assert.equal(runTag, "last");
});

test("rankedDocIds: score descending, ties by document id descending (trec_eval), rank column irrelevant", () => {
  const run = parseRun("1 Q0 a 1 1 t\n1 Q0 c 2 1 t\n1 Q0 b 3 2 t\n1 Q0 é 4 1 t\n");
  // é (U+00E9, bytes C3 A9) sorts after c in both UTF-16 and UTF-8 byte order.
  assert.deepEqual(rankedDocIds(run.get("1")!), ["b", "é", "c", "a"]);
});

test("parseRun errors: short lines, NaN and text scores, duplicates", () => {
  assert.throws(() => parseRun("1 Q0 a 1 2\n", { file: "r.txt" }), /r\.txt:1: expected 6 fields "qid Q0 docno rank score tag", got 5/);
  assert.throws(() => parseRun("1 0 a 1\n", { file: "r.txt" }), /Is this a qrels file\?/);
  assert.throws(() => parseRun("1 Q0 a 1 nan t\n", { file: "r.txt" }), /r\.txt:1: score must be a number, got "nan"/);
  assert.throws(() => parseRun("1 Q0 a 1 high t\n", { file: "r.txt" }), /score must be a number, got "high"/);
  assert.throws(() => parseRun("1 Q0 a 1 1 t\n1 Q0 a 2 0 t\n", { file: "r.txt" }), /r\.txt:2: document "a" is listed twice for query "1" \(first on line 1\)/);
});

test("writeRun writes ranks that agree with the scores, atomically, and reads back equal", () => {
  const run = new Map([["q", new Map([["a", 1], ["b", 3], ["c", 1]])]]);
  assert.equal(formatRun(run, { runTag: "mine" }), "q Q0 b 1 3 mine\nq Q0 c 2 1 mine\nq Q0 a 3 1 mine\n");
  assert.equal(formatRun(run, { runTag: "mine", depth: 1 }), "q Q0 b 1 3 mine\n");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "run-")), "nested", "run.txt");
  writeRun(file, run);
  assert.deepEqual(readRun(file), run);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["run.txt"]);
  assert.throws(() => formatRun(run, { runTag: "two words" }), /runTag must be a non-empty word/);
});

test("readRun reads the DL19 BM25 run in place (43 queries × 100)", { skip: !stagedDatasetsDir() && "no staged datasets" }, () => {
  const run = readRun(path.join(stagedDatasetsDir()!, "trec-dl-passage-candidates", "BM25", "trec_results_dl19.txt"));
  assert.equal(run.size, 43);
  assert.ok([...run.values()].every((scores) => scores.size === 100));
});
