import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as datasets from "../../src/data/datasets";
import { judgmentCount } from "../../src/data/dataset";
import { requireStagedDatasets } from "./staged-datasets";

/**
 * Counts each registered dataset must load with. Numbers come from the staged copies' SOURCE.md files
 * (../shared/datasets/<folder>/SOURCE.md, "Counts" sections); where our loader's choice differs, the comment says why.
 */
const EXPECTED: Record<string, { documents: number; splits: Record<string, { queries: number; judgments: number }> }> = {
  // msmarco-passage/SOURCE.md: DL19 43 q, 9,260 judgments. trec-dl-passage-candidates/SOURCE.md: union of 6
  // retrievers 14,581 passages; + trec-dl19-judged-relevant-passages adds the 1,357 relevant ones missing from the lists.
  "trec-dl-2019": { documents: 14581 + 1357, splits: { test: { queries: 43, judgments: 9260 } } },
  // DL20: 54 judged of 200 topics, 11,386 judgments; union of 6 retrievers 15,495 passages.
  "trec-dl-2020": { documents: 15495, splits: { test: { queries: 54, judgments: 11386 } } },
  // scifact/SOURCE.md: 5,183 abstracts; train 809 claims / 919 qrels; test 300 / 339.
  scifact: { documents: 5183, splits: { train: { queries: 809, judgments: 919 }, test: { queries: 300, judgments: 339 } } },
  // nfcorpus/SOURCE.md: test 12,334 judgments, 323 BEIR queries; dev 324 judged queries, 11,385 judgments.
  // Documents: test.docs (3,162 records: SOURCE.md's 3,161 is `wc -l` of a file without a final newline) ∪ dev.docs = 3,395.
  nfcorpus: { documents: 3395, splits: { dev: { queries: 324, judgments: 11385 }, test: { queries: 323, judgments: 12334 } } },
  // wikiqa/SOURCE.md: train 20,360 rows, 2,118 questions; test 6,165 rows, 633 questions. Documents: one per train
  // row (ids were replaced by row counters) + the 5,961 distinct test SentenceIDs (questions on the same page share them).
  wikiqa: { documents: 20360 + 5961, splits: { train: { queries: 2118, judgments: 20360 }, test: { queries: 633, judgments: 6165 } } },
  // cranfield/SOURCE.md: 1,400 documents; 225 queries; 1,837 qrels lines.
  cranfield: { documents: 1400, splits: { test: { queries: 225, judgments: 1837 } } },
  // cisi/SOURCE.md: 1,460 documents; 112 queries, 76 judged; 3,114 pairs.
  cisi: { documents: 1460, splits: { test: { queries: 76, judgments: 3114 } } },
  // medline/SOURCE.md: 1,033 documents; 30 queries; 696 pairs.
  medline: { documents: 1033, splits: { test: { queries: 30, judgments: 696 } } },
  // adi/SOURCE.md: 82 documents; 35 queries; 170 pairs.
  adi: { documents: 82, splits: { test: { queries: 35, judgments: 170 } } },
  // cacm/SOURCE.md: 3,204 documents; 64 queries (52 judged); 796 pairs.
  cacm: { documents: 3204, splits: { test: { queries: 52, judgments: 796 } } },
  // vaswani-npl/SOURCE.md: 11,429 documents; 93 queries; 2,083 judgments.
  "vaswani-npl": { documents: 11429, splits: { test: { queries: 93, judgments: 2083 } } },
  // time/SOURCE.md: 423 documents; 83 queries; 82 qrels lines with 253 pairs (3 of them list no document: 79 judged queries).
  time: { documents: 423, splits: { test: { queries: 79, judgments: 253 } } },
  // lisa/SOURCE.md: 6,003 "Document" records, of which 4 ids repeat (1998–2001), so 5,999 distinct; 35 queries;
  // judgments from LISARJ.NUM (LISA.REL's block for query 21 is damaged): 379 pairs.
  lisa: { documents: 5999, splits: { test: { queries: 35, judgments: 379 } } },
  // noveleval/SOURCE.md: 21 queries; 420 passages; 420 judgments.
  noveleval: { documents: 420, splits: { test: { queries: 21, judgments: 420 } } },
};

test("every registered dataset is covered by this test", () => {
  assert.deepEqual(datasets.list().map((manifest) => manifest.name).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`${name} loads from the staged copy with the counts of its SOURCE.md`, async () => {
    requireStagedDatasets();
    const dataset = await datasets.load(name, { allowDownload: false });
    assert.deepEqual(datasets.countsOf(dataset), expected);
    assert.deepEqual(datasets.info(name).counts, expected, "manifest counts agree");
    for (const split of Object.values(dataset.splits)) {
      for (const queryId of split.queryIds) assert.ok(dataset.queries.has(queryId) || split.qrels.has(queryId), `${name}/${split.name}: query ${queryId} has text`);
    }
  });
}

test("graded and special judgments are mapped as documented", async () => {
  requireStagedDatasets();
  const cranfield = await datasets.load("cranfield", { allowDownload: false });
  const grades = new Map<number, number>();
  for (const byDoc of cranfield.splits.test!.qrels.values()) for (const grade of byDoc.values()) grades.set(grade, (grades.get(grade) ?? 0) + 1);
  // cranfield/SOURCE.md: codes -1:225, 1:128, 2:387, 3:734, 4:363; gain = 5 − code, −1 → 0.
  assert.deepEqual(Object.fromEntries([...grades].sort((a, b) => a[0] - b[0])), { 0: 225, 1: 363, 2: 734, 3: 387, 4: 128 });
  const dl19 = await datasets.load("trec-dl-2019", { allowDownload: false });
  assert.equal(dl19.splits.test!.relevanceThreshold, 2);
  // trec-dl-passage-candidates/SOURCE.md: BM25 dl19 4,300 hits over 43 queries.
  const bm25Lists = dl19.splits.test!.candidates!.BM25!;
  assert.equal([...bm25Lists.values()].reduce((total, list) => total + list.size, 0), 4300);
  const wikiqa = await datasets.load("wikiqa", { allowDownload: false });
  const answerable = (split: string) => [...wikiqa.splits[split]!.qrels.values()].filter((byDoc) => [...byDoc.values()].includes(1)).length;
  // wikiqa/SOURCE.md: 873 answerable train questions, 243 test.
  assert.equal(answerable("train"), 873);
  assert.equal(answerable("test"), 243);
  assert.equal(judgmentCount(wikiqa.splits.train!.qrels), 20360);
});
