import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { formatQrels, parseQrels, readQrels } from "../../src";
import { stagedDatasetsDir } from "../../src/paths";

test("parseQrels reads qid iter docno grade, with tabs, CRLF, comments, blank lines and negative grades", () => {
  const qrels = parseQrels("# judged by NIST\r\n301\t0\tFT-1\t2\r\n\r\n301 0 FT-2 0\r\n302 Q0 LA-9 -1\r\n");
  assert.deepEqual([...qrels.keys()], ["301", "302"]);
  assert.deepEqual([...qrels.get("301")!], [["FT-1", 2], ["FT-2", 0]]);
  assert.equal(qrels.get("302")!.get("LA-9"), -1);
});

test("parseQrels: unicode ids and __proto__ are plain keys", () => {
  const qrels = parseQrels("q 0 é 1\n__proto__ 0 constructor 1\n");
  assert.equal(qrels.get("q")!.get("é"), 1);
  assert.equal(qrels.get("__proto__")!.get("constructor"), 1);
});

test("parseQrels errors name the file and line and say what to do", () => {
  assert.throws(() => parseQrels("1 0 a 1\n1 0 b\n", { file: "q.txt" }), /^DataFormatError: q\.txt:2: expected 4 fields "qid iter docno grade", got 3/);
  assert.throws(() => parseQrels("1 Q0 a 1 2.5 run\n", { file: "q.txt" }), /q\.txt:1: expected 4 fields .* Is this a run file\?/);
  assert.throws(() => parseQrels("1 0 a high\n", { file: "q.txt" }), /q\.txt:1: grade must be an integer, got "high"/);
  assert.throws(() => parseQrels("1 0 a 1\n1 0 a 1\n", { file: "q.txt" }), /q\.txt:2: document "a" is judged twice for query "1" \(first on line 1\)/);
  assert.equal(parseQrels("").size, 0);
});

test("formatQrels round-trips", () => {
  const text = "1 0 a 2\n1 0 b 0\n2 0 c -1\n";
  assert.equal(formatQrels(parseQrels(text)), text);
});

test("readQrels reads the DL19 qrels in place (9260 judgments, 43 queries)", { skip: !stagedDatasetsDir() && "no staged datasets" }, () => {
  const qrels = readQrels(path.join(stagedDatasetsDir()!, "msmarco-passage", "qrels.dl19-passage.txt"));
  assert.equal(qrels.size, 43);
  assert.equal([...qrels.values()].reduce((total, judgments) => total + judgments.size, 0), 9260); // SOURCE.md: 9260 judged pairs
});

test("readQrels reads .gz", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "qrels-")), "q.txt.gz");
  fs.writeFileSync(file, require("node:zlib").gzipSync("1 0 a 1\n"));
  assert.equal(readQrels(file).get("1")!.get("a"), 1);
});
