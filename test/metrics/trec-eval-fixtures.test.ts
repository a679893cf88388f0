/**
 * The CLI reproduces trec_eval's own expected outputs byte for byte.
 * Expected files: usnistgov/trec_eval test/ (snapshot f4253652), staged in ../shared/datasets/trec_eval-fixtures;
 * the commands are those listed in its SOURCE.md (upstream Makefile `quicktest`).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { evaluate, formatFixed4, readQrels, readRun } from "../../src";
import { PROJECT_ROOT, stagedDatasetsDir } from "../../src/paths";

const DATASETS = stagedDatasetsDir();
const FOLDER = DATASETS ? path.join(DATASETS, "trec_eval-fixtures", "usnistgov-test") : "";
const HAVE_FIXTURES = FOLDER !== "" && fs.existsSync(FOLDER);

/** trec_eval measures printed in these fixtures that we do not compute (none: every one is supported). */
const UNSUPPORTED_MEASURES: readonly string[] = [];

const CASES: ReadonlyArray<{ expected: string; args: string[] }> = [
  { expected: "out.test", args: ["qrels.test", "results.test"] },
  { expected: "out.test", args: ["qrels.test.with-comments", "results.test"] },
  { expected: "out.comment.test", args: ["qrels.comment.test", "results.comment.test"] },
  { expected: "out.test.a", args: ["-m", "all_trec", "qrels.test", "results.test"] },
  { expected: "out.test.aq", args: ["-m", "all_trec", "-q", "qrels.test", "results.test"] },
  { expected: "out.test.aqc", args: ["-m", "all_trec", "-q", "-c", "qrels.test", "results.trunc"] },
  { expected: "out.test.aqcM", args: ["-m", "all_trec", "-q", "-c", "-M100", "qrels.test", "results.trunc"] },
  { expected: "out.test.aql", args: ["-m", "all_trec", "-mrelstring.20", "-q", "-l2", "qrels.rel_level", "results.test"] },
  {
    expected: "out.test.meas_params",
    args: [
      "-q", "-miprec_at_recall..10,.20,.25,.75,.50", "-m", "P.5,7,3", "-m", "recall.20,2000", "-m", "Rprec_mult.5.0,0.2,0.35",
      "-mutility.2,-1,0,0", "-m", "11pt_avg..25,.5,.75", "-mndcg.1=3,2=9,4=4.5", "-mndcg_cut.10,20,23.4", "-msuccess.2,5,20",
      "qrels.test", "results.test",
    ],
  },
];

function runCli(args: string[]): string {
  const withPaths = args.map((arg) => (fs.existsSync(path.join(FOLDER, arg)) ? path.join(FOLDER, arg) : arg));
  return execFileSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "rerank-scaling.js"), "eval", ...withPaths], { encoding: "latin1" });
}

for (const { expected, args } of CASES) {
  test(`eval ${args.join(" ")} reproduces ${expected} exactly`, { skip: !HAVE_FIXTURES && "no staged datasets" }, () => {
    const expectedText = fs.readFileSync(path.join(FOLDER, expected), "latin1");
    const expectedLines = expectedText.split("\n").filter((line) => !UNSUPPORTED_MEASURES.includes(line.split(/\s+/)[0]!));
    const actualLines = runCli(args).split("\n");
    assert.equal(actualLines.length, expectedLines.length, "same number of lines");
    expectedLines.forEach((line, i) => assert.equal(actualLines[i], line, `line ${i + 1}`));
  });
}

test("evaluate() (the notebook API, which sorts whole rankings) agrees with out.test.aq per query", { skip: !HAVE_FIXTURES && "no staged datasets" }, () => {
  const result = evaluate(readQrels(path.join(FOLDER, "qrels.test")), readRun(path.join(FOLDER, "results.test")), ["all_trec"]);
  const expected = fs.readFileSync(path.join(FOLDER, "out.test.aq"), "utf8").trim().split("\n").map((line) => line.split("\t").map((field) => field.trim()));
  let compared = 0;
  for (const [trecName, queryId, value] of expected) {
    const index = result.trecNames.indexOf(trecName!);
    if (index < 0 || trecName === "runid" || trecName === "relstring") continue;
    const canonical = result.measures[index]!;
    const actual = queryId === "all" ? result.mean[canonical] : result.perQuery.get(queryId!)?.[canonical];
    if (actual === undefined) continue; // all-only measures have no per-query value
    const text = Number.isInteger(actual) && !value!.includes(".") ? String(actual) : formatFixed4(actual);
    assert.equal(text, value, `${trecName} ${queryId}`);
    compared++;
  }
  assert.ok(compared > 380, `compared ${compared} values`);
});
