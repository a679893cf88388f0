import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset, DatasetDocument, Qrels, Run } from "../dataset";
import { streamQrels } from "../read-qrels";
import { readTsv } from "../read-tsv";
import { judgedSplit } from "./build-dataset";
import { readRankLlmCandidates } from "./rank-llm-candidates";

/** First-stage retrievers whose DL19/DL20 lists (with passage text) are staged, in the order their texts are taken. */
export const TREC_DL_RETRIEVERS = ["BM25", "BM25_RM3", "SPLADE_P_P_ENSEMBLE_DISTIL", "D_BERT_KD_TASB", "OPEN_AI_ADA2", "REP_LLAMA"] as const;

/**
 * TREC Deep Learning passage track, 2019 or 2020: the judged queries, graded qrels (0–3; binary measures use
 * grade ≥ 2, the track's convention), and as documents the union of the passages in six first-stage candidate
 * lists with text (rank_llm's lists: BM25, BM25+RM3, SPLADE++, TAS-B, ada-002, RepLLaMA). For 2019 the text of
 * every judged-relevant passage is added from `trec-dl19-judged-relevant-passages` (encoding repaired there,
 * while the lists keep MS MARCO's raw mojibake; the lists' text wins where both have a passage).
 * One split, "test"; `candidates` holds each retriever's ranked lists.
 *
 * Reference: Craswell et al., "Overview of the TREC 2019 Deep Learning Track" (and 2020).
 */
export async function loadTrecDl(root: string, year: 2019 | 2020): Promise<Dataset> {
  const short = year === 2019 ? "dl19" : "dl20";
  const documents = new Map<string, DatasetDocument>();
  const queries = new Map<string, string>();
  await readTsv(path.join(root, "msmarco-passage", year === 2019 ? "topics.dl19-passage.txt" : "topics.dl20.txt"), 2, ([id, text]) => queries.set(id!, text!), { joinExtra: true });
  const qrels: Qrels = new Map();
  await streamQrels(path.join(root, "msmarco-passage", `qrels.${short}-passage.txt`), qrels);
  const candidates: Record<string, Run> = {};
  for (const retriever of TREC_DL_RETRIEVERS) {
    const file = path.join(root, "trec-dl-passage-candidates", retriever, `retrieve_results_${short}.json`);
    if (fs.existsSync(file)) candidates[retriever] = readRankLlmCandidates(file, documents);
  }
  let notes = ["Documents are only the passages of the staged candidate lists (and, for 2019, the judged-relevant ones), not the 8.8M-passage MS MARCO collection: BM25 over them is not MS MARCO BM25. Use candidates.BM25 for the official first stage."];
  if (year === 2019) {
    const before = documents.size;
    await readTsv(path.join(root, "trec-dl19-judged-relevant-passages", "collection.tsv"), 2, ([id, text]) => {
      if (id !== "0" && !documents.has(id!)) documents.set(id!, { id: id!, text: text! });
    }, { joinExtra: true });
    notes = [...notes, `${documents.size - before} judged-relevant passages were added from trec-dl19-judged-relevant-passages (UTF-8 repaired text).`];
  }
  const split = { ...judgedSplit("test", queries, qrels, 2), candidates };
  return { name: `trec-dl-${year}`, documents, queries, splits: { test: split }, notes };
}
