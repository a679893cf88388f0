import { test } from "node:test";
import * as assert from "node:assert/strict";
import { porterStem } from "../../src/data/porter-stemmer";

/**
 * Word → stem pairs printed in M. F. Porter, "An algorithm for suffix stripping", Program 14(3):130–137, 1980
 * (the examples of steps 1a–5b), which the reference C implementation and Lucene's PorterStemmer reproduce.
 */
const PAPER_EXAMPLES: [string, string][] = [
  ["caresses", "caress"], ["ponies", "poni"], ["ties", "ti"], ["caress", "caress"], ["cats", "cat"],
  ["feed", "feed"], ["agreed", "agre"], ["plastered", "plaster"], ["bled", "bled"], ["motoring", "motor"], ["sing", "sing"],
  ["conflated", "conflat"], ["troubled", "troubl"], ["sized", "size"], ["hopping", "hop"], ["tanned", "tan"], ["falling", "fall"],
  ["hissing", "hiss"], ["fizzed", "fizz"], ["failing", "fail"], ["filing", "file"], ["happy", "happi"], ["sky", "sky"],
  ["relational", "relat"], ["conditional", "condit"], ["rational", "ration"], ["valenci", "valenc"], ["hesitanci", "hesit"],
  ["digitizer", "digit"], ["conformabli", "conform"], ["radicalli", "radic"], ["differentli", "differ"], ["vileli", "vile"],
  ["analogousli", "analog"], ["vietnamization", "vietnam"], ["predication", "predic"], ["operator", "oper"], ["feudalism", "feudal"],
  ["decisiveness", "decis"], ["hopefulness", "hope"], ["callousness", "callous"], ["formaliti", "formal"], ["sensitiviti", "sensit"],
  ["sensibiliti", "sensibl"], ["triplicate", "triplic"], ["formative", "form"], ["formalize", "formal"], ["electriciti", "electr"],
  ["electrical", "electr"], ["hopeful", "hope"], ["goodness", "good"], ["revival", "reviv"], ["allowance", "allow"], ["inference", "infer"],
  ["airliner", "airlin"], ["gyroscopic", "gyroscop"], ["adjustable", "adjust"], ["defensible", "defens"], ["irritant", "irrit"],
  ["replacement", "replac"], ["adjustment", "adjust"], ["dependent", "depend"], ["adoption", "adopt"], ["homologou", "homolog"],
  ["communism", "commun"], ["activate", "activ"], ["angulariti", "angular"], ["homologous", "homolog"], ["effective", "effect"],
  ["bowdlerize", "bowdler"], ["probate", "probat"], ["rate", "rate"], ["cease", "ceas"], ["controll", "control"], ["roll", "roll"],
  ["generalizations", "gener"], ["oscillators", "oscil"],
];

test("Porter stemmer reproduces every example of Porter (1980)", () => {
  const wrong = PAPER_EXAMPLES.filter(([word, stem]) => porterStem(word) !== stem).map(([word, stem]) => `${word}: ${porterStem(word)} != ${stem}`);
  assert.deepEqual(wrong, []);
});

test("departures of the reference C version that Lucene keeps: logi → log, bli → ble; short words untouched", () => {
  // https://tartarus.org/martin/PorterStemmer/c.txt, step2: "logi" rule and "bli" instead of "abli" (marked DEPARTURE).
  assert.equal(porterStem("apology"), "apolog");
  assert.equal(porterStem("possibly"), "possibl");
  assert.equal(porterStem("is"), "is");
  assert.equal(porterStem("as"), "as");
  assert.equal(porterStem("proceed"), "proce");
});
