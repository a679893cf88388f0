import { readTextFile } from "../for-each-line";
import type { DatasetDocument, Run } from "../dataset";

/**
 * Reads a pyserini / rank_llm candidate file: a JSON array of `{ query, hits: [{ qid, docid, rank, score, content }] }`.
 * Adds each hit's passage text to `documents` (first text seen wins) and returns the ranked lists by query id.
 * Queries with no hits are left out. A document listed twice for a query keeps its last score.
 *
 * Reference: castorini/rank_llm `retrieve_results/` (2023), pyserini `--output-format` JSON.
 * @example readRankLlmCandidates("BM25/retrieve_results_dl19.json", documents).get("19335")?.size // 100
 */
export function readRankLlmCandidates(file: string, documents: Map<string, DatasetDocument>, queries?: Map<string, string>): Run {
  const parsed: unknown = JSON.parse(readTextFile(file));
  if (!Array.isArray(parsed)) throw new Error(`readRankLlmCandidates: ${file} must hold a JSON array of { query, hits }, got ${typeof parsed}.`);
  const lists: Run = new Map();
  parsed.forEach((entry: { query?: unknown; hits?: unknown }, index) => {
    if (!entry || typeof entry.query !== "string" || !Array.isArray(entry.hits)) {
      throw new Error(`readRankLlmCandidates: ${file}, entry ${index + 1}: expected { query: string, hits: [...] }.`);
    }
    const hits = entry.hits as { qid?: unknown; docid?: unknown; score?: unknown; content?: unknown }[];
    if (hits.length === 0) return;
    const queryId = String(hits[0]!.qid);
    queries?.set(queryId, entry.query);
    const scores = new Map<string, number>();
    hits.forEach((hit, hitIndex) => {
      if (hit.docid === undefined || typeof hit.content !== "string" || typeof hit.score !== "number") {
        throw new Error(`readRankLlmCandidates: ${file}, entry ${index + 1}, hit ${hitIndex + 1}: needs docid, content (string) and score (number).`);
      }
      const docId = String(hit.docid);
      if (!documents.has(docId)) documents.set(docId, { id: docId, text: hit.content });
      scores.set(docId, hit.score);
    });
    lists.set(queryId, scores);
  });
  return lists;
}
