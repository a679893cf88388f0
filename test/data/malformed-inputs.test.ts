import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCsv } from "../../src/data/csv-rows";
import { getSplit } from "../../src/data/dataset";
import { loadBeirFolder } from "../../src/data/loaders/beir";
import { readJsonl } from "../../src/data/read-jsonl";
import { streamQrels } from "../../src/data/read-qrels";
import { readTsv } from "../../src/data/read-tsv";
import { parseSmartRecords } from "../../src/data/smart-records";
import { parsePythonStringList } from "../../src/data/python-string-list";

function scratch(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-malformed-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

const GOOD_QUERIES = '{"_id": "q1", "text": "wing"}\n';
const GOOD_QRELS = "query-id\tcorpus-id\tscore\nq1\td1\t1\n";

test("a truncated JSON-lines record fails naming the file and line", async () => {
  const folder = scratch({
    "corpus.jsonl": '{"_id": "d1", "text": "lift"}\n{"_id": "d2", "text": "heat"}\n{"_id": "d3", "te',
    "queries.jsonl": GOOD_QUERIES,
    "qrels/test.tsv": GOOD_QRELS,
  });
  await assert.rejects(loadBeirFolder("broken", folder), (error: Error) => {
    assert.equal(error.name, "DataFormatError");
    assert.match(error.message, new RegExp(`^${path.join(folder, "corpus.jsonl").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: not valid JSON`));
    assert.match(error.message, /cut short/);
    return true;
  });
});

test("a JSON-lines record without its id fails naming file, line and field", async () => {
  const folder = scratch({ "x.jsonl": '{"_id": "d1", "text": "a"}\n\n{"text": "no id"}\r\n' });
  await assert.rejects(readJsonl(path.join(folder, "x.jsonl"), (record, line) => {
    if (typeof record._id !== "string") throw new Error(`line ${line}: missing _id`);
  }), /line 3: missing _id/);
});

test("a TREC qrels line with 3 fields fails naming the file and line", async () => {
  const folder = scratch({ "qrels.txt": "1 0 d1 1\n1 0 d2 0\n1 d3 1\n" });
  await assert.rejects(streamQrels(path.join(folder, "qrels.txt"), new Map()), (error: Error) => {
    assert.equal(error.message, `${path.join(folder, "qrels.txt")}:3: expected 4 fields "qid iter docno grade", got 3: "1 d3 1".`);
    return true;
  });
});

test("a BEIR qrels line with a non-integer score fails naming the file and line", async () => {
  const folder = scratch({ "qrels.tsv": "query-id\tcorpus-id\tscore\nq1\td1\thigh\n" });
  await assert.rejects(streamQrels(path.join(folder, "qrels.tsv"), new Map(), { format: "beir" }), /qrels\.tsv:2: grade must be an integer, got "high"/);
});

test("a missing split names the splits that exist", async () => {
  const folder = scratch({ "corpus.jsonl": '{"_id": "d1", "text": "lift"}\n', "queries.jsonl": GOOD_QUERIES, "qrels/test.tsv": GOOD_QRELS, "qrels/dev.tsv": GOOD_QRELS });
  const dataset = await loadBeirFolder("mini", folder);
  assert.throws(() => getSplit(dataset, "train"), { message: 'mini: no split "train". Splits of this dataset: dev, test.' });
});

test("a repeated BEIR document id keeps the first record and is reported; Windows line endings and unicode pass", async () => {
  const folder = scratch({
    "corpus.jsonl": '{"_id": "d1", "text": "first"}\r\n{"_id": 2, "text": "naïve café 中文"}\r\n{"_id": "d1", "text": "second"}\r\n',
    "queries.jsonl": GOOD_QUERIES,
    "qrels/test.tsv": GOOD_QRELS,
  });
  const dataset = await loadBeirFolder("dups", folder);
  assert.equal(dataset.documents.get("d1")?.text, "first");
  assert.equal(dataset.documents.get("2")?.text, "naïve café 中文");
  assert.match(dataset.notes[0]!, /1 repeated document ids kept their first record \(d1 \(line 3\)\)/);
});

test("a BEIR folder without a file says which one", async () => {
  const folder = scratch({ "corpus.jsonl": "", "qrels/test.tsv": GOOD_QRELS });
  await assert.rejects(loadBeirFolder("mini", folder), /queries\.jsonl does not exist/);
});

test("a TSV row with too few fields fails naming the file and line; \\r\\n endings and a BOM are accepted", async () => {
  const folder = scratch({ "ok.tsv": "\ufeff1\tfirst\r\n2\tsecond\tmore\r\n", "bad.tsv": "1\tfirst\n2\n" });
  const rows: string[][] = [];
  await readTsv(path.join(folder, "ok.tsv"), 2, (fields) => rows.push(fields), { joinExtra: true });
  assert.deepEqual(rows, [["1", "first"], ["2", "second\tmore"]]);
  await assert.rejects(readTsv(path.join(folder, "bad.tsv"), 2, () => undefined), /bad\.tsv:2: expected 2 tab-separated fields, got 1/);
});

test("SMART text outside a record fails naming the file and line", () => {
  const folder = scratch({ "bad.all": "stray text\n.I 1\n.W\nbody\n", "ok.all": ".I 1\r\n.T\r\ntitle\r\n.W\r\nsome\r\ntext\r\n.I 2\n.W\nmore\n" });
  assert.throws(() => parseSmartRecords(path.join(folder, "bad.all")), /bad\.all:1: text outside a SMART field/);
  assert.deepEqual(parseSmartRecords(path.join(folder, "ok.all")).map((record) => [record.id, record.fields]), [["1", { T: "title", W: "some text" }], ["2", { W: "more" }]]);
});

test("CSV follows RFC 4180 quoting and reports an unclosed quote with its line", () => {
  assert.deepEqual(parseCsv('a,b\r\n1,"x, ""y"""\n2,"multi\nline"\n'), [["a", "b"], ["1", 'x, "y"'], ["2", "multi\nline"]]);
  assert.throws(() => parseCsv('a,b\n1,2\n3,"open\n', "claims.csv"), /claims\.csv:3: quoted field is never closed/);
});

test("Python list reprs of sentences parse, quotes and escapes included", () => {
  assert.deepEqual(parsePythonStringList(`['One.'\n 'It\\'s "two".' "Don't"]`), ["One.", `It's "two".`, "Don't"]);
  assert.deepEqual(parsePythonStringList("['caf\\xe9', 'a\\\\b']"), ["café", "a\\b"]);
  assert.equal(parsePythonStringList("not a list"), undefined);
  assert.equal(parsePythonStringList("['unclosed]"), undefined);
});
