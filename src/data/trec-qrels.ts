import { DataFormatError } from "./data-format-error";
import { readTextFile } from "./for-each-line";

/**
 * Relevance judgments: query id → document id → integer grade, in file order.
 * Grades follow trec_eval: `grade >= relevanceThreshold` (trec_eval `-l`, default 1) is relevant, 0 is judged
 * non-relevant, and a negative grade means "in the pool but not judged" (trec_eval's RELVALUE_UNJUDGED): such a
 * document counts neither as relevant nor as judged non-relevant.
 */
export type Qrels = Map<string, Map<string, number>>;

/** Options shared by the TREC parsers. */
export interface TrecParseOptions {
  /** File name used in error messages (default `"<qrels>"` / `"<run>"` / `"<topics>"`). */
  file?: string;
}

/** Splits a TREC line on runs of whitespace (spaces, tabs, `\r`), dropping empty fields. */
export function trecLineFields(line: string): string[] {
  const fields: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const code = i < line.length ? line.charCodeAt(i) : 32;
    const blank = code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
    if (blank) {
      if (start >= 0) fields.push(line.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return fields;
}

/**
 * Calls `onLine(fields, lineNumber)` for every content line of a TREC text file: blank lines and lines whose
 * first non-blank character is `#` are skipped (trec_eval skips `#` comment lines); `\r\n` endings are accepted.
 */
export function forEachTrecLine(text: string, onLine: (fields: string[], lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNumber++;
    const line = text.slice(start, end);
    start = end + 1;
    const fields = trecLineFields(line);
    if (fields.length === 0 || fields[0]!.startsWith("#")) continue;
    onLine(fields, lineNumber);
  }
}

const INTEGER_PATTERN = /^[+-]?\d+$/;

/**
 * Parses TREC qrels text, one judgment per line: `qid iter docno grade` (whitespace-separated; `iter` ignored).
 * Exactly 4 fields, as trec_eval requires; the grade must be an integer (trec_eval reads it with `atol`).
 * A document judged twice for the same query is an error, as in trec_eval (`form_res_rels: duplicate docs`).
 *
 * Reference: trec_eval `get_qrels.c`.
 * @example parseQrels("301 0 FT-1 2\n301 0 FT-2 0\n").get("301")?.get("FT-1") // 2
 */
export function parseQrels(text: string, options: TrecParseOptions = {}): Qrels {
  const file = options.file ?? "<qrels>";
  const qrels: Qrels = new Map();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let judgments: Map<string, number> | undefined;
  let judgmentsQueryId = "";
  forEachTrecLine(text, (fields, lineNumber) => {
    if (fields.length !== 4) {
      throw new DataFormatError(
        file,
        lineNumber,
        `expected 4 fields "qid iter docno grade", got ${fields.length} (${JSON.stringify(fields.join(" "))}). ` +
          `Is this a run file? Runs have 6 fields: "qid Q0 docno rank score tag".`,
      );
    }
    const [queryId, , docId, gradeText] = fields as [string, string, string, string];
    if (!INTEGER_PATTERN.test(gradeText)) {
      throw new DataFormatError(file, lineNumber, `grade must be an integer, got ${JSON.stringify(gradeText)}.`);
    }
    if (!judgments || queryId !== judgmentsQueryId) {
      judgments = qrels.get(queryId);
      if (!judgments) {
        judgments = new Map();
        qrels.set(queryId, judgments);
      }
      judgmentsQueryId = queryId;
    }
    if (judgments.has(docId)) {
      let earlier = 0;
      forEachTrecLine(text, (other, otherLine) => {
        if (earlier === 0 && otherLine < lineNumber && other[0] === queryId && other[2] === docId) earlier = otherLine;
      });
      throw new DataFormatError(
        file,
        lineNumber,
        `document ${JSON.stringify(docId)} is judged twice for query ${JSON.stringify(queryId)} (first on line ${earlier}); ` +
          `trec_eval refuses duplicate judgments too. Keep one line per (query, document).`,
      );
    }
    judgments.set(docId, Number.parseInt(gradeText, 10));
  });
  return qrels;
}

/** Reads a TREC qrels file (`.gz` is gunzipped); see {@link parseQrels}. */
export function readQrels(file: string): Qrels {
  return parseQrels(readTextFile(file), { file });
}

/** Writes qrels as TREC text (`qid 0 docno grade`), in map order. */
export function formatQrels(qrels: Qrels): string {
  const lines: string[] = [];
  for (const [queryId, judgments] of qrels) {
    for (const [docId, grade] of judgments) lines.push(`${queryId} 0 ${docId} ${grade}`);
  }
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}
