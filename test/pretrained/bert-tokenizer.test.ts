import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { bertBasicTokens } from "../../src/data/bert-basic-tokenizer";
import { WordPieceTokenizer } from "../../src/data/wordpiece-tokenizer";
import * as encoders from "../../src/model/encoder-registry";
import { PROJECT_ROOT } from "../../src/paths";

// Expected values: a line-by-line Python re-implementation of google-research/bert BasicTokenizer +
// WordpieceTokenizer (do_lower_case=True) over the fixture's vocab.txt, Python 3.11 unicodedata (Unicode 14):
//   /usr/bin/python3 data/fixtures/tiny-bert/make_fixture.py
const FIXTURE = path.join(PROJECT_ROOT, "data", "fixtures", "tiny-bert");
interface TokenizationCase { name: string; text: string; basicTokens: string[]; tokens: string[]; ids: number[] }
interface FixturePair { query: string; passage: string; inputIds: number[]; segmentIds: number[]; score: number }
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as {
  tokenization: TokenizationCase[];
  pairs: FixturePair[];
};
const tokenizer = WordPieceTokenizer.load(path.join(FIXTURE, "vocab.txt"));

for (const testCase of expected.tokenization) {
  test(`BERT tokenizer: ${testCase.name} ${JSON.stringify(testCase.text).slice(0, 40)}`, () => {
    // Basic tokens first, so a failure says which stage disagrees.
    assert.deepEqual(bertBasicTokens(testCase.text), testCase.basicTokens, "BasicTokenizer stage");
    assert.deepEqual(tokenizer.tokenize(testCase.text), testCase.tokens, "WordPiece stage");
    assert.deepEqual(tokenizer.encodeText(testCase.text), testCase.ids);
  });
}

test("BERT tokenizer: pair encodings equal the fixture's [CLS] q [SEP] p [SEP] ids and segments", () => {
  const batch = tokenizer.encodePairs(expected.pairs.map((pair) => [pair.query, pair.passage] as const), { maxLength: 64 });
  expected.pairs.forEach((pair, row) => {
    const start = row * batch.seqLen;
    assert.equal(batch.lengths[row], pair.inputIds.length);
    assert.deepEqual(Array.from(batch.inputIds.subarray(start, start + pair.inputIds.length)), pair.inputIds, pair.query);
    assert.deepEqual(Array.from(batch.segmentIds.subarray(start, start + pair.inputIds.length)), pair.segmentIds, pair.query);
  });
});

test("text → tokenizer → loaded BERT → scores equal the PyTorch reference to 1e-4", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const model = encoders.toCrossEncoder(await encoders.load(FIXTURE));
  try {
    const batch = tokenizer.encodePairs(expected.pairs.map((pair) => [pair.query, pair.passage] as const), { maxLength: 64 });
    const scores = tf.tidy(() => model.score(batch, { training: false }).arraySync());
    expected.pairs.forEach((pair, row) => assert.ok(Math.abs(scores[row]! - pair.score) <= 1e-4, `${pair.query}: ${scores[row]} vs ${pair.score}`));
  } finally {
    model.dispose();
  }
});
