import * as assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "../../src/data/datasets";
import { prepareTrainingData } from "../../src/train/prepare-training-data";

// Real data: WikiQA (../shared/datasets/wikiqa/SOURCE.md: 873 train questions with ≥ 1 correct sentence).
test("prepareTrainingData: dev split of answerable train queries, disjoint from the training queries; budget in pairs", async () => {
  const dataset = await load("wikiqa");
  const data = prepareTrainingData(dataset, { objective: "listwise", groupSize: 4, budgetPairs: 400, maxLength: 48, vocabSize: 2000, seed: 3 });
  assert.equal(data.trainQueryIds.length + data.devQueryIds.length, 873);
  assert.equal(data.devQueryIds.length, Math.round(0.2 * 873));
  const devSet = new Set(data.devQueryIds);
  assert.ok(data.trainQueryIds.every((queryId) => !devSet.has(queryId)));
  assert.ok(data.examples.every((example) => !devSet.has(example.queryId!) && example.passages.length === 4 && example.labels[0] === 1));
  assert.equal(data.examples.length, 100, "400 pairs of groups of 4");
  assert.equal(data.candidateSource, "wikiqa", "WikiQA ships its candidate sentences");
  assert.deepEqual([...data.dev.candidates.keys()], data.devQueryIds);
  const batch = data.encode([{ query: "who wrote hamlet", passage: "Hamlet was written by Shakespeare." }]);
  assert.equal(batch.batchSize, 1);
  assert.ok(batch.exactMatch!.some((flag) => flag === 1), "exact-match flags on by default");
  assert.ok(batch.seqLen <= 48);
  // Same seed, same split and examples.
  const again = prepareTrainingData(dataset, { objective: "listwise", groupSize: 4, budgetPairs: 400, maxLength: 48, tokenizer: data.tokenizer, seed: 3 });
  assert.deepEqual(again.devQueryIds, data.devQueryIds);
  assert.deepEqual(again.examples.map((example) => example.passages), data.examples.map((example) => example.passages));
  assert.throws(() => prepareTrainingData(dataset, { objective: "listwise", budgetPairs: 10, maxLength: 48, devFraction: 1 }), /devFraction must be in \(0, 1\)/);
});
