import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MEASURE_GROUPS, resolveMeasures, toCanonicalMeasure, toTrecMeasure } from "../../src";

test("toCanonicalMeasure maps every trec_eval spelling to one canonical name", () => {
  const cases: Array<[string, string]> = [
    ["ndcg_cut_10", "ndcg@10"], ["ndcg_cut.10", "ndcg@10"], ["ndcg@10", "ndcg@10"], ["nDCG@10", "ndcg@10"],
    ["P_10", "P@10"], ["P.10", "P@10"], ["p@10", "P@10"], ["recall_100", "recall@100"], ["recall.100", "recall@100"],
    ["map", "map"], ["map_cut.10", "map@10"], ["recip_rank", "mrr"], ["mrr", "mrr"], ["mrr_cut.10", "mrr@10"], ["MRR@10", "mrr@10"],
    ["iprec_at_recall_0.10", "iprec_at_recall@0.10"], ["success.1", "success@1"], ["judged.10", "judged@10"], ["ndcg", "ndcg"],
    ["utility.2,-1,0,0", "utility_2,-1,0,0"], ["ndcg.1=3,2=9", "ndcg_1=3,2=9"],
  ];
  for (const [name, canonical] of cases) assert.equal(toCanonicalMeasure(name), canonical, name);
});

test("toTrecMeasure gives trec_eval's -m argument and printed name", () => {
  assert.deepEqual(toTrecMeasure("ndcg@10"), { argument: "ndcg_cut.10", printed: "ndcg_cut_10" });
  assert.deepEqual(toTrecMeasure("P@10"), { argument: "P.10", printed: "P_10" });
  assert.deepEqual(toTrecMeasure("mrr"), { argument: "recip_rank", printed: "recip_rank" });
  assert.deepEqual(toTrecMeasure("mrr@10"), { argument: "mrr_cut.10", printed: "mrr_cut_10" });
  for (const name of ["ndcg@10", "map@100", "recall@1000", "success@5", "iprec_at_recall@0.50"]) {
    assert.equal(toCanonicalMeasure(toTrecMeasure(name).printed), name, `round trip ${name}`);
    assert.equal(toCanonicalMeasure(toTrecMeasure(name).argument), name, `round trip ${name}`);
  }
});

test("resolveMeasures: trec_eval order, sorted cutoffs, merged requests, group expansion", () => {
  const instances = resolveMeasures(["P.10,5", "ndcg_cut.10", "map", "P.20"]);
  assert.deepEqual(instances.map((instance) => instance.trecNames), [["map"], ["P_5", "P_10", "P_20"], ["ndcg_cut_10"]]);
  assert.equal(resolveMeasures(["all_trec"]).length, MEASURE_GROUPS.all_trec!.length);
  assert.deepEqual(resolveMeasures(["all_trec", "relstring.20"]).find((i) => i.declaration.trecName === "relstring")!.trecNames, ["relstring_20"]);
  assert.deepEqual(resolveMeasures(["ndcg_cut.10,20,23.4"])[0]!.trecNames, ["ndcg_cut_10", "ndcg_cut_20", "ndcg_cut_23"]);
});

test("measure errors list the known names and say how to fix", () => {
  assert.throws(() => resolveMeasures(["ndcg_cutt.10"]), /unknown measure "ndcg_cutt\.10"\. Known trec_eval names: runid, .*ndcg_cut/);
  assert.throws(() => resolveMeasures(["P.0"]), /cutoffs must be positive integers, got "0"/);
  assert.throws(() => resolveMeasures(["P.5,5"]), /duplicate cutoffs/);
  assert.throws(() => resolveMeasures(["map.5"]), /map takes no parameters/);
  assert.throws(() => resolveMeasures(["ndcg.1"]), /name=value pairs/);
  assert.throws(() => toCanonicalMeasure("P.5,10"), /denotes 2 values/);
});
