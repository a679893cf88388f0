import * as fs from "node:fs";
import * as path from "node:path";
import { parseCsvRecords } from "../csv-rows";
import { DataFormatError } from "../data-format-error";
import { addJudgment, type Dataset, type DatasetDocument, type Qrels } from "../dataset";
import { parsePythonStringList } from "../python-string-list";
import { streamQrels } from "../read-qrels";
import { readTsv } from "../read-tsv";
import { readZipEntries } from "../zip-archive";
import { judgedSplit } from "./build-dataset";

/**
 * SciFact as BEIR serves it, rebuilt from the Hugging Face CSV export of the original release plus the BEIR
 * test topics and qrels (Anserini's copies):
 * - corpus = `corpus_train.csv` (5,183 abstracts), text = abstract sentences joined by spaces, title kept apart;
 * - split "train" = `claims_train.csv` claims with their `cited_doc_ids` (809 queries, 919 judgments);
 * - split "test" = BEIR test topics and qrels (300 queries, 339 judgments).
 *
 * Reference: Wadden et al., "Fact or Fiction: Verifying Scientific Claims", EMNLP 2020; BEIR (Thakur et al. 2021).
 */
export async function loadScifact(root: string): Promise<Dataset> {
  const folder = path.join(root, "scifact");
  const zipFile = path.join(folder, "scifact-hf-csv.zip");
  const entries = readZipEntries(fs.readFileSync(zipFile), zipFile);
  const member = (name: string) => {
    const entry = entries.find((candidate) => candidate.name === name || candidate.name.endsWith(`/${name}`));
    if (!entry) throw new Error(`loadScifact: ${zipFile} has no member ${name} (members: ${entries.map((e) => e.name).join(", ")}).`);
    return { text: entry.read().toString("utf8"), label: `${zipFile}!${entry.name}` };
  };

  const documents = new Map<string, DatasetDocument>();
  const corpus = member("corpus_train.csv");
  parseCsvRecords(corpus.text, corpus.label).forEach((record, index) => {
    const sentences = parsePythonStringList(record.abstract ?? "");
    if (!sentences) throw new DataFormatError(corpus.label, index + 2, `abstract of doc ${record.doc_id} is not a list of strings.`);
    const id = record.doc_id!;
    documents.set(id, { id, title: record.title || undefined, text: sentences.map((sentence) => sentence.trim()).join(" ") });
  });

  const queries = new Map<string, string>();
  const trainQrels: Qrels = new Map();
  const claims = member("claims_train.csv");
  parseCsvRecords(claims.text, claims.label).forEach((record, index) => {
    const id = record.id!;
    queries.set(id, record.claim!);
    const cited = /^\[([\d\s,]*)\]$/.exec((record.cited_doc_ids ?? "").trim());
    if (!cited) throw new DataFormatError(claims.label, index + 2, `cited_doc_ids must look like "[123 456]", got "${record.cited_doc_ids}".`);
    for (const docId of cited[1]!.split(/[\s,]+/).filter(Boolean)) addJudgment(trainQrels, id, docId, 1);
  });
  const trainQueries = new Map([...queries].filter(([id]) => trainQrels.has(id)));

  const testQueries = new Map<string, string>();
  await readTsv(path.join(folder, "topics.beir-v1.0.0-scifact.test.tsv.gz"), 2, ([id, text]) => testQueries.set(id!, text!), { joinExtra: true });
  const testQrels: Qrels = new Map();
  await streamQrels(path.join(folder, "qrels.beir-v1.0.0-scifact.test.txt"), testQrels);
  for (const [id, text] of testQueries) queries.set(id, text);

  return {
    name: "scifact",
    documents,
    queries,
    splits: { train: judgedSplit("train", trainQueries, trainQrels), test: judgedSplit("test", testQueries, testQrels) },
    notes: [],
  };
}
