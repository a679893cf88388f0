/**
 * BM25 top-100 for TREC DL 2019 passages gives nDCG@10 = 0.5058 with trec_eval's defaults (the published
 * Anserini BM25 default figure; ../shared/datasets/trec-dl-passage-candidates/SOURCE.md).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { evaluate, formatFixed4, readQrels, readRun } from "../../src";
import { PROJECT_ROOT, stagedDatasetsDir } from "../../src/paths";

const DATASETS = stagedDatasetsDir() ?? "";
const QRELS = path.join(DATASETS, "msmarco-passage", "qrels.dl19-passage.txt");
const RUN = path.join(DATASETS, "trec-dl-passage-candidates", "BM25", "trec_results_dl19.txt");
const HAVE_DATA = DATASETS !== "" && fs.existsSync(QRELS) && fs.existsSync(RUN);

test("evaluate: BM25 on DL19 has nDCG@10 0.5058 over 43 queries", { skip: !HAVE_DATA && "no staged datasets" }, () => {
  const result = evaluate(readQrels(QRELS), readRun(RUN), ["ndcg_cut.10", "map", "recip_rank", "P.10", "recall.100", "mrr_cut.10"]);
  assert.equal(result.queryIds.length, 43);
  assert.equal(formatFixed4(result.mean["ndcg@10"]!), "0.5058");
  assert.deepEqual(result.measures, ["map", "mrr", "P@10", "recall@100", "ndcg@10", "mrr@10"]);
});

test("eval CLI: BM25 on DL19 prints ndcg_cut_10 0.5058", { skip: !HAVE_DATA && "no staged datasets" }, () => {
  const output = execFileSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "rerank-scaling.js"), "eval", "-m", "ndcg_cut.10", QRELS, RUN], { encoding: "utf8" });
  assert.equal(output, "ndcg_cut_10           \tall\t0.5058\n");
});

test("evaluate: BM25 on DL20 has nDCG@10 0.4796 (SOURCE.md's second reference figure)", { skip: !HAVE_DATA && "no staged datasets" }, () => {
  const qrels = readQrels(path.join(DATASETS, "msmarco-passage", "qrels.dl20-passage.txt"));
  const run = readRun(path.join(DATASETS, "trec-dl-passage-candidates", "BM25", "trec_results_dl20.txt"));
  assert.equal(formatFixed4(evaluate(qrels, run, ["ndcg@10"]).mean["ndcg@10"]!), "0.4796");
});
