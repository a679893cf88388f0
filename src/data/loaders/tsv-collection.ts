import type { Dataset, DatasetDocument, DatasetSplit, Qrels } from "../dataset";
import { streamQrels } from "../read-qrels";
import { readTsv } from "../read-tsv";
import { readRun } from "../trec-run";
import { readTopics } from "../trec-topics";
import { judgedSplit } from "./build-dataset";

export interface TsvCollectionFiles {
  name: string;
  /** `docid<TAB>text` per line (MS MARCO `collection.tsv`), streamed; `.gz` accepted. */
  collection: string;
  /** Per split: topics (TSV `qid<TAB>text` or TREC SGML), TREC qrels, optional TREC runs as candidate lists. */
  splits: Record<string, { topics: string; qrels: string; runs?: Record<string, string>; relevanceThreshold?: number }>;
}

/**
 * Loads an MS MARCO-style collection: a TSV passage collection, TREC topics and qrels per split, and
 * first-stage TREC runs as candidates. Every file is read once; the collection streams.
 *
 * Reference: MS MARCO passage ranking files (Bajaj et al. 2016); TREC formats (trec_eval README).
 * @example await loadTsvCollection({ name: "my-marco", collection: "collection.tsv", splits: { dev: { topics: "queries.dev.tsv", qrels: "qrels.dev.tsv" } } })
 */
export async function loadTsvCollection(files: TsvCollectionFiles): Promise<Dataset> {
  const documents = new Map<string, DatasetDocument>();
  await readTsv(files.collection, 2, ([id, text]) => {
    if (!documents.has(id!)) documents.set(id!, { id: id!, text: text! });
  }, { joinExtra: true });
  const queries = new Map<string, string>();
  const splits: Record<string, DatasetSplit> = {};
  for (const [name, split] of Object.entries(files.splits)) {
    const splitQueries = new Map([...readTopics(split.topics)].map(([id, topic]) => [id, topic.text]));
    for (const [id, text] of splitQueries) queries.set(id, text);
    const qrels: Qrels = new Map();
    await streamQrels(split.qrels, qrels);
    const candidates = split.runs ? Object.fromEntries(Object.entries(split.runs).map(([runName, file]) => [runName, readRun(file)])) : undefined;
    splits[name] = { ...judgedSplit(name, splitQueries, qrels, split.relevanceThreshold ?? 1), ...(candidates ? { candidates } : {}) };
  }
  return { name: files.name, documents, queries, splits, notes: [] };
}
