/**
 * Hostile runs and qrels, through both evaluators (the notebook API on parsed maps and the CLI's byte scanner).
 * Expected values are computed by hand from trec_eval's rules (comments show the arithmetic).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { evaluate, evaluateTrecFiles, formatFixed4, parseQrels, parseRun, relevanceString } from "../../src";
import { judgedRanking } from "../../src/metrics/judged-ranking";

// q1: grades a=2, b=0, c=1, d=-1 (in pool, unjudged); q2: x=1; q3: only in qrels; q4: only in the run.
const QRELS = "q1 0 a 2\nq1 0 b 0\nq1 0 c 1\nq1 0 d -1\nq2 0 x 1\nq3 0 y 1\n";
// Rank column disagrees with the scores; a and c tie at 3.0 (docno descending: c before a); CRLF endings,
// a comment line and a blank line.
const RUN = [
  "# produced by a hostile scorer",
  "q1 Q0 b 1 5.0 tag",
  "q1 Q0 a 2 3.0 tag",
  "q1 Q0 c 3 3.0 tag",
  "q1 Q0 d 4 9.0 tag",
  "q1 Q0 e 5 1.0 tag",
  "",
  "q2 Q0 z 1 1.0 tag",
  "q2 Q0 x 2 0.5 tag",
  "q4 Q0 w 1 1 last",
].join("\r\n") + "\r\n";
const MEASURES = ["map", "recip_rank", "P.5", "ndcg_cut.5", "bpref", "unj.5", "judged.5", "num_ret", "num_rel_ret"];

// q1 order: d(9) b(5) c(3) a(3) e(1) → relevance [-2, 0, 1, 2, -1]
//   map = (1/3 + 2/4) / 2 = 0.41667; recip_rank = 1/3; P@5 = 2/5
//   ndcg@5 = (1/log2 4 + 2/log2 5) / (2/log2 2 + 1/log2 3) = 1.361353 / 2.630930 = 0.517442
//   bpref: one judged non-relevant (b) ranked above both relevant → 0; unj@5 = 2/5; judged@5 = 3/5
// q2 order: z(1.0) x(0.5) → [-1, 1]: map 0.5, rr 0.5, P@5 0.2, ndcg@5 = (1/log2 3)/1 = 0.630930, bpref 1, unj@5 1/5
const EXPECTED_Q1 = { map: 0.416667, mrr: 0.333333, "P@5": 0.4, "ndcg@5": 0.517442, bpref: 0, "unj@5": 0.4, "judged@5": 0.6, num_ret: 5, num_rel_ret: 2 };
const EXPECTED_Q2 = { map: 0.5, mrr: 0.5, "P@5": 0.2, "ndcg@5": 0.63093, bpref: 1, "unj@5": 0.2, "judged@5": 0.2, num_ret: 2, num_rel_ret: 1 };
const TOLERANCE = 1e-6; // the hand arithmetic above is rounded to 6 decimals

function assertClose(actual: Record<string, number> | undefined, expected: Record<string, number>, label: string): void {
  assert.ok(actual, label);
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(Math.abs(actual[name]! - value) < TOLERANCE, `${label} ${name}: ${actual[name]} vs ${value}`);
  }
}

function writeTemporary(name: string, text: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-eval-"));
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

function filesResult(qrels: string, run: string, measures: string[], options = {}) {
  const evaluation = evaluateTrecFiles(writeTemporary("qrels.txt", qrels), writeTemporary("run.txt", run), measures, options);
  const names = evaluation.plan.instances.flatMap((instance) => instance.canonicalNames);
  const record = (values: Float64Array) => Object.fromEntries(names.map((name, i) => [name, values[i]!]));
  return { evaluation, perQuery: new Map(evaluation.queryIds.map((id, q) => [id, record(evaluation.perQuery[q]!)])), all: record(evaluation.all) };
}

test("API: rank column ignored, ties by docno descending, CRLF, comments, negative grades", () => {
  const result = evaluate(parseQrels(QRELS), parseRun(RUN), MEASURES);
  assert.deepEqual(result.queryIds, ["q1", "q2"]);
  assertClose(result.perQuery.get("q1"), EXPECTED_Q1, "q1");
  assertClose(result.perQuery.get("q2"), EXPECTED_Q2, "q2");
  assert.deepEqual(result.runQueriesWithoutQrels, ["q4"]);
  assert.deepEqual(result.qrelsQueriesWithoutRun, ["q3"]);
  assert.equal(formatFixed4(result.mean.map!), "0.4583"); // (0.41667 + 0.5) / 2
});

test("files: the byte scanner gives the same values and the run tag of the last line", () => {
  const { evaluation, perQuery, all } = filesResult(QRELS, RUN, MEASURES);
  assertClose(perQuery.get("q1"), EXPECTED_Q1, "q1");
  assertClose(perQuery.get("q2"), EXPECTED_Q2, "q2");
  assert.equal(evaluation.runTag, "last");
  assert.deepEqual(evaluation.runQueriesWithoutQrels, ["q4"]);
  assert.equal(formatFixed4(all.map!), "0.4583");
});

test("-c averages over every qrels query; the missing one scores 0", () => {
  // map = (0.41667 + 0.5 + 0) / 3 = 0.30556
  const api = evaluate(parseQrels(QRELS), parseRun(RUN), ["map", "num_q"], { averageOverQrels: true });
  assert.equal(formatFixed4(api.mean.map!), "0.3056");
  assert.equal(api.mean.num_q, 3);
  assert.equal(api.perQuery.get("q3")?.map, 0);
  const files = filesResult(QRELS, RUN, ["map", "num_q"], { averageOverQrels: true });
  assert.equal(formatFixed4(files.all.map!), "0.3056");
});

test("streaming in tiny windows gives the same values and error line numbers", () => {
  assertClose(filesResult(QRELS, RUN, MEASURES, { readWindowBytes: 16 }).perQuery.get("q1"), EXPECTED_Q1, "q1");
  const run = "q1 Q0 a 1 2 t\n# note\nq1 Q0 b 2 1 t\nq2 Q0 x 1 1 t\nq1 Q0 c 3 0.5 t\n";
  assertClose(filesResult(QRELS, run, ["map"], { readWindowBytes: 8 }).perQuery.get("q1"), { map: (1 + 2 / 3) / 2 }, "regrouped q1"); // order a b c, relevant a and c: (1/1 + 2/3) / 2
  assert.throws(() => filesResult(QRELS, "q1 Q0 a 1 2 t\n# x\nq1 Q0 b 2 1 t\nq1 Q0 a 3 1 t\n", ["map"], { readWindowBytes: 8 }), /run\.txt:4: document "a" is listed twice for one query \(first on line 1\)/);
});

test("runs not grouped by query are evaluated the same", () => {
  const lines = RUN.split("\r\n").filter((line) => line.startsWith("q"));
  const shuffled = [lines[5], lines[0], lines[6], lines[1], lines[2], lines[7], lines[3], lines[4]].join("\n") + "\n";
  assertClose(filesResult(QRELS, shuffled, MEASURES).perQuery.get("q1"), EXPECTED_Q1, "q1");
});

test("-M keeps the top N by score, not by rank column", () => {
  // Top 3 of q1: d b c → relevance [-2, 0, 1]: num_ret 3, num_rel_ret 1, P@5 = 1/5
  const files = filesResult(QRELS, RUN, ["num_ret", "num_rel_ret", "P.5"], { maxDocsPerQuery: 3 });
  assert.deepEqual(files.perQuery.get("q1"), { num_ret: 3, num_rel_ret: 1, "P@5": 0.2 });
  const api = evaluate(parseQrels(QRELS), parseRun(RUN), ["num_ret", "num_rel_ret", "P.5"], { maxDocsPerQuery: 3 });
  assert.deepEqual(api.perQuery.get("q1"), { num_ret: 3, num_rel_ret: 1, "P@5": 0.2 });
});

test("relstring marks unjudged ('.') and unpooled ('-') documents", () => {
  const grades = new Map([["a", 2], ["b", 0], ["c", 1], ["d", -1]]);
  assert.equal(relevanceString(10, judgedRanking(["d", "b", "c", "a", "e"], grades, 1)), ".012-");
});

test("duplicate documents in a run are an error naming file and both lines, as in trec_eval", () => {
  const run = "q1 Q0 a 1 2 t\nq1 Q0 b 2 1 t\nq1 Q0 a 3 0.5 t\n";
  assert.throws(() => parseRun(run, { file: "dup.run" }), /dup\.run:3: document "a" is listed twice for query "q1" \(first on line 1\)/);
  assert.throws(() => filesResult(QRELS, run, ["map"]), /run\.txt:3: document "a" is listed twice for one query \(first on line 1\)/);
});

test("NaN scores are an error with the line", () => {
  const run = "q1 Q0 a 1 2 t\nq1 Q0 b 2 NaN t\n";
  assert.throws(() => parseRun(run, { file: "nan.run" }), /nan\.run:2: score must be a number, got "NaN"/);
  assert.throws(() => filesResult(QRELS, run, ["map"]), /run\.txt:2: score must be a number, got "NaN"/);
});

test("malformed lines are errors with the line", () => {
  assert.throws(() => parseRun("q1 Q0 a 1 2 t\nq1 Q0 b 2\n", { file: "short.run" }), /short\.run:2: expected 6 fields/);
  assert.throws(() => filesResult(QRELS, "q1 Q0 a 1 2 t\nq1 Q0 b 2\n", ["map"]), /run\.txt:2: expected 6 fields/);
  assert.throws(() => filesResult(QRELS, "q1 0 a 1\n", ["map"]), /got 4 \(.*\)\. Is this a qrels file\?/);
  assert.throws(() => parseQrels("q1 0 a\n", { file: "bad.qrels" }), /bad\.qrels:1: expected 4 fields/);
  assert.throws(() => parseQrels("q1 0 a 1.5\n", { file: "bad.qrels" }), /grade must be an integer, got "1\.5"/);
  assert.throws(() => parseQrels("q1 0 a 1\nq1 0 a 0\n", { file: "dup.qrels" }), /dup\.qrels:2: document "a" is judged twice/);
});

test("scores in exponent form, with + sign, and huge values are read as strtod would", () => {
  const run = "q2 Q0 x 1 1e-3 t\nq2 Q0 z 2 +0.00099999999999999999 t\nq2 Q0 w 3 -1.7976931348623157e308 t\n";
  const { perQuery } = filesResult(QRELS, run, ["recip_rank"]);
  // 0.00099999999999999999 rounds to the same double as 1e-3, so x and z tie and z (docno descending) ranks first.
  assert.equal(perQuery.get("q2")!.mrr, 0.5);
});
