import { DataFormatError } from "./data-format-error";
import { forEachLine } from "./for-each-line";

/**
 * Streams a tab-separated file with at least `minFields` columns per line and calls `onRow` with the fields.
 * Used for MS MARCO `collection.tsv` (`pid<TAB>text`), topics (`qid<TAB>query`), NFCorpus `.docs`/`.queries`.
 * Blank lines are skipped; a line with fewer fields fails with file and line named. Extra tabs stay in the
 * last field when `joinExtra` is set (free text containing tabs).
 *
 * @example await readTsv("topics.dl19-passage.txt", 2, ([qid, text]) => queries.set(qid, text))
 */
export async function readTsv(
  file: string,
  minFields: number,
  onRow: (fields: string[], lineNumber: number) => void,
  options: { joinExtra?: boolean; header?: boolean } = {},
): Promise<void> {
  await forEachLine(file, (line, lineNumber) => {
    if (options.header && lineNumber === 1) return;
    if (line.trim() === "") return;
    let fields = line.split("\t");
    if (fields.length < minFields) {
      throw new DataFormatError(file, lineNumber, `expected ${minFields} tab-separated fields, got ${fields.length}: "${line.slice(0, 80)}".`);
    }
    if (options.joinExtra && fields.length > minFields) {
      fields = [...fields.slice(0, minFields - 1), fields.slice(minFields - 1).join("\t")];
    }
    onRow(fields, lineNumber);
  });
}
