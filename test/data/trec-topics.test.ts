import * as assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { parseTopics, readTopics } from "../../src";
import { stagedDatasetsDir } from "../../src/paths";

test("parseTopics reads tab-separated topics (MS MARCO / TREC DL layout), CRLF included", () => {
  const topics = parseTopics("156493\tdo goldfish grow\r\n1110199\twhat is wifi vs bluetooth\r\n");
  assert.deepEqual(topics.get("156493"), { queryId: "156493", text: "do goldfish grow" });
  assert.equal(topics.size, 2);
});

test("parseTopics reads classic SGML topics with unclosed fields and labels", () => {
  const text = `<top>\n<num> Number: 301\n<title> International Organized Crime\n\n<desc> Description:\nIdentify organizations\nthat participate.\n\n<narr> Narrative:\nA relevant document must\n</top>\n<top><num>2</num><title>\nSECOND TOPIC\n</title>\n</top>\n`;
  const topics = parseTopics(text);
  assert.deepEqual(topics.get("301"), {
    queryId: "301",
    text: "International Organized Crime",
    description: "Identify organizations that participate.",
    narrative: "A relevant document must",
  });
  assert.equal(topics.get("2")!.text, "SECOND TOPIC");
});

test("parseTopics errors name file and line", () => {
  assert.throws(() => parseTopics("1\tone\nno tab here\n", { file: "t.tsv" }), /t\.tsv:2: expected "qid<TAB>query text"/);
  assert.throws(() => parseTopics("1\tone\n1\tagain\n", { file: "t.tsv" }), /t\.tsv:2: query id "1" appears twice/);
  assert.throws(() => parseTopics("<top><title>x</top>", { file: "t.sgml" }), /t\.sgml:1: topic without a <num> field/);
});

test("readTopics reads the staged DL19 and Vaswani topics", { skip: !stagedDatasetsDir() && "no staged datasets" }, () => {
  const dl19 = readTopics(path.join(stagedDatasetsDir()!, "msmarco-passage", "topics.dl19-passage.txt"));
  assert.equal(dl19.size, 43);
  const vaswani = readTopics(path.join(stagedDatasetsDir()!, "vaswani-npl", "query-text.trec"));
  assert.equal(vaswani.size, 93);
  assert.equal(vaswani.get("2")!.text, "MATHEMATICAL ANALYSIS AND DESIGN DETAILS OF WAVEGUIDE FED MICROWAVE RADIATIONS");
});
