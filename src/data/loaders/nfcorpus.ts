import * as path from "node:path";
import type { Dataset, DatasetDocument, Qrels } from "../dataset";
import { streamQrels } from "../read-qrels";
import { readTsv } from "../read-tsv";
import { judgedSplit } from "./build-dataset";

/**
 * NFCorpus from its original release (dev and test parts) plus the BEIR test topics and qrels:
 * - documents = `test.docs` ∪ `dev.docs` (3,395 PubMed abstracts, PREPROCESSED text: lower-cased, stop words,
 *   numbers and punctuation removed by the NFCorpus authors; the full 3,633-document raw corpus is not staged);
 * - split "test" = BEIR test topics (323 queries, original casing) with `qrels.beir-v1.0.0-nfcorpus.test.txt` (12,334 judgments, grades 1–2);
 * - split "dev" = `dev.titles.queries` with `dev.2-1-0.qrel` (324 judged queries, 11,385 judgments).
 *
 * Reference: Boteva et al., "A Full-Text Learning to Rank Dataset for Medical Information Retrieval", ECIR 2016.
 */
export async function loadNfcorpus(root: string): Promise<Dataset> {
  const folder = path.join(root, "nfcorpus");
  const documents = new Map<string, DatasetDocument>();
  for (const part of ["test", "dev"]) {
    await readTsv(path.join(folder, `${part}.docs`), 2, ([id, text]) => {
      if (!documents.has(id!)) documents.set(id!, { id: id!, text: text! });
    }, { joinExtra: true });
  }
  const queries = new Map<string, string>();
  const testQueries = new Map<string, string>();
  await readTsv(path.join(folder, "topics.beir-v1.0.0-nfcorpus.test.tsv.gz"), 2, ([id, text]) => testQueries.set(id!, text!), { joinExtra: true });
  const devQueries = new Map<string, string>();
  await readTsv(path.join(folder, "dev.titles.queries"), 2, ([id, text]) => devQueries.set(id!, text!), { joinExtra: true });
  for (const [id, text] of [...devQueries, ...testQueries]) queries.set(id, text);
  const testQrels: Qrels = new Map();
  await streamQrels(path.join(folder, "qrels.beir-v1.0.0-nfcorpus.test.txt"), testQrels);
  const devQrels: Qrels = new Map();
  await streamQrels(path.join(folder, "dev.2-1-0.qrel"), devQrels);
  return {
    name: "nfcorpus",
    documents,
    queries,
    splits: { dev: judgedSplit("dev", devQueries, devQrels), test: judgedSplit("test", testQueries, testQrels) },
    notes: [
      "Document text is the NFCorpus authors' preprocessed release (lower-cased, stop words, numbers and punctuation removed); test queries are BEIR's original-case titles, dev queries are preprocessed titles.",
      "The corpus is test.docs ∪ dev.docs (3,395 documents), not BEIR's 3,633, so BM25 figures differ slightly from BEIR's.",
    ],
  };
}
