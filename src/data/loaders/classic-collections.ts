import * as fs from "node:fs";
import * as path from "node:path";
import { DataFormatError } from "../data-format-error";
import { addJudgment, type Dataset, type DatasetDocument, type Qrels } from "../dataset";
import { forEachLine, readTextFile } from "../for-each-line";
import { streamQrels } from "../read-qrels";
import { parseSmartRecords } from "../smart-records";
import { canonicalNumber, singleSplitDataset } from "./build-dataset";

/**
 * Loaders for the classic small test collections (SMART/Glasgow distribution). Each returns one split,
 * "test", holding the queries that have judgments. Documents are `title` (`.T`) + `text` (`.W`).
 * Reference: http://ir.dcs.gla.ac.uk/resources/test_collections/
 */

function smartDocuments(file: string): DatasetDocument[] {
  return parseSmartRecords(file).map((record) => ({
    id: canonicalNumber(record.id),
    title: record.fields.T || undefined,
    text: record.fields.W ?? "",
  }));
}

function smartQueries(file: string, options: { idByPosition?: boolean } = {}): Map<string, string> {
  const queries = new Map<string, string>();
  parseSmartRecords(file).forEach((record, index) => {
    const text = [record.fields.T, record.fields.W].filter(Boolean).join(" ").trim();
    if (!text) return; // CACM's trailing empty ".I 0" record
    queries.set(options.idByPosition ? String(index + 1) : canonicalNumber(record.id), text);
  });
  return queries;
}

/** `qid docid …` lines (SMART .REL, CACM qrels.text): every listed pair is relevant (grade 1). */
async function readPairList(file: string, qrels: Qrels): Promise<void> {
  await forEachLine(file, (line, lineNumber) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === "") return;
    if (fields.length < 2 || !/^\d+$/.test(fields[0]!) || !/^\d+$/.test(fields[1]!)) {
      throw new DataFormatError(file, lineNumber, `expected "query-id doc-id ...", got "${line.slice(0, 60)}".`);
    }
    addJudgment(qrels, canonicalNumber(fields[0]!), canonicalNumber(fields[1]!), 1);
  });
}

/** Cranfield 1400: graded qrels, gain = 5 − code for Cleverdon codes 1..4 (1 = complete answer); code −1 kept as judged non-relevant (0). */
export async function loadCranfield(root: string): Promise<Dataset> {
  const folder = path.join(root, "cranfield");
  const qrels: Qrels = new Map();
  await forEachLine(path.join(folder, "cranqrel"), (line, lineNumber) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === "") return;
    if (fields.length !== 3) throw new DataFormatError(path.join(folder, "cranqrel"), lineNumber, `expected 3 fields "query doc code", got ${fields.length}.`);
    const code = Number(fields[2]);
    if (!(code === -1 || (code >= 1 && code <= 4))) throw new DataFormatError(path.join(folder, "cranqrel"), lineNumber, `relevance code must be -1 or 1..4, got "${fields[2]}".`);
    addJudgment(qrels, fields[0]!, fields[1]!, code === -1 ? 0 : 5 - code);
  });
  return singleSplitDataset({
    name: "cranfield",
    documents: smartDocuments(path.join(folder, "cran.all.1400")),
    queries: smartQueries(path.join(folder, "cran.qry"), { idByPosition: true }),
    qrels,
    notes: ["Query ids are positions 1..225 in cran.qry (as cranqrel numbers them), not the .I numbers.", "Grades: 4 = complete answer … 1 = minimum interest (5 − Cleverdon code); code −1 is kept as judged non-relevant (0)."],
  });
}

/** A SMART collection in one folder: documents, queries and a judgment file (`qid docid …` pairs, or TREC qrels). */
async function loadSmartCollection(root: string, name: string, files: { folder: string; documents: string; queries: string; judgments: string; judgmentFormat: "pairs" | "trec" }): Promise<Dataset> {
  const folder = path.join(root, files.folder);
  const qrels: Qrels = new Map();
  if (files.judgmentFormat === "trec") await streamQrels(path.join(folder, files.judgments), qrels);
  else await readPairList(path.join(folder, files.judgments), qrels);
  return singleSplitDataset({ name, documents: smartDocuments(path.join(folder, files.documents)), queries: smartQueries(path.join(folder, files.queries)), qrels });
}

/** CISI: 1,460 documents, 112 queries of which 76 are judged. */
export function loadCisi(root: string): Promise<Dataset> {
  return loadSmartCollection(root, "cisi", { folder: "cisi", documents: "CISI.ALL", queries: "CISI.QRY", judgments: "CISI.REL", judgmentFormat: "pairs" });
}

/** MEDLINE (MED): 1,033 abstracts, 30 queries, corrected judgments MED.REL (TREC format). */
export function loadMedline(root: string): Promise<Dataset> {
  return loadSmartCollection(root, "medline", { folder: "medline", documents: "MED.ALL", queries: "MED.QRY", judgments: "MED.REL", judgmentFormat: "trec" });
}

/** ADI: 82 documents, 35 queries (unit-test-sized). */
export function loadAdi(root: string): Promise<Dataset> {
  return loadSmartCollection(root, "adi", { folder: "adi", documents: "ADI.ALL", queries: "ADI.QRY", judgments: "ADI.REL", judgmentFormat: "pairs" });
}

/** CACM: 3,204 documents (not all have abstracts), 64 queries of which 52 are judged; qrels.text is `qid docid 0 0`. */
export function loadCacm(root: string): Promise<Dataset> {
  return loadSmartCollection(root, "cacm", { folder: "cacm", documents: "cacm.all", queries: "query.text", judgments: "qrels.text", judgmentFormat: "pairs" });
}

/** NPL (Vaswani), TREC-format copy from Terrier: 11,429 lower-cased abstracts, 93 queries. */
export async function loadNpl(root: string): Promise<Dataset> {
  const folder = path.join(root, "vaswani-npl");
  const documents: DatasetDocument[] = [];
  const docText = readTextFile(path.join(folder, "doc-text.trec"));
  for (const match of docText.matchAll(/<DOC>\s*<DOCNO>\s*([^<\s]+)\s*<\/DOCNO>([\s\S]*?)<\/DOC>/g)) {
    documents.push({ id: match[1]!, text: match[2]!.replace(/\s+/g, " ").trim() });
  }
  const queries = new Map<string, string>();
  const queryText = readTextFile(path.join(folder, "query-text.trec"));
  for (const match of queryText.matchAll(/<num>\s*([^<\s]+)\s*<\/num>\s*<title>([\s\S]*?)<\/title>/g)) {
    queries.set(match[1]!, match[2]!.replace(/\s+/g, " ").trim());
  }
  const qrels: Qrels = new Map();
  await streamQrels(path.join(folder, "qrels"), qrels);
  return singleSplitDataset({ name: "vaswani-npl", documents, queries, qrels, notes: ["Document text is lower-cased without punctuation (Terrier's conversion)."] });
}

/** LISA: 6,003 documents across LISA*.* files (`Document n`, title, blank line, abstract, a line of asterisks), 35 queries, 34 judged. */
export async function loadLisa(root: string): Promise<Dataset> {
  const folder = path.join(root, "lisa");
  const documents: DatasetDocument[] = [];
  const notes: string[] = [];
  const documentFiles = fs.readdirSync(folder).filter((name) => /^LISA\d\.\d{3}$/.test(name)).sort();
  for (const name of documentFiles) {
    let current: { id: string; title: string[]; text: string[]; inText: boolean } | undefined;
    let orphanLine = 0;
    const finish = () => {
      if (current) documents.push({ id: current.id, title: current.title.join(" ").replace(/\s+/g, " ").trim(), text: current.text.join(" ").replace(/\s+/g, " ").trim() });
      current = undefined;
    };
    readTextFile(path.join(folder, name)).split("\n").forEach((line, index) => {
      const header = /^Document\s+(\d+)\s*$/.exec(line);
      if (header) {
        finish();
        current = { id: header[1]!, title: [], text: [], inText: false };
      } else if (/^\*{10,}\s*$/.test(line)) {
        finish();
      } else if (current) {
        if (line.trim() === "") current.inText = current.title.length > 0;
        else (current.inText ? current.text : current.title).push(line);
      } else if (line.trim() !== "" && orphanLine === 0) {
        orphanLine = index + 1;
      }
    });
    finish();
    // LISA1.501 holds one abstract whose "Document <n>" header is lost (hence 6,003 documents, not 6,004): skip it, say so.
    if (orphanLine) notes.push(`Skipped text outside any "Document <n>" record at ${name}:${orphanLine}.`);
  }
  const queries = new Map<string, string>();
  for (const block of readTextFile(path.join(folder, "LISA.QUE")).split("#")) {
    const match = /^\s*(\d+)\s*\n([\s\S]*)$/.exec(block);
    if (match) queries.set(match[1]!, match[2]!.replace(/\s+/g, " ").trim());
  }
  // LISA.REL is damaged (query 21's block swallows another; query 35 appears twice); LISARJ.NUM holds the same
  // judgments intact as a stream of numbers: query id, count, then that many document ids.
  const qrels: Qrels = new Map();
  const numbersFile = path.join(folder, "LISARJ.NUM");
  const numbers = readTextFile(numbersFile).trim().split(/\s+/).map(Number);
  for (let position = 0; position < numbers.length; ) {
    const queryId = numbers[position]!;
    const count = numbers[position + 1]!;
    if (!Number.isInteger(queryId) || !Number.isInteger(count) || position + 2 + count > numbers.length) {
      throw new DataFormatError(numbersFile, 1, `judgment record at number ${position + 1} is incomplete (query ${queryId}, count ${count}).`);
    }
    for (const docId of numbers.slice(position + 2, position + 2 + count)) addJudgment(qrels, String(queryId), String(docId), 1);
    position += 2 + count;
  }
  return singleSplitDataset({ name: "lisa", documents, queries, qrels, notes });
}

/** TIME: 423 Time-magazine articles (upper case), 83 queries; TIME.REL lines are `qid doc doc …`. */
export async function loadTime(root: string): Promise<Dataset> {
  const folder = path.join(root, "time");
  const documents: DatasetDocument[] = [];
  const allText = readTextFile(path.join(folder, "TIME.ALL")).replace(/^\*STOP\s*$/m, "");
  for (const match of allText.matchAll(/^\*TEXT\s+(\d+)[^\n]*\n([\s\S]*?)(?=^\*TEXT|(?![\s\S]))/gm)) {
    documents.push({ id: canonicalNumber(match[1]!), text: match[2]!.replace(/\s+/g, " ").trim() });
  }
  const queries = new Map<string, string>();
  for (const match of readTextFile(path.join(folder, "TIME.QUE")).matchAll(/^\*FIND\s+(\d+)\s*\n([\s\S]*?)(?=^\*FIND|^\*STOP|(?![\s\S]))/gm)) {
    queries.set(canonicalNumber(match[1]!), match[2]!.replace(/\s+/g, " ").trim());
  }
  const qrels: Qrels = new Map();
  // TIME.REL lists all relevant documents of a query on one line.
  await forEachLine(path.join(folder, "TIME.REL"), (line) => {
    const [queryId, ...docIds] = line.trim().split(/\s+/);
    if (queryId) for (const docId of docIds) addJudgment(qrels, canonicalNumber(queryId), canonicalNumber(docId), 1);
  });
  return singleSplitDataset({ name: "time", documents, queries, qrels, notes: ["Text is upper case, as distributed."] });
}
