import { DataFormatError } from "./data-format-error";
import { forEachLine } from "./for-each-line";

/**
 * Streams a JSON-lines file (one JSON object per line; blank lines skipped; `.gz` read through gunzip)
 * and calls `onRecord` with each parsed object. A line that is not a JSON object (for example a line cut
 * short by an interrupted download) fails with the file and line named.
 *
 * Reference: https://jsonlines.org/
 * @example await readJsonl("corpus.jsonl", (record) => console.log(record._id))
 */
export async function readJsonl(
  file: string,
  onRecord: (record: Record<string, unknown>, lineNumber: number) => void,
): Promise<void> {
  await forEachLine(file, (line, lineNumber) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataFormatError(file, lineNumber, `not valid JSON (${(error as Error).message}); the line starts "${line.slice(0, 60)}". Re-download the file if it was cut short.`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DataFormatError(file, lineNumber, `expected a JSON object, got ${Array.isArray(value) ? "an array" : typeof value}.`);
    }
    onRecord(value as Record<string, unknown>, lineNumber);
  });
}

/** A string field of a JSON-lines record (numbers are turned into strings, as BEIR ids sometimes are numbers); throws naming file and line. */
export function stringField(record: Record<string, unknown>, field: string, file: string, lineNumber: number, options: { optional?: boolean } = {}): string {
  const value = record[field];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value === undefined || value === null) {
    if (options.optional) return "";
    throw new DataFormatError(file, lineNumber, `missing field "${field}" (fields present: ${Object.keys(record).join(", ")}).`);
  }
  throw new DataFormatError(file, lineNumber, `field "${field}" must be a string, got ${typeof value}.`);
}
