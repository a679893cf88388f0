import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bertBasicTokens } from "../../src/data/bert-basic-tokenizer";
import { WordPieceTokenizer } from "../../src/data/wordpiece-tokenizer";
import { trainWordPieceVocabulary } from "../../src/data/train-wordpiece-vocabulary";

/**
 * Cases from huggingface/transformers `tests/models/bert/test_tokenization_bert.py` (BasicTokenizer and
 * WordpieceTokenizer tests) and google-research/bert `tokenization_test.py`.
 */
const BASIC_CASES: [string, string[]][] = [
  [" \tHeLLo!how  \n Are yoU?  ", ["hello", "!", "how", "are", "you", "?"]],
  ["H\u00E9llo", ["hello"]],
  [" \tHäLLo!how  \n Are yoU?  ", ["hallo", "!", "how", "are", "you", "?"]],
  ["ah\u535A\u63A8zz", ["ah", "\u535A", "\u63A8", "zz"]],
  ["UNwant\u00E9d,running", ["unwanted", ",", "running"]],
  ["a\u0000b\ufffdc\u200bd", ["abcd"]],
];

test("basic tokenization matches BERT's BasicTokenizer", () => {
  for (const [text, expected] of BASIC_CASES) assert.deepEqual(bertBasicTokens(text), expected, JSON.stringify(text));
  assert.deepEqual(bertBasicTokens(" \tHeLLo!how  \n Are yoU?  ", { lowerCase: false }), ["HeLLo", "!", "how", "Are", "yoU", "?"]);
});

// The transformers test vocabulary, with [PAD] moved to id 0 (EncodedBatch pads with 0, as bert-base-uncased does).
const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing", ",", "low", "lowest"];

test("greedy longest-match WordPiece matches BERT's WordpieceTokenizer", () => {
  const tokenizer = new WordPieceTokenizer(VOCAB);
  assert.deepEqual(tokenizer.tokenize(""), []);
  assert.deepEqual(tokenizer.tokenize("unwanted running"), ["un", "##want", "##ed", "runn", "##ing"]);
  assert.deepEqual(tokenizer.tokenize("unwantedX running"), ["[UNK]", "runn", "##ing"]);
  assert.deepEqual(tokenizer.encodeText("UNwant\u00E9d,running"), [9, 6, 7, 12, 10, 11]);
  assert.deepEqual(tokenizer.tokenize("a".repeat(101)), ["[UNK]"]);
});

test("a vocab.txt round-trips; a vocabulary without [PAD] at id 0 is refused with the reason", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-vocab-"));
  const file = path.join(folder, "vocab.txt");
  new WordPieceTokenizer(VOCAB).save(file);
  assert.equal(fs.readFileSync(file, "utf8"), VOCAB.join("\n") + "\n");
  assert.deepEqual(WordPieceTokenizer.load(file).vocabulary, VOCAB);
  fs.writeFileSync(file, ["[UNK]", "[PAD]", "[CLS]", "[SEP]"].join("\r\n"));
  assert.throws(() => WordPieceTokenizer.load(file), /\[PAD\] must be id 0/);
  fs.writeFileSync(file, ["[PAD]", "[UNK]", "[CLS]"].join("\n"));
  assert.throws(() => WordPieceTokenizer.load(file), /no \[SEP\] token/);
});

const CORPUS = [
  "The low wing of the lower aircraft showed the lowest lift.",
  "Newer, wider wings lift more; the widest wing lifted most.",
  "Heat transfer in composite slabs; heated slabs transfer heat slowly.",
  "Boundary layers on heated wings: transfer of heat across boundary layers.",
];

test("vocabulary training is deterministic, reaches the requested size and starts with the special tokens", () => {
  const first = trainWordPieceVocabulary(CORPUS, { vocabSize: 120, minFrequency: 1 });
  const second = trainWordPieceVocabulary([...CORPUS], { vocabSize: 120, minFrequency: 1 });
  assert.deepEqual(first, second);
  assert.equal(first.length, 120);
  assert.deepEqual(first.slice(0, 5), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
  assert.equal(new Set(first).size, first.length, "no duplicate tokens");
  const tokenizer = new WordPieceTokenizer(first);
  // Frequent words become single tokens; every word of the corpus encodes without [UNK].
  for (const word of ["heat", "wing", "transfer"]) assert.deepEqual(tokenizer.tokenize(word), [word]);
  for (const text of CORPUS) assert.ok(!tokenizer.tokenize(text).includes("[UNK]"), text);
  assert.throws(() => trainWordPieceVocabulary(CORPUS, { vocabSize: 3 }), /vocabSize must be an integer above 5/);
});

test("pairs encode as [CLS] query [SEP] passage [SEP] with segments, lengths, padding and exact-match flags", () => {
  const tokenizer = new WordPieceTokenizer(VOCAB);
  const batch = tokenizer.encodePairs([["want running", "unwanted low running"], ["low", "lowest"]], { maxLength: 16, exactMatch: true });
  assert.equal(batch.batchSize, 2);
  assert.equal(batch.seqLen, 12, "padded to the longest row");
  // [CLS] want runn ##ing [SEP] un ##want ##ed low runn ##ing [SEP] / [CLS] low [SEP] lowest [SEP]
  assert.deepEqual(Array.from(batch.inputIds), [2, 5, 10, 11, 3, 9, 6, 7, 13, 10, 11, 3, 2, 13, 3, 14, 3, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(batch.segmentIds), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(batch.lengths), [12, 5]);
  // "runn ##ing" occur in both segments; "want" ≠ "##want"; "low" ≠ "lowest"; special tokens never flagged.
  assert.deepEqual(Array.from(batch.exactMatch!), [0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const padded = tokenizer.encodePairs([["low", "lowest"]], { maxLength: 8, padTo: "max" });
  assert.equal(padded.seqLen, 8);
  assert.equal(padded.exactMatch, undefined);
});

test("truncation to maxLength removes tokens from the longer segment first", () => {
  const tokenizer = new WordPieceTokenizer(VOCAB);
  // query 3 tokens, passage 6, room for 5: the passage shrinks to 3, then they alternate (passage first on ties).
  const batch = tokenizer.encodePairs([["want running", "unwanted low running"]], { maxLength: 8 });
  assert.deepEqual(Array.from(batch.inputIds), [2, 5, 10, 11, 3, 9, 6, 3]);
  const longQuery = tokenizer.encodePairs([["want want want want want want", "low"]], { maxLength: 6 });
  assert.deepEqual(Array.from(longQuery.inputIds), [2, 5, 5, 3, 13, 3]);
  assert.throws(() => tokenizer.encodePairs([["a", "b"]], { maxLength: 2 }), /maxLength must be an integer >= 3/);
});

test("the printable-ASCII fast path of basic tokenization agrees with the general path", () => {
  // Appending a CJK character (its own token) forces the general path; drop it and compare.
  for (const text of ["Hello, World! (a+b)=c; x_y ~z", "\tMulti\r\nline  text...", "e.g. U.S.A 3.5% [ok] {x}|y`z"]) {
    const general = bertBasicTokens(`${text} \u4e00`);
    general.pop();
    assert.deepEqual(bertBasicTokens(text), general, text);
  }
});

test("datasetTokenizer trains on documents and non-test queries, caches the vocab.txt and reuses it", async () => {
  const { datasetTokenizer } = await import("../../src/data/dataset-tokenizer");
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-tokenizers-"));
  const dataset = {
    name: "tiny",
    documents: new Map(CORPUS.map((text, index) => [`d${index}`, { id: `d${index}`, text }])),
    queries: new Map([["q1", "zyxwv heat"], ["q2", "qqqq heat"]]),
    splits: {
      train: { name: "train", queryIds: ["q1"], qrels: new Map(), relevanceThreshold: 1 },
      test: { name: "test", queryIds: ["q2"], qrels: new Map(), relevanceThreshold: 1 },
    },
    notes: [],
  };
  const first = datasetTokenizer(dataset, { vocabSize: 90, minFrequency: 1, cacheFolder: folder });
  const files = fs.readdirSync(folder);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^tiny-90-[0-9a-f]{12}\.vocab\.txt$/);
  assert.ok(first.vocabulary.includes("z") && !first.vocabulary.includes("q"), "train queries are training text, test queries are not");
  assert.deepEqual(datasetTokenizer(dataset, { vocabSize: 90, minFrequency: 1, cacheFolder: folder }).vocabulary, first.vocabulary);
  assert.equal(fs.readdirSync(folder).length, 1, "second call reads the cached file");
});
