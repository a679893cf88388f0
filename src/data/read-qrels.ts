import { DataFormatError } from "./data-format-error";
import { addJudgment, type Qrels } from "./dataset";
import { forEachLine } from "./for-each-line";
import { trecLineFields } from "./trec-qrels";

/**
 * Reads judgments into `qrels` from a TREC qrels file (`qid iter docno grade`, whitespace-separated) or a
 * BEIR qrels TSV (`query-id<TAB>corpus-id<TAB>score` with a header line). Lines starting with `#` and blank
 * lines are skipped. A line with a wrong field count or a non-integer grade fails with file and line named.
 * `mapGrade` may rewrite grades (Cranfield's codes) or return undefined to drop a line.
 * Duplicate (query, document) pairs keep the larger grade (the classic collections repeat a few pairs).
 * This is the streaming, format-tolerant reader the dataset loaders use; `readQrels` in trec-qrels.ts is the
 * strict trec_eval-compatible one (duplicates refused) that evaluation uses.
 *
 * Reference: trec_eval `form_res_qrels.c` (4 fields); BEIR `GenericDataLoader._load_qrels`.
 * @example await streamQrels("qrels.dl19-passage.txt", qrels) // 9,260 judgments for 43 queries
 */
export async function streamQrels(
  file: string,
  qrels: Qrels,
  options: { format?: "trec" | "beir"; mapGrade?: (grade: number) => number | undefined; onlyQueries?: ReadonlySet<string> } = {},
): Promise<number> {
  const format = options.format ?? "trec";
  let added = 0;
  await forEachLine(file, (line, lineNumber) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const fields = trecLineFields(line);
    let queryId: string, docId: string, gradeText: string;
    if (format === "beir") {
      if (lineNumber === 1 && /^query[-_]?id$/i.test(fields[0] ?? "")) return;
      if (fields.length !== 3) throw new DataFormatError(file, lineNumber, `expected 3 fields "query-id corpus-id score", got ${fields.length}.`);
      [queryId, docId, gradeText] = fields as [string, string, string];
    } else {
      if (fields.length !== 4) {
        throw new DataFormatError(file, lineNumber, `expected 4 fields "qid iter docno grade", got ${fields.length}: "${line.slice(0, 80)}".`);
      }
      [queryId, , docId, gradeText] = fields as [string, string, string, string];
    }
    const grade = Number(gradeText);
    if (!Number.isFinite(grade) || !/^-?\d+(\.0*)?$/.test(gradeText)) {
      throw new DataFormatError(file, lineNumber, `grade must be an integer, got "${gradeText}".`);
    }
    if (options.onlyQueries && !options.onlyQueries.has(queryId)) return;
    const mapped = options.mapGrade ? options.mapGrade(grade) : grade;
    if (mapped === undefined) return;
    addJudgment(qrels, queryId, docId, mapped);
    added++;
  });
  return added;
}
