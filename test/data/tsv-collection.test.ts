import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readMsMarcoTriples } from "../../src/data/loaders/msmarco-triples";
import { loadTsvCollection } from "../../src/data/loaders/tsv-collection";
import { pairsScored } from "../../src/data/training-examples";
import { requireStagedDatasets } from "./staged-datasets";

test("an MS MARCO-style TSV collection loads with topics, qrels and a TREC run as candidates", async () => {
  const root = requireStagedDatasets();
  // The 4,103-passage DL19 relevant-passage collection with DL19 topics, binary qrels and the BM25 run (SOURCE.md counts).
  const dataset = await loadTsvCollection({
    name: "dl19-relevant",
    collection: path.join(root, "trec-dl19-judged-relevant-passages", "collection.tsv"),
    splits: {
      test: {
        topics: path.join(root, "trec-dl19-judged-relevant-passages", "queries.tsv"),
        qrels: path.join(root, "trec-dl19-judged-relevant-passages", "qrels.binary-ge1.txt"),
        runs: { BM25: path.join(root, "trec-dl-passage-candidates", "BM25", "trec_results_dl19.txt") },
      },
    },
  });
  assert.equal(dataset.documents.size, 4103);
  assert.equal(dataset.splits.test!.queryIds.length, 43);
  assert.equal([...dataset.splits.test!.qrels.values()].reduce((total, byDoc) => total + byDoc.size, 0), 4102);
  assert.equal([...dataset.splits.test!.candidates!.BM25!.values()].reduce((total, scores) => total + scores.size, 0), 4300);
});

test("MS MARCO triples become pairwise examples; a short line fails with file and line", async () => {
  const root = requireStagedDatasets();
  const examples = await readMsMarcoTriples(path.join(root, "msmarco-train-triples-sample", "triples.train.small.first100.tsv"));
  assert.equal(examples.length, 100);
  assert.equal(pairsScored(examples), 200);
  assert.deepEqual(examples[0]!.labels, [1, 0]);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-triples-"));
  fs.writeFileSync(path.join(folder, "t.tsv"), "q\tpos\tneg\nq2\tpos only\n");
  await assert.rejects(readMsMarcoTriples(path.join(folder, "t.tsv")), /t\.tsv:2: expected 3 tab-separated fields/);
});
