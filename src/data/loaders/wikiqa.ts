import * as path from "node:path";
import { DataFormatError } from "../data-format-error";
import { addJudgment, type Dataset, type DatasetDocument, type Qrels, type Run } from "../dataset";
import { readTsv } from "../read-tsv";
import { judgedSplit } from "./build-dataset";

/** Undoes the CSV-style quoting the uploader added to some train sentences: `"text with ""q"""` → `text with "q"`. */
function unquote(sentence: string): string {
  return sentence.length >= 2 && sentence.startsWith('"') && sentence.endsWith('"') ? sentence.slice(1, -1).replace(/""/g, '"') : sentence;
}

/**
 * WikiQA answer-sentence selection. Each question's candidate sentences are its documents, all judged
 * (label 1 = correct answer, 0 = not); they are also given as the candidate list "wikiqa" in file order,
 * every score 0 (file order puts answers early: break ties at random or rerank, do not trust that order).
 * - split "train" (`WikiQA-train.tsv`, re-indexed by its uploader): questions are grouped by question text,
 *   ids `train-q<n>` in order of first appearance, sentence ids `train-s<row>` (2,118 questions, 20,360 pairs);
 * - split "test" (`WikiQA-test.tsv`, original ids `Q…`, `D…-…`): 633 questions, 6,165 pairs, 243 answerable.
 * Splits keep every question, answerable or not; standard practice scores only those with an answer.
 *
 * Reference: Yang, Yih, Meek, "WikiQA: A Challenge Dataset for Open-Domain Question Answering", EMNLP 2015.
 */
export async function loadWikiqa(root: string): Promise<Dataset> {
  const folder = path.join(root, "wikiqa");
  const documents = new Map<string, DatasetDocument>();
  const queries = new Map<string, string>();
  const dataset: Dataset = { name: "wikiqa", documents, queries, splits: {}, notes: ["Only questions with at least one correct sentence are usually evaluated (test: 243 of 633)."] };

  for (const part of ["train", "test"] as const) {
    const file = path.join(folder, `WikiQA-${part}.tsv`);
    const splitQueries = new Map<string, string>();
    const qrels: Qrels = new Map();
    const candidates: Run = new Map();
    const trainIdsByText = new Map<string, string>();
    await readTsv(file, 5, (fields, lineNumber) => {
      let queryId: string, question: string, sentenceId: string, sentence: string, label: string;
      if (fields.length === 7) {
        [queryId, question, , , sentenceId, sentence, label] = fields as [string, string, string, string, string, string, string];
      } else if (fields.length === 5) {
        [queryId, question, sentenceId, sentence, label] = fields as [string, string, string, string, string];
      } else {
        throw new DataFormatError(file, lineNumber, `expected 5 or 7 tab-separated fields, got ${fields.length}.`);
      }
      if (label !== "0" && label !== "1") throw new DataFormatError(file, lineNumber, `label must be 0 or 1, got "${label}".`);
      if (part === "train") {
        // The uploader replaced ids by per-row counters: the question text is the only real key.
        queryId = trainIdsByText.get(question) ?? `train-q${trainIdsByText.size + 1}`;
        trainIdsByText.set(question, queryId);
        sentenceId = `train-s${lineNumber - 1}`;
        sentence = unquote(sentence);
      }
      splitQueries.set(queryId, question);
      queries.set(queryId, question);
      documents.set(sentenceId, { id: sentenceId, text: sentence });
      addJudgment(qrels, queryId, sentenceId, Number(label));
      let scores = candidates.get(queryId);
      if (!scores) candidates.set(queryId, (scores = new Map()));
      scores.set(sentenceId, 0);
    }, { header: true });
    dataset.splits[part] = { ...judgedSplit(part, splitQueries, qrels), candidates: { wikiqa: candidates } };
  }
  return dataset;
}
