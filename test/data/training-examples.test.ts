import { test } from "node:test";
import * as assert from "node:assert/strict";
import { addJudgment, type Dataset, type Qrels } from "../../src/data/dataset";
import { addPseudoQueries } from "../../src/data/pseudo-queries";
import { build, pairsScored, passSize, PSEUDO_QUERY_PREFIX, type Objective } from "../../src/data/training-examples";
import type { Run } from "../../src/data/trec-run";

/** 40 documents, 6 training queries with 1–2 positives each (one graded 1 under threshold 2 → not a positive), BM25-like candidates. */
function fixture(): { dataset: Dataset; candidates: Run } {
  const documents = new Map(Array.from({ length: 40 }, (_, index) => [`d${index}`, { id: `d${index}`, text: `passage number ${index} about topic ${index % 6} with some filler words here` }]));
  const queries = new Map(Array.from({ length: 6 }, (_, index) => [`q${index}`, `question about topic ${index}`]));
  const qrels: Qrels = new Map();
  for (let query = 0; query < 6; query++) {
    addJudgment(qrels, `q${query}`, `d${query}`, 3);
    if (query % 2 === 0) addJudgment(qrels, `q${query}`, `d${query + 6}`, 2);
    addJudgment(qrels, `q${query}`, `d${query + 12}`, 1); // related, below the threshold: never a positive, never a negative
  }
  const candidates: Run = new Map();
  for (let query = 0; query < 6; query++) {
    candidates.set(`q${query}`, new Map(Array.from({ length: 12 }, (_, rank) => [`d${(query + rank * 3) % 40}`, 12 - rank])));
  }
  const dataset: Dataset = { name: "fixture", documents, queries, splits: { train: { name: "train", queryIds: [...queries.keys()], qrels, relevanceThreshold: 2 } }, notes: [] };
  return { dataset, candidates };
}

const OBJECTIVES: [Objective, number, number][] = [
  // objective, negatives, pairs per example
  ["pointwise", 3, 1],
  ["pairwise", 3, 2],
  ["listwise", 3, 4],
];

for (const [objective, negatives, groupSize] of OBJECTIVES) {
  test(`${objective}: groups of ${groupSize}, labels, budget in pairs scored, nested budgets`, () => {
    const { dataset, candidates } = fixture();
    const options = { objective, negatives, from: candidates, seed: 7 };
    const large = build(dataset, "train", { ...options, budget: 400 });
    const small = build(dataset, "train", { ...options, budget: 100 });
    for (const examples of [large, small]) for (const example of examples) assert.equal(example.passages.length, groupSize);
    assert.ok(pairsScored(large) <= 400 && pairsScored(large) > 400 - 2 * negatives * 2, `${pairsScored(large)} pairs`);
    assert.ok(pairsScored(small) <= 100 && pairsScored(small) > 100 - 2 * negatives * 2);
    assert.deepEqual(small, large.slice(0, small.length), "the 100-pair set is a prefix of the 400-pair set");
    assert.deepEqual(build(dataset, "train", { ...options, budget: 400 }), large, "same seed, same examples");
    assert.notDeepEqual(build(dataset, "train", { ...options, seed: 8, budget: 400 }), large, "another seed, other examples");
    const qrels = dataset.splits.train!.qrels;
    for (const example of large) {
      assert.equal(example.query, dataset.queries.get(example.queryId));
      assert.equal(example.pseudo, false);
      example.docIds.forEach((docId, index) => {
        const grade = qrels.get(example.queryId)?.get(docId) ?? 0;
        if (example.labels[index] === 1) assert.ok(grade >= 2, `positive ${docId} has grade ${grade}`);
        else assert.ok(grade === 0, `negative ${docId} of ${example.queryId} is unjudged or judged 0, got grade ${grade}`);
        assert.equal(example.passages[index], dataset.documents.get(docId)!.text);
      });
      if (objective !== "pointwise") assert.deepEqual(example.labels, [1, ...Array(groupSize - 1).fill(0)]);
    }
    // Every (query, positive) unit is used before any repeats: 9 units, first pass.
    if (objective === "listwise") assert.equal(new Set(large.slice(0, 9).map((example) => `${example.queryId}/${example.docIds[0]}`)).size, 9);
  });
}

test("one pass over the fixture: 9 (query, positive) units (6 grade-3 + 3 grade-2 positives; grade 1 is below the threshold)", () => {
  const { dataset } = fixture();
  assert.deepEqual(passSize(dataset, "train", { objective: "listwise", negatives: 3 }), { units: 9, pairsPerPass: 36 });
  assert.deepEqual(passSize(dataset, "train", { objective: "pairwise", negatives: 3 }), { units: 9, pairsPerPass: 54 });
  assert.deepEqual(passSize(dataset, "train", { objective: "pointwise" }), { units: 9, pairsPerPass: 18 });
});

test("hard negatives come from the candidates; randomNegatives draws the rest from the corpus", () => {
  const { dataset, candidates } = fixture();
  const hard = build(dataset, "train", { objective: "listwise", negatives: 3, from: candidates, budget: 200, seed: 1 });
  for (const example of hard) for (const docId of example.docIds.slice(1)) assert.ok(candidates.get(example.queryId)!.has(docId), docId);
  const mixed = build(dataset, "train", { objective: "listwise", negatives: 3, randomNegatives: 3, from: candidates, budget: 2000, seed: 1 });
  const outside = mixed.flatMap((example) => example.docIds.slice(1).filter((docId) => !candidates.get(example.queryId)!.has(docId)));
  assert.ok(outside.length > 0, "random negatives reach documents outside the candidate lists");
  const noCandidates = build(dataset, "train", { objective: "pairwise", budget: 20, seed: 1 });
  assert.equal(pairsScored(noCandidates), 20);
});

test("bad options fail with the option named", () => {
  const { dataset } = fixture();
  assert.throws(() => build(dataset, "train", { objective: "listwise", negatives: 0, budget: 10, seed: 1 }), /negatives must be a positive integer/);
  assert.throws(() => build(dataset, "train", { objective: "pointwise", negatives: 2, randomNegatives: 3, budget: 10, seed: 1 }), /randomNegatives must be an integer from 0 to negatives/);
  assert.throws(() => build(dataset, "train", { objective: "listwise", budget: 0, seed: 1 }), /budget/);
  assert.throws(() => build(dataset, "dev", { objective: "listwise", budget: 10, seed: 1 }), /no split "dev"/);
  assert.throws(() => build(dataset, "train", { objective: "triplet" as Objective, budget: 10, seed: 1 }), /objective must be/);
  assert.throws(() => build(dataset, "train", { objective: "listwise", from: new Map([["other", new Map([["d1", 1]])]]), budget: 10, seed: 1 }), /"from" has candidates for none of the 6 queries of fixture\/train/);
});

test("pseudo-queries: a labelled split of word windows whose source passage is the positive", () => {
  const { dataset } = fixture();
  const extended = addPseudoQueries(dataset, { count: 10, seed: 3, minWords: 2, maxWords: 4, minPassageWords: 6 });
  const split = extended.splits.pseudo!;
  assert.equal(split.queryIds.length, 10);
  for (const queryId of split.queryIds) {
    assert.ok(queryId.startsWith(PSEUDO_QUERY_PREFIX));
    const [[docId, grade]] = [...split.qrels.get(queryId)!];
    assert.equal(grade, 1);
    assert.ok(extended.documents.get(docId!)!.text.includes(extended.queries.get(queryId)!), "the query is cut from its positive");
  }
  assert.match(extended.notes.at(-1)!, /PSEUDO-queries/);
  assert.equal(dataset.splits.pseudo, undefined, "the original dataset is untouched");
  const examples = build(extended, "pseudo", { objective: "pairwise", budget: 20, seed: 1 });
  assert.ok(examples.every((example) => example.pseudo));
  assert.throws(() => addPseudoQueries(dataset, { count: 100, seed: 1 }), /only 0 passages .* have ≥ 24 words/);
});
