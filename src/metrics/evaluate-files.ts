import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { DataFormatError } from "../data/data-format-error";
import { parseQrels, type Qrels } from "../data/trec-qrels";
import { parseTrecScore } from "../data/trec-run";
import { compareQueryIds } from "./evaluate";
import { EvaluationPlan, resolveEvaluationOptions, type EvaluationOptions, type ResolvedEvaluationOptions } from "./evaluation-plan";
import { judgedCountsByGrade, relevantCountOf, RELEVANCE_NOT_IN_POOL, RELEVANCE_UNJUDGED_IN_POOL, type JudgedRanking } from "./judged-ranking";

/**
 * trec_eval on files, fast: the run is streamed in windows and scanned as bytes (never split into JavaScript strings
 * per line), document ids are compared as bytes (exactly trec_eval's `strcmp`), and only the judged documents of
 * each query are placed in rank order (by binary search among them), instead of sorting every ranking.
 * Semantics are those of {@link evaluate}; query and document ids are read as Latin-1 so any byte sequence
 * round-trips to the output unchanged. Two deliberate departures from trec_eval, both errors where trec_eval
 * guesses: scores that are not numbers (NaN, text) stop with the file and line, and a document listed twice is
 * reported for every evaluated query even beyond the `-M` cap (trec_eval checks only the top M).
 * A run whose queries are not contiguous is read whole into memory (the common grouped layout streams).
 */

/** {@link EvaluationOptions} plus how the run file is read. */
export interface FileEvaluationOptions extends EvaluationOptions {
  /** Bytes per read window when streaming the run (default 16 MiB; tests use small windows). */
  readWindowBytes?: number;
}

/** The raw outcome of an evaluation, in the layout of its {@link EvaluationPlan} (what the CLI prints). */
export interface TrecFileEvaluation {
  plan: EvaluationPlan;
  options: ResolvedEvaluationOptions;
  /** Evaluated queries in output order. */
  queryIds: string[];
  /** Values per evaluated query (plan layout). */
  perQuery: Float64Array[];
  /** relstring per evaluated query, when requested. */
  relevanceTexts: Array<string | undefined>;
  /** `all` values (plan layout). */
  all: Float64Array;
  /** Run tag of the run's last line. */
  runTag: string;
  /** Run queries without qrels (skipped). */
  runQueriesWithoutQrels: string[];
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const VERTICAL_TAB = 11;
const FORM_FEED = 12;
const HASH_SIGN = 35;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Exact powers of ten: a 15-digit integer divided or multiplied by one of these is correctly rounded. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function latin1(buffer: Buffer, start: number, end: number): string {
  return buffer.toString("latin1", start, end);
}

function readBytes(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  return file.endsWith(".gz") ? zlib.gunzipSync(bytes) : bytes;
}

/** Reads a file into a buffer one byte longer than the content, ending with a newline sentinel for the scanner. */
function readBytesWithSentinel(file: string): { bytes: Buffer; length: number } {
  if (file.endsWith(".gz")) {
    const content = readBytes(file);
    const bytes = Buffer.allocUnsafe(content.length + 1);
    content.copy(bytes);
    bytes[content.length] = NEWLINE;
    return { bytes, length: content.length };
  }
  const descriptor = fs.openSync(file, "r");
  try {
    const length = fs.fstatSync(descriptor).size;
    const bytes = Buffer.allocUnsafe(length + 1);
    let filled = 0;
    while (filled < length) {
      const read = fs.readSync(descriptor, bytes, filled, length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    bytes[filled] = NEWLINE;
    return { bytes, length: filled };
  }
  finally {
    fs.closeSync(descriptor);
  }
}

/** strcmp of two byte ranges of one buffer. */
function compareBytes(buffer: Buffer, startA: number, lengthA: number, startB: number, lengthB: number): number {
  const length = Math.min(lengthA, lengthB);
  for (let i = 0; i < length; i++) {
    const difference = buffer[startA + i]! - buffer[startB + i]!;
    if (difference !== 0) return difference;
  }
  return lengthA - lengthB;
}

/** Growable per-query columns of run lines. */
class QueryLines {
  count = 0;
  starts = new Int32Array(1024);
  lengths = new Int32Array(1024);
  hashes = new Int32Array(1024);
  scores = new Float64Array(1024);
  lineNumbers = new Int32Array(1024);

  push(start: number, length: number, hash: number, score: number, lineNumber: number): void {
    if (this.count === this.starts.length) this.grow();
    const i = this.count++;
    this.starts[i] = start;
    this.lengths[i] = length;
    this.hashes[i] = hash;
    this.scores[i] = score;
    this.lineNumbers[i] = lineNumber;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.lengths = grow(this.lengths, (n) => new Int32Array(n));
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
    this.scores = grow(this.scores, (n) => new Float64Array(n));
    this.lineNumbers = grow(this.lineNumbers, (n) => new Int32Array(n));
  }
}

/** Judged documents of one query, as bytes in a small hash table. */
class JudgedTable {
  readonly bytes: Buffer;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  readonly grades: Int32Array;
  readonly slots: Int32Array;
  readonly mask: number;
  readonly hashes: Int32Array;
  readonly judgedCountByGrade: number[];

  constructor(grades: ReadonlyMap<string, number>) {
    const docIds = [...grades.keys()];
    this.bytes = Buffer.from(docIds.join(""), "latin1");
    this.starts = new Int32Array(docIds.length);
    this.lengths = new Int32Array(docIds.length);
    this.grades = new Int32Array(docIds.length);
    this.hashes = new Int32Array(docIds.length);
    let size = 16;
    while (size < docIds.length * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    let offset = 0;
    docIds.forEach((docId, j) => {
      this.starts[j] = offset;
      this.lengths[j] = docId.length;
      offset += docId.length;
      this.grades[j] = grades.get(docId)!;
      let hash = FNV_OFFSET;
      for (let b = this.starts[j]!; b < offset; b++) hash = Math.imul(hash ^ this.bytes[b]!, FNV_PRIME);
      this.hashes[j] = hash;
      let slot = hash & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = j;
    });
    this.judgedCountByGrade = judgedCountsByGrade(grades.values());
  }

  /** Index of the judged document equal to `run[start, start+length)`, or -1. */
  find(run: Buffer, start: number, length: number, hash: number): number {
    let slot = hash & this.mask;
    for (;;) {
      const j = this.slots[slot]!;
      if (j === -1) return -1;
      if (this.hashes[j] === hash && this.lengths[j] === length) {
        const base = this.starts[j]!;
        let equal = true;
        for (let b = 0; b < length; b++) {
          if (this.bytes[base + b] !== run[start + b]) {
            equal = false;
            break;
          }
        }
        if (equal) return j;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Ranks one query's run lines against its judged documents (trec_eval's form_res_rels, without a full sort). */
class QueryRanker {
  private duplicateSlots = new Int32Array(4096);
  private relevance = new Int32Array(1024);
  private judgedFlags = new Uint8Array(1024);

  constructor(
    private readonly runFile: string,
    private readonly options: ResolvedEvaluationOptions,
  ) {}

  rank(run: Buffer, lines: QueryLines, table: JudgedTable): JudgedRanking {
    const count = lines.count;
    this.checkDuplicates(run, lines);
    // 1. Judged documents among the retrieved.
    const judgedLine: number[] = [];
    const judgedGrade: number[] = [];
    for (let i = 0; i < count; i++) {
      const j = table.find(run, lines.starts[i]!, lines.lengths[i]!, lines.hashes[i]!);
      if (j >= 0) {
        judgedLine.push(i);
        judgedGrade.push(table.grades[j]!);
      }
    }
    // 2. Order them as trec_eval does: score descending, then document id descending.
    const before = (a: number, b: number): boolean => {
      const scoreA = lines.scores[a]!;
      const scoreB = lines.scores[b]!;
      if (scoreA !== scoreB) return scoreA > scoreB;
      return compareBytes(run, lines.starts[a]!, lines.lengths[a]!, lines.starts[b]!, lines.lengths[b]!) > 0;
    };
    const order = judgedLine.map((_, k) => k);
    order.sort((x, y) => (before(judgedLine[x]!, judgedLine[y]!) ? -1 : 1));
    const sortedLines = order.map((k) => judgedLine[k]!);
    // 3. Rank of each judged document = judged ones before it + unjudged ones before it (binary search).
    const judgedCount = sortedLines.length;
    const unjudgedBefore = new Int32Array(judgedCount + 1);
    if (judgedCount > 0) {
      if (this.judgedFlags.length < count) this.judgedFlags = new Uint8Array(Math.max(count, this.judgedFlags.length * 2));
      const isJudged = this.judgedFlags;
      for (const line of sortedLines) isJudged[line] = 1;
      for (let i = 0; i < count; i++) {
        if (isJudged[i]) continue;
        let low = 0;
        let high = judgedCount;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (before(sortedLines[middle]!, i)) low = middle + 1;
          else high = middle;
        }
        unjudgedBefore[low]++;
      }
      for (const line of sortedLines) isJudged[line] = 0;
    }
    const retrievedCount = Math.min(count, this.options.maxDocsPerQuery);
    if (this.relevance.length < retrievedCount) this.relevance = new Int32Array(Math.max(retrievedCount, this.relevance.length * 2));
    const relevanceByRank = this.relevance;
    relevanceByRank.fill(RELEVANCE_NOT_IN_POOL, 0, retrievedCount);
    let relevantRetrievedCount = 0;
    let unjudgedSoFar = 0;
    for (let position = 0; position < judgedCount; position++) {
      unjudgedSoFar += unjudgedBefore[position]!;
      const rank = position + unjudgedSoFar;
      if (rank >= retrievedCount) break;
      const grade = judgedGrade[order[position]!]!;
      relevanceByRank[rank] = grade < 0 ? RELEVANCE_UNJUDGED_IN_POOL : grade;
      if (grade >= 0 && grade >= this.options.relevanceThreshold) relevantRetrievedCount++;
    }
    return {
      retrievedCount,
      relevanceByRank,
      judgedCountByGrade: table.judgedCountByGrade,
      relevantCount: relevantCountOf(table.judgedCountByGrade, this.options.relevanceThreshold),
      relevantRetrievedCount,
    };
  }

  private checkDuplicates(run: Buffer, lines: QueryLines): void {
    const count = lines.count;
    let size = 16;
    while (size < count * 2) size *= 2;
    if (this.duplicateSlots.length < size) this.duplicateSlots = new Int32Array(size);
    const slots = this.duplicateSlots;
    slots.fill(-1, 0, size);
    const mask = size - 1;
    for (let i = 0; i < count; i++) {
      const hash = lines.hashes[i]!;
      let slot = hash & mask;
      for (;;) {
        const other = slots[slot]!;
        if (other === -1) {
          slots[slot] = i;
          break;
        }
        if (
          lines.hashes[other] === hash &&
          compareBytes(run, lines.starts[other]!, lines.lengths[other]!, lines.starts[i]!, lines.lengths[i]!) === 0
        ) {
          const docId = latin1(run, lines.starts[i]!, lines.starts[i]! + lines.lengths[i]!);
          throw new DataFormatError(
            this.runFile,
            lines.lineNumbers[i]!,
            `document ${JSON.stringify(docId)} is listed twice for one query (first on line ${lines.lineNumbers[other]}); ` +
              `trec_eval stops with "duplicate docs" too. Keep one line per (query, document).`,
          );
        }
        slot = (slot + 1) & mask;
      }
    }
  }
}

/** Signals a query id seen again after other queries: the run is not grouped by query. */
class NotGroupedByQuery extends Error {}

/** Byte classes for the scanner: 0 part of a field, 1 blank (trec_eval's isspace minus newline), 2 newline. */
const BYTE_CLASS = new Uint8Array(256);
for (const byte of [SPACE, TAB, CARRIAGE_RETURN, VERTICAL_TAB, FORM_FEED]) BYTE_CLASS[byte] = 1;
BYTE_CLASS[NEWLINE] = 2;

/**
 * Scans TREC run lines and calls `onQuery(queryId, lines, run)` once per query, with document offsets into `run`.
 * Contiguous mode (`grouped` false) handles the file window by window: lines of the query still open at the end
 * of a window are scanned again at the start of the next (see `carryFrom`); a query id that reappears after
 * other queries throws NotGroupedByQuery. Grouped mode collects lines per query over one buffer holding the file.
 */
class RunScanner {
  private lineNumber = 0;
  private currentQueryId: string | undefined;
  private currentStart = -1;
  private currentLength = 0;
  private current = new QueryLines();
  private queryFirstLineStart = 0;
  private queryFirstLineNumber = 0;
  private readonly finished = new Set<string>();
  private readonly byQuery = new Map<string, QueryLines>();
  private readonly fieldStarts = new Int32Array(6);
  private readonly fieldEnds = new Int32Array(6);
  private atFileStart = true;
  runTag = "";

  constructor(
    private readonly runFile: string,
    private readonly grouped: boolean,
    private readonly onQuery: (queryId: string, lines: QueryLines, run: Buffer) => void,
  ) {}

  /**
   * Scans the lines of `run[start, end)`; `run[end - 1]` must be a newline (a sentinel at the file's end).
   * Returns the offset from which the next window must start again: the first line of the query still open.
   */
  scan(run: Buffer, start: number, end: number): number {
    const classOf = BYTE_CLASS;
    const fieldStarts = this.fieldStarts;
    const fieldEnds = this.fieldEnds;
    let position = start;
    if (this.atFileStart) {
      this.atFileStart = false;
      if (end - start >= 3 && run[start] === 0xef && run[start + 1] === 0xbb && run[start + 2] === 0xbf) position += 3;
    }
    let runTagStart = -1;
    let runTagEnd = -1;
    while (position < end) {
      this.lineNumber++;
      const lineStart = position;
      let byte = run[position]!;
      while (classOf[byte] === 1) byte = run[++position]!;
      if (byte === NEWLINE) {
        position++;
        continue;
      }
      if (byte === HASH_SIGN) {
        position = run.indexOf(NEWLINE, position) + 1;
        continue;
      }
      // Up to 6 fields; the 3rd (docno) is hashed (FNV-1a) while scanned. A newline ends every loop.
      let fieldCount = 0;
      let hash = FNV_OFFSET;
      while (classOf[byte] !== 2) {
        const fieldStart = position;
        if (fieldCount === 2) {
          while (classOf[byte] === 0) {
            hash = Math.imul(hash ^ byte, FNV_PRIME);
            byte = run[++position]!;
          }
        } else {
          while (classOf[byte] === 0) byte = run[++position]!;
        }
        if (fieldCount < 6) {
          fieldStarts[fieldCount] = fieldStart;
          fieldEnds[fieldCount] = position;
        }
        fieldCount++;
        while (classOf[byte] === 1) byte = run[++position]!;
      }
      position++;
      if (fieldCount < 6) {
        const lineText = latin1(run, fieldStarts[0]!, position - 1).trim();
        throw new DataFormatError(
          this.runFile,
          this.lineNumber,
          `expected 6 fields "qid Q0 docno rank score tag", got ${fieldCount} (${JSON.stringify(lineText)}).` +
            (fieldCount === 4 ? ' Is this a qrels file? Qrels have 4 fields: "qid iter docno grade".' : ""),
        );
      }
      // Query id: a new string only when it changes.
      const queryStart = fieldStarts[0]!;
      const queryLength = fieldEnds[0]! - queryStart;
      if (
        this.currentQueryId === undefined ||
        queryLength !== this.currentLength ||
        compareBytes(run, queryStart, queryLength, this.currentStart, this.currentLength) !== 0
      ) {
        this.finish(run);
        this.startQuery(latin1(run, queryStart, queryStart + queryLength), queryStart, queryLength, lineStart);
      }
      const docStart = fieldStarts[2]!;
      const score = parseScore(run, fieldStarts[4]!, fieldEnds[4]!, this.runFile, this.lineNumber);
      this.current.push(docStart, fieldEnds[2]! - docStart, hash, score, this.lineNumber);
      runTagStart = fieldStarts[5]!;
      runTagEnd = fieldEnds[5]!;
    }
    if (runTagStart >= 0) this.runTag = latin1(run, runTagStart, runTagEnd);
    return this.currentQueryId === undefined || this.grouped ? end : this.queryFirstLineStart;
  }

  /** Forgets the open query, whose lines will be scanned again from the start of the next window. */
  rewindOpenQuery(): void {
    if (this.currentQueryId === undefined) return;
    this.current.count = 0;
    this.currentQueryId = undefined;
    this.currentStart = -1;
    this.lineNumber = this.queryFirstLineNumber - 1;
  }

  /** Ends the scan: hands over the last query (contiguous) or every query (grouped). */
  end(run: Buffer): void {
    this.finish(run);
    if (this.grouped) for (const [queryId, lines] of this.byQuery) this.onQuery(queryId, lines, run);
  }

  private startQuery(queryId: string, queryStart: number, queryLength: number, lineStart: number): void {
    this.currentQueryId = queryId;
    this.currentStart = queryStart;
    this.currentLength = queryLength;
    this.queryFirstLineStart = lineStart;
    this.queryFirstLineNumber = this.lineNumber;
    if (this.grouped) {
      let lines = this.byQuery.get(queryId);
      if (!lines) {
        lines = new QueryLines();
        this.byQuery.set(queryId, lines);
      }
      this.current = lines;
    }
  }

  private finish(run: Buffer): void {
    const queryId = this.currentQueryId;
    if (queryId === undefined || this.grouped) return;
    if (this.finished.has(queryId)) throw new NotGroupedByQuery();
    this.finished.add(queryId);
    this.onQuery(queryId, this.current, run);
    this.current.count = 0;
    this.currentQueryId = undefined;
  }
}

/** Bytes read per window when streaming a run (a query longer than this grows the window). */
const RUN_WINDOW_BYTES = 16 * 2 ** 20;

/**
 * Streams a run file through a contiguous-mode scanner in windows of `windowBytes`, so memory stays near one
 * window whatever the file size. `.gz` runs are decompressed whole first.
 */
function scanRunStreaming(runFile: string, scanner: RunScanner, windowBytes: number): void {
  if (runFile.endsWith(".gz")) {
    const { bytes, length } = readBytesWithSentinel(runFile);
    scanner.scan(bytes, 0, length + 1);
    scanner.end(bytes);
    return;
  }
  const descriptor = fs.openSync(runFile, "r");
  try {
    let window = Buffer.allocUnsafe(windowBytes + 1);
    let filled = 0;
    for (;;) {
      const read = fs.readSync(descriptor, window, filled, window.length - 1 - filled, null);
      filled += read;
      if (read === 0) {
        window[filled] = NEWLINE;
        scanner.scan(window, 0, filled + 1);
        scanner.end(window);
        return;
      }
      const lastNewline = window.lastIndexOf(NEWLINE, filled - 1);
      let carryFrom = 0;
      if (lastNewline >= 0) {
        carryFrom = scanner.scan(window, 0, lastNewline + 1);
        if (carryFrom < lastNewline + 1) scanner.rewindOpenQuery();
      }
      if (carryFrom === 0 && filled >= window.length - 1) {
        // One query (or one line) fills the window: grow it and read on.
        const larger = Buffer.allocUnsafe(window.length * 2);
        window.copy(larger, 0, 0, filled);
        window = larger;
        continue;
      }
      window.copy(window, 0, carryFrom, filled);
      filled -= carryFrom;
    }
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Parses a decimal score from bytes with the exactness of `strtod`: up to 15 significant digits and a decimal
 * exponent within -22..0 are converted with one correctly rounded division; anything else goes through `Number`.
 */
function parseScore(run: Buffer, start: number, end: number, runFile: string, lineNumber: number): number {
  let position = start;
  let negative = false;
  const sign = run[position];
  if (sign === MINUS) {
    negative = true;
    position++;
  } else if (sign === PLUS) position++;
  let mantissa = 0;
  let significantDigits = 0;
  let exponent = 0;
  let digitsSeen = 0;
  let afterDot = false;
  for (; position < end; position++) {
    const byte = run[position]!;
    if (byte >= DIGIT_0 && byte <= DIGIT_9) {
      digitsSeen++;
      if (mantissa !== 0 || byte !== DIGIT_0) significantDigits++;
      mantissa = mantissa * 10 + (byte - DIGIT_0);
      if (afterDot) exponent--;
    } else if (byte === DOT && !afterDot) afterDot = true;
    else break;
  }
  if (position === end && digitsSeen > 0 && significantDigits <= 15 && exponent >= -22) {
    const value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent]! : mantissa;
    return negative ? -value : value;
  }
  return parseTrecScore(latin1(run, start, end), runFile, lineNumber);
}

/**
 * Evaluates a TREC run file against a qrels file, as `trec_eval [-l L] [-c] [-M N] -m ... QRELS RUN` does.
 * @example evaluateTrecFiles("qrels.txt", "run.txt", ["ndcg_cut.10"]).all
 */
export function evaluateTrecFiles(
  qrelsFile: string,
  runFile: string,
  measures: readonly string[],
  options: FileEvaluationOptions = {},
): TrecFileEvaluation {
  const resolved = resolveEvaluationOptions(options);
  const plan = new EvaluationPlan(measures, resolved);
  const qrels: Qrels = parseQrels(readBytes(qrelsFile).toString("latin1"), { file: qrelsFile });
  if (fs.statSync(runFile).size === 0) throw new DataFormatError(runFile, 1, "the run file is empty.");
  const results = new Map<string, { values: Float64Array; relevanceText: string | undefined }>();
  const runQueriesWithoutQrels: string[] = [];
  const ranker = new QueryRanker(runFile, resolved);
  const onQuery = (queryId: string, lines: QueryLines, run: Buffer) => {
    const grades = qrels.get(queryId);
    if (!grades) {
      runQueriesWithoutQrels.push(queryId);
      return;
    }
    const ranking = ranker.rank(run, lines, new JudgedTable(grades));
    results.set(queryId, { values: plan.computeQuery(ranking), relevanceText: plan.relevanceText(ranking) });
  };
  let scanner = new RunScanner(runFile, false, onQuery);
  try {
    scanRunStreaming(runFile, scanner, options.readWindowBytes ?? RUN_WINDOW_BYTES);
  } catch (error) {
    if (!(error instanceof NotGroupedByQuery)) throw error;
    // Not grouped by query: read the whole file and collect lines per query.
    results.clear();
    runQueriesWithoutQrels.length = 0;
    const { bytes, length } = readBytesWithSentinel(runFile);
    scanner = new RunScanner(runFile, true, onQuery);
    scanner.scan(bytes, 0, length + 1);
    scanner.end(bytes);
  }
  const runTag = scanner.runTag;
  if (resolved.averageOverQrels) {
    for (const [queryId, grades] of qrels) {
      if (results.has(queryId)) continue;
      const judgedCountByGrade = judgedCountsByGrade(grades.values());
      const empty: JudgedRanking = {
        retrievedCount: 0,
        relevanceByRank: new Int32Array(0),
        judgedCountByGrade,
        relevantCount: relevantCountOf(judgedCountByGrade, resolved.relevanceThreshold),
        relevantRetrievedCount: 0,
      };
      results.set(queryId, { values: plan.computeQuery(empty), relevanceText: plan.relevanceText(empty) });
    }
  }
  const queryIds = [...results.keys()].sort(compareQueryIds);
  const perQuery = queryIds.map((queryId) => results.get(queryId)!.values);
  const averagedQueryCount = resolved.averageOverQrels ? qrels.size : queryIds.length;
  return {
    plan,
    options: resolved,
    queryIds,
    perQuery,
    relevanceTexts: queryIds.map((queryId) => results.get(queryId)!.relevanceText),
    all: plan.aggregate(perQuery, averagedQueryCount),
    runTag,
    runQueriesWithoutQrels: runQueriesWithoutQrels.sort(compareQueryIds),
  };
}

