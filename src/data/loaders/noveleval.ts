import * as path from "node:path";
import type { Dataset, DatasetDocument, Qrels, Run } from "../dataset";
import { streamQrels } from "../read-qrels";
import { readTsv } from "../read-tsv";
import { judgedSplit } from "./build-dataset";

/**
 * NovelEval-2306: 21 questions about events after GPT-4's training cut-off, 20 graded candidates each
 * (0/1/2), all judged. Candidates: list "noveleval" (the 20 per query, every score 0: rerank them).
 *
 * Reference: Sun et al., "Is ChatGPT Good at Search? Investigating Large Language Models as Re-Ranking Agents", EMNLP 2023.
 */
export async function loadNoveleval(root: string): Promise<Dataset> {
  const folder = path.join(root, "noveleval");
  const documents = new Map<string, DatasetDocument>();
  await readTsv(path.join(folder, "corpus.tsv"), 2, ([id, text]) => documents.set(id!, { id: id!, text: text! }), { joinExtra: true });
  const queries = new Map<string, string>();
  await readTsv(path.join(folder, "queries.tsv"), 2, ([id, text]) => queries.set(id!, text!), { joinExtra: true });
  const qrels: Qrels = new Map();
  await streamQrels(path.join(folder, "qrels.txt"), qrels);
  const candidates: Run = new Map([...qrels].map(([queryId, byDoc]) => [queryId, new Map([...byDoc.keys()].map((docId) => [docId, 0]))]));
  return { name: "noveleval", documents, queries, splits: { test: { ...judgedSplit("test", queries, qrels), candidates: { noveleval: candidates } } }, notes: [] };
}
