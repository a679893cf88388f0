/**
 * Data benchmark: BM25 index build + top-100 retrieval (SciFact test; the ~30k TREC DL 2019+2020 candidate
 * passages with their 97 queries; every staged passage together, ~100k), and WordPiece tokenization throughput.
 * Prints one JSON line per measurement. Run: `npm run bench:data`. Timings on a shared 2-core machine are noisy.
 */
import { performance } from "node:perf_hooks";
import { Bm25Index } from "../../src/data/bm25-index";
import { documentText, type Dataset } from "../../src/data/dataset";
import * as datasets from "../../src/data/datasets";
import { WordPieceTokenizer } from "../../src/data/wordpiece-tokenizer";

function seconds(since: number): number {
  return Number(((performance.now() - since) / 1000).toFixed(3));
}

/** CPU seconds (user + system) of this process since `since` (a `process.cpuUsage()` value): steadier than wall time on a busy machine. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Number(((used.user + used.system) / 1e6).toFixed(3));
}

function bm25Bench(label: string, texts: string[], queries: string[]): void {
  let start = performance.now();
  let cpu = process.cpuUsage();
  const index = Bm25Index.build(texts);
  const indexSeconds = seconds(start);
  const indexCpuSeconds = cpuSeconds(cpu);
  start = performance.now();
  cpu = process.cpuUsage();
  let hits = 0;
  for (const query of queries) hits += index.search(query, 100).length;
  const retrieveSeconds = seconds(start);
  const retrieveCpuSeconds = cpuSeconds(cpu);
  console.log(JSON.stringify({ bench: "bm25", corpus: label, documents: texts.length, terms: index.termCount, queries: queries.length, indexSeconds, indexCpuSeconds, retrieveSeconds, retrieveCpuSeconds, queriesPerSecond: Math.round(queries.length / retrieveSeconds), hits }));
}

const texts = (dataset: Dataset) => [...dataset.documents.values()].map(documentText);
const queryTexts = (dataset: Dataset, split: string) => dataset.splits[split]!.queryIds.map((id) => dataset.queries.get(id)!);

async function main(): Promise<void> {
  const scifact = await datasets.load("scifact", { allowDownload: false });
  bm25Bench("scifact (test queries)", texts(scifact), queryTexts(scifact, "test"));

  const dl19 = await datasets.load("trec-dl-2019", { allowDownload: false });
  const dl20 = await datasets.load("trec-dl-2020", { allowDownload: false });
  const dlPassages = new Map<string, string>();
  for (const dataset of [dl19, dl20]) for (const document of dataset.documents.values()) dlPassages.set(document.id, documentText(document));
  bm25Bench("trec-dl 2019+2020 candidate passages", [...dlPassages.values()], [...queryTexts(dl19, "test"), ...queryTexts(dl20, "test")]);

  const everything: string[] = [...dlPassages.values()];
  for (const name of ["wikiqa", "vaswani-npl", "scifact", "nfcorpus", "lisa", "cacm", "cisi", "cranfield", "medline"]) {
    everything.push(...texts(name === "scifact" ? scifact : await datasets.load(name, { allowDownload: false })));
  }
  bm25Bench("all staged passages", everything, [...queryTexts(dl19, "test"), ...queryTexts(dl20, "test"), ...queryTexts(scifact, "test")]);

  const passages = texts(scifact);
  let start = performance.now();
  const trainCpu = process.cpuUsage();
  const tokenizer = WordPieceTokenizer.train(passages, { vocabSize: 8000 });
  console.log(JSON.stringify({ bench: "wordpiece-train", corpus: "scifact", passages: passages.length, vocabSize: tokenizer.vocabSize, seconds: seconds(start), cpuSeconds: cpuSeconds(trainCpu) }));
  const query = scifact.queries.get(scifact.splits.test!.queryIds[0]!)!;
  for (const pass of ["cold cache", "warm cache"]) {
    const fresh = pass === "cold cache" ? new WordPieceTokenizer(tokenizer.vocabulary) : tokenizer;
    if (pass === "warm cache") fresh.encodePairs(passages.map((passage) => [query, passage] as const), { maxLength: 256 });
    start = performance.now();
    const cpu = process.cpuUsage();
    let tokens = 0;
    for (let offset = 0; offset < passages.length; offset += 64) {
      const batch = fresh.encodePairs(passages.slice(offset, offset + 64).map((passage) => [query, passage] as const), { maxLength: 256, exactMatch: true });
      for (const length of batch.lengths) tokens += length;
    }
    const elapsed = seconds(start);
    const usedCpuSeconds = cpuSeconds(cpu);
    console.log(JSON.stringify({ bench: "wordpiece-encode", corpus: "scifact", pass, maxLength: 256, batch: 64, passages: passages.length, seconds: elapsed, cpuSeconds: usedCpuSeconds, passagesPerCpuSecond: Math.round(passages.length / usedCpuSeconds), passagesPerSecond: Math.round(passages.length / elapsed), tokensPerSecond: Math.round(tokens / elapsed) }));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
