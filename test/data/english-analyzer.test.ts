import { test } from "node:test";
import * as assert from "node:assert/strict";
import { EnglishAnalyzer, LUCENE_ENGLISH_STOP_WORDS, standardTokens } from "../../src/data/english-analyzer";

/** Word-boundary cases from Unicode UAX #29 rules WB6/7 (letters across . : '), WB11/12 (digits across . , ;), WB8–10 (letters with digits). */
const TOKEN_CASES: [string, string[]][] = [
  ["U.S.A. e-mail", ["U.S.A", "e", "mail"]],
  ["can't won't o'neil's", ["can't", "won't", "o'neil's"]],
  ["$3.50 or 1,000,000; 2;3", ["3.50", "or", "1,000,000", "2;3"]],
  ["covid19 a1b2 x.1 snake_case", ["covid19", "a1b2", "x", "1", "snake_case"]],
  ["end. Next", ["end", "Next"]],
  ["naïve café Ωmega", ["naïve", "café", "Ωmega"]],
  ["中文 ひらがな", ["中", "文", "ひ", "ら", "が", "な"]],
  ["", []],
  ["\t--//!!", []],
];

test("standard tokenizer follows UAX #29 word boundaries on the cases that matter for English IR", () => {
  for (const [text, expected] of TOKEN_CASES) assert.deepEqual(standardTokens(text), expected, text);
});

test("Lucene's English stop set has its 33 words", () => {
  // lucene EnglishAnalyzer.ENGLISH_STOP_WORDS_SET
  assert.equal(LUCENE_ENGLISH_STOP_WORDS.size, 33);
  for (const word of ["the", "a", "with", "will", "such"]) assert.ok(LUCENE_ENGLISH_STOP_WORDS.has(word));
  for (const word of ["what", "he", "from"]) assert.ok(!LUCENE_ENGLISH_STOP_WORDS.has(word));
});

test("the analyzer chains possessive removal, lower-casing, stop words and Porter stemming", () => {
  const analyzer = new EnglishAnalyzer();
  assert.deepEqual(analyzer.analyze("The Aerodynamics of Heated Wings"), ["aerodynam", "heat", "wing"]);
  assert.deepEqual(analyzer.analyze("John's dogs ARE running’s"), ["john", "dog", "run"]);
  assert.deepEqual(new EnglishAnalyzer({ stem: false, stopWords: false }).analyze("The Wings"), ["the", "wings"]);
});
