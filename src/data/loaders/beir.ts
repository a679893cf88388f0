import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset, DatasetSplit } from "../dataset";
import { readJsonl, stringField } from "../read-jsonl";
import { streamQrels } from "../read-qrels";

/**
 * Loads a BEIR-format folder: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl` (`_id`, `text`) and
 * `qrels/<split>.tsv` (`query-id corpus-id score` with a header). Every qrels file found becomes a split whose
 * queries are the judged ones. Files stream; each is read once. A repeated document id keeps its first record
 * and is reported in `notes`.
 *
 * Reference: BEIR `beir/datasets/data_loader.py` (Thakur et al., NeurIPS 2021 Datasets and Benchmarks).
 * @example const ds = await loadBeirFolder("scifact", "/tmp/scifact") // splits: test, train
 */
export async function loadBeirFolder(name: string, folder: string): Promise<Dataset> {
  for (const required of ["corpus.jsonl", "queries.jsonl", "qrels"]) {
    if (!fs.existsSync(path.join(folder, required))) {
      throw new Error(`loadBeirFolder: ${path.join(folder, required)} does not exist. A BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv.`);
    }
  }
  const documents: Dataset["documents"] = new Map();
  const corpusFile = path.join(folder, "corpus.jsonl");
  const duplicates: string[] = [];
  await readJsonl(corpusFile, (record, lineNumber) => {
    const id = stringField(record, "_id", corpusFile, lineNumber);
    if (documents.has(id)) {
      duplicates.push(`${id} (line ${lineNumber})`);
      return;
    }
    documents.set(id, {
      id,
      title: stringField(record, "title", corpusFile, lineNumber, { optional: true }) || undefined,
      text: stringField(record, "text", corpusFile, lineNumber),
    });
  });
  const queries: Dataset["queries"] = new Map();
  const queriesFile = path.join(folder, "queries.jsonl");
  await readJsonl(queriesFile, (record, lineNumber) => {
    queries.set(stringField(record, "_id", queriesFile, lineNumber), stringField(record, "text", queriesFile, lineNumber));
  });
  const splits: Record<string, DatasetSplit> = {};
  const qrelsFolder = path.join(folder, "qrels");
  for (const entry of fs.readdirSync(qrelsFolder).sort()) {
    if (!entry.endsWith(".tsv")) continue;
    const splitName = entry.slice(0, -4);
    const split: DatasetSplit = { name: splitName, queryIds: [], qrels: new Map(), relevanceThreshold: 1 };
    await streamQrels(path.join(qrelsFolder, entry), split.qrels, { format: "beir" });
    split.queryIds = [...split.qrels.keys()];
    splits[splitName] = split;
  }
  const notes = duplicates.length > 0 ? [`${corpusFile}: ${duplicates.length} repeated document ids kept their first record (${duplicates.slice(0, 3).join(", ")}).`] : [];
  return { name, documents, queries, splits, notes };
}
