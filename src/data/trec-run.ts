import * as fs from "node:fs";
import * as path from "node:path";
import { DataFormatError } from "./data-format-error";
import { readTextFile } from "./for-each-line";
import { forEachTrecLine, type TrecParseOptions } from "./trec-qrels";

/**
 * A ranking run: query id → document id → score (higher ranks first), in file order.
 * The rank column of a TREC run is not kept: trec_eval ignores it and ranks by score descending, breaking ties
 * by document id descending (see {@link rankedDocIds}).
 */
export type Run = Map<string, Map<string, number>>;

/** A parsed run file: the scores plus the run tag (last column of the last line, as trec_eval's `runid`). */
export interface ParsedRun {
  run: Run;
  runTag: string;
}

const INFINITY_PATTERN = /^([+-]?)inf(inity)?$/i;

/**
 * Parses a TREC score field. Accepts what `Number` accepts plus `inf`/`-inf`; NaN or text is an error
 * (trec_eval's `atof` would silently read it as 0 or NaN and give an arbitrary order).
 */
export function parseTrecScore(scoreText: string, file: string, lineNumber: number): number {
  const score = Number(scoreText);
  if (!Number.isNaN(score) && scoreText.trim() !== "") return score;
  const infinity = INFINITY_PATTERN.exec(scoreText);
  if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
  throw new DataFormatError(
    file,
    lineNumber,
    `score must be a number, got ${JSON.stringify(scoreText)}. Fix the scorer that wrote this run (NaN scores cannot be ranked).`,
  );
}

/**
 * Parses a TREC run, one retrieved document per line: `qid Q0 docno rank score tag` (whitespace-separated; at
 * least 6 fields, further fields ignored, as trec_eval does). The `Q0` and `rank` columns are ignored.
 * A document listed twice for a query is an error, as in trec_eval (`form_res_rels: duplicate docs`).
 *
 * Reference: trec_eval `get_trec_results.c`.
 * @example parseRunWithTag("1 Q0 d1 1 2.5 bm25\n").run.get("1")?.get("d1") // 2.5
 */
export function parseRunWithTag(text: string, options: TrecParseOptions = {}): ParsedRun {
  const file = options.file ?? "<run>";
  const run: Run = new Map();
  const lineOf = new Map<string, Map<string, number>>();
  let runTag = "";
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  forEachTrecLine(text, (fields, lineNumber) => {
    if (fields.length < 6) {
      throw new DataFormatError(
        file,
        lineNumber,
        `expected 6 fields "qid Q0 docno rank score tag", got ${fields.length} (${JSON.stringify(fields.join(" "))}).` +
          (fields.length === 4 ? " Is this a qrels file? Qrels have 4 fields: \"qid iter docno grade\"." : ""),
      );
    }
    const [queryId, , docId, , scoreText, tag] = fields as [string, string, string, string, string, string];
    const score = parseTrecScore(scoreText, file, lineNumber);
    let scores = run.get(queryId);
    let lines = lineOf.get(queryId);
    if (!scores || !lines) {
      scores = new Map();
      lines = new Map();
      run.set(queryId, scores);
      lineOf.set(queryId, lines);
    }
    const earlier = lines.get(docId);
    if (earlier !== undefined) {
      throw new DataFormatError(
        file,
        lineNumber,
        `document ${JSON.stringify(docId)} is listed twice for query ${JSON.stringify(queryId)} (first on line ${earlier}); ` +
          `trec_eval stops with "duplicate docs" too. Keep one line per (query, document).`,
      );
    }
    lines.set(docId, lineNumber);
    scores.set(docId, score);
    runTag = tag;
  });
  return { run, runTag };
}

/** Parses a TREC run; see {@link parseRunWithTag} (which also returns the run tag). */
export function parseRun(text: string, options: TrecParseOptions = {}): Run {
  return parseRunWithTag(text, options).run;
}

/** Reads a TREC run file (`.gz` is gunzipped); see {@link parseRunWithTag}. */
export function readRun(file: string): Run {
  return parseRun(readTextFile(file), { file });
}

/** Reads a TREC run file with its tag; see {@link parseRunWithTag}. */
export function readRunWithTag(file: string): ParsedRun {
  return parseRunWithTag(readTextFile(file), { file });
}

/**
 * Orders compare function of trec_eval: score descending, ties broken by document id descending
 * (JavaScript string order, which equals trec_eval's `strcmp` for ASCII ids).
 */
export function compareTrecOrder(scoreA: number, docIdA: string, scoreB: number, docIdB: string): number {
  if (scoreA > scoreB) return -1;
  if (scoreA < scoreB) return 1;
  return docIdA < docIdB ? 1 : docIdA > docIdB ? -1 : 0;
}

/**
 * Document ids of one query's ranking in trec_eval order (score descending, ties by docno descending).
 * @example rankedDocIds(new Map([["a", 1], ["b", 1], ["c", 2]])) // ["c", "b", "a"]
 */
export function rankedDocIds(scores: ReadonlyMap<string, number>): string[] {
  const entries = Array.from(scores);
  entries.sort((a, b) => compareTrecOrder(a[1], a[0], b[1], b[0]));
  return entries.map((entry) => entry[0]);
}

/** Options for {@link formatRun} and {@link writeRun}. */
export interface WriteRunOptions {
  /** Run tag written in the last column (default `"rerank-scaling"`). */
  runTag?: string;
  /** Keep at most this many documents per query (default: all). */
  depth?: number;
}

/**
 * Formats a run as TREC text: per query (in map order), documents in trec_eval order with ranks 1..n, so the
 * rank column agrees with the scores. Scores are written with full precision (`String(score)`).
 */
export function formatRun(run: Run, options: WriteRunOptions = {}): string {
  const runTag = options.runTag ?? "rerank-scaling";
  if (/\s/.test(runTag) || runTag === "") {
    throw new Error(`formatRun: runTag must be a non-empty word without spaces, got ${JSON.stringify(runTag)}.`);
  }
  const depth = options.depth ?? Infinity;
  const parts: string[] = [];
  for (const [queryId, scores] of run) {
    const ranked = rankedDocIds(scores);
    const count = Math.min(ranked.length, depth);
    for (let rank = 0; rank < count; rank++) {
      const docId = ranked[rank]!;
      parts.push(`${queryId} Q0 ${docId} ${rank + 1} ${String(scores.get(docId))} ${runTag}\n`);
    }
  }
  return parts.join("");
}

/** Writes a run as a TREC run file, atomically (temporary file, then rename). See {@link formatRun}. */
export function writeRun(file: string, run: Run, options: WriteRunOptions = {}): void {
  const text = formatRun(run, options);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
