/**
 * The two evaluators rank documents by different algorithms: evaluate() sorts every ranking (rankedDocIds), the
 * file evaluator places only judged documents by binary search over byte-compared ids. On random runs full of
 * ties, unjudged and negatively graded documents, with -M and -c, they must print identical trec_eval output.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { evaluate, evaluateTrecFiles, formatFixed4, parseQrels, parseRun } from "../../src";
import { Random } from "../../src/random";

function randomCase(seed: number): { qrels: string; run: string } {
  const random = new Random(seed);
  const qrelsLines: string[] = [];
  const runLines: string[] = [];
  for (let q = 0; q < 12; q++) {
    const pool = Array.from({ length: 40 }, (_, d) => `D${(d * 37 + q) % 53}-${d % 3 === 0 ? "x" : "yy"}`);
    const judged = new Set<string>();
    for (const docId of pool) {
      if (random.next() < 0.5 && q !== 11) {
        judged.add(docId);
        qrelsLines.push(`Q${q} 0 ${docId} ${random.int(5) - 1}`); // grades -1..3
      }
    }
    if (q === 10) continue; // a qrels query with no run lines (matters for -c)
    for (const docId of pool) {
      if (random.next() < 0.8) runLines.push(`Q${q} Q0 ${docId} 0 ${(random.int(6) / 4).toFixed(2)} r${seed}`); // many ties
    }
  }
  runLines.push(`Q99 Q0 lonely 1 1.0 r${seed}`); // run query without qrels
  return { qrels: qrelsLines.join("\n") + "\n", run: runLines.join("\n") + "\n" };
}

// Small read windows make queries straddle window boundaries (and outgrow a window) in the streaming reader.
const OPTION_SETS = [
  {},
  { maxDocsPerQuery: 7, readWindowBytes: 64 },
  { averageOverQrels: true, readWindowBytes: 1000 },
  { relevanceThreshold: 2, readWindowBytes: 333 },
  { relevanceThreshold: 0, maxDocsPerQuery: 20 },
];

test("evaluate() and evaluateTrecFiles() agree on every all_trec value for random hostile runs", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "agree-"));
  let compared = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const { qrels, run } = randomCase(seed);
    const qrelsFile = path.join(folder, `qrels-${seed}.txt`);
    const runFile = path.join(folder, `run-${seed}.txt`);
    fs.writeFileSync(qrelsFile, qrels);
    fs.writeFileSync(runFile, run);
    for (const options of OPTION_SETS) {
      const fromMaps = evaluate(parseQrels(qrels), parseRun(run), ["all_trec", "mrr_cut.3", "judged.5"], options);
      const fromFiles = evaluateTrecFiles(qrelsFile, runFile, ["all_trec", "mrr_cut.3", "judged.5"], options);
      assert.deepEqual(fromFiles.queryIds, fromMaps.queryIds);
      const names = fromFiles.plan.instances.flatMap((instance) => instance.canonicalNames);
      fromFiles.queryIds.forEach((queryId, q) => {
        const expected = fromMaps.perQuery.get(queryId)!;
        names.forEach((name, v) => {
          if (!(name in expected)) return;
          assert.equal(fromFiles.perQuery[q]![v], expected[name], `seed ${seed} ${JSON.stringify(options)} ${queryId} ${name}`);
          compared++;
        });
      });
      names.forEach((name, v) => {
        if (name in fromMaps.mean) assert.equal(formatFixed4(fromFiles.all[v]!), formatFixed4(fromMaps.mean[name]!), `${name} all`);
      });
    }
  }
  assert.ok(compared > 10_000, `compared ${compared} values`);
});
