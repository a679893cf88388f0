import type { Dataset, DatasetDocument, DatasetSplit, Qrels } from "../dataset";

/** Assembles a one-split dataset whose split holds the queries that have at least one judgment, in query-file order. */
export function singleSplitDataset(options: {
  name: string;
  splitName?: string;
  documents: DatasetDocument[];
  queries: Map<string, string>;
  qrels: Qrels;
  relevanceThreshold?: number;
  notes?: string[];
}): Dataset {
  const documents = new Map<string, DatasetDocument>();
  const duplicateIds: string[] = [];
  for (const document of options.documents) {
    if (documents.has(document.id)) duplicateIds.push(document.id);
    else documents.set(document.id, document);
  }
  const notes = [...(options.notes ?? [])];
  if (duplicateIds.length > 0) notes.push(`${duplicateIds.length} duplicate document ids in the source (${duplicateIds.slice(0, 5).join(", ")}…); the first record of each was kept.`);
  return {
    name: options.name,
    documents,
    queries: options.queries,
    splits: { [options.splitName ?? "test"]: judgedSplit(options.splitName ?? "test", options.queries, options.qrels, options.relevanceThreshold ?? 1) },
    notes,
  };
}

/** A split holding the judged queries of `queries` (query-file order first, then judged ids missing from the query file). */
export function judgedSplit(name: string, queries: ReadonlyMap<string, string>, qrels: Qrels, relevanceThreshold = 1): DatasetSplit {
  const queryIds = [...queries.keys()].filter((id) => qrels.has(id));
  for (const id of qrels.keys()) if (!queries.has(id)) queryIds.push(id);
  return { name, queryIds, qrels, relevanceThreshold };
}

/** Integer-looking ids without leading zeros ("001" → "1"), so that files numbering the same record differently agree. */
export function canonicalNumber(id: string): string {
  return /^\d+$/.test(id) ? String(Number(id)) : id;
}
