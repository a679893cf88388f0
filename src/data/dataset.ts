/**
 * The canonical in-memory dataset every loader produces and every later stage (BM25, training examples,
 * evaluation) reads: documents, queries, graded judgments and named splits, optionally with first-stage
 * candidate lists shipped with the collection (the TREC DL lists with passage text).
 */

/** One document (passage, abstract, answer sentence). `title` is kept apart so BM25 can index `title + " " + text`, as BEIR does. */
export interface DatasetDocument {
  id: string;
  title?: string;
  text: string;
}

import type { Qrels } from "./trec-qrels";
import type { Run } from "./trec-run";

export type { Qrels } from "./trec-qrels";
export type { Run } from "./trec-run";

export interface DatasetSplit {
  /** Split name: "train", "dev", "test". */
  name: string;
  /** Query ids of the split, in file order. Includes queries without judgments when the source lists them. */
  queryIds: string[];
  /** Judgments for this split. */
  qrels: Qrels;
  /** First-stage candidates shipped with the collection (e.g. the TREC DL BM25 top-100 with text), by retriever name. */
  candidates?: Record<string, Run>;
  /** Grade from which a document counts as relevant for binary measures (trec_eval `-l`); 1 unless stated (TREC DL: 2). */
  relevanceThreshold: number;
}

export interface Dataset {
  /** Registry name, e.g. "scifact". */
  name: string;
  documents: Map<string, DatasetDocument>;
  /** Query id → query text, over all splits. */
  queries: Map<string, string>;
  splits: Record<string, DatasetSplit>;
  /** Caveats a user should know (preprocessed text, pseudo-queries, …). */
  notes: string[];
}

/**
 * The named split of a dataset; throws with the list of splits the dataset has when it is missing.
 * @example getSplit(ds, "test").queryIds.length // 300 for SciFact
 */
export function getSplit(dataset: Dataset, splitName: string): DatasetSplit {
  const split = dataset.splits[splitName];
  if (!split) {
    throw new Error(
      `${dataset.name}: no split "${splitName}". Splits of this dataset: ${Object.keys(dataset.splits).join(", ") || "(none)"}.`,
    );
  }
  return split;
}

/** The text BM25 and the tokenizer see for a document: title and text joined by a space, as BEIR and Anserini do. */
export function documentText(document: DatasetDocument): string {
  return document.title ? `${document.title} ${document.text}` : document.text;
}

/** Adds one judgment, keeping the larger grade when the same pair is judged twice. */
export function addJudgment(qrels: Qrels, queryId: string, docId: string, grade: number): void {
  let byDoc = qrels.get(queryId);
  if (!byDoc) qrels.set(queryId, (byDoc = new Map()));
  const previous = byDoc.get(docId);
  if (previous === undefined || grade > previous) byDoc.set(docId, grade);
}

/** Number of (query, document) judgments in a qrels map. */
export function judgmentCount(qrels: Qrels): number {
  let count = 0;
  for (const byDoc of qrels.values()) count += byDoc.size;
  return count;
}

/** Ids of the documents with grade ≥ threshold for one query, in insertion order. */
export function relevantDocIds(qrels: Qrels, queryId: string, relevanceThreshold = 1): string[] {
  const byDoc = qrels.get(queryId);
  if (!byDoc) return [];
  const ids: string[] = [];
  for (const [docId, grade] of byDoc) if (grade >= relevanceThreshold) ids.push(docId);
  return ids;
}
