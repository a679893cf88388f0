import { DataFormatError } from "./data-format-error";
import { readTextFile } from "./for-each-line";

/** One record of a SMART-format file: its `.I` id and the text of each field (`T` title, `W` abstract, `A` authors, …). */
export interface SmartRecord {
  id: string;
  /** 1-based line of the record's `.I` line. */
  lineNumber: number;
  fields: Record<string, string>;
}

/**
 * Parses a SMART-format file (Cranfield, CISI, MED, CACM, ADI): records start with `.I <id>`, fields with a
 * line `.<LETTER>` (text on the following lines, or on the same line after the letter). Field text is joined
 * with single spaces. Text before the first `.I` fails with file and line named.
 *
 * Reference: G. Salton, The SMART Retrieval System (1971); the Glasgow IR test collections.
 * @example parseSmartRecords("cran.all.1400")[0].fields.T // "experimental investigation of the aerodynamics of a wing in a slipstream ."
 */
export function parseSmartRecords(file: string): SmartRecord[] {
  const lines = readTextFile(file).split("\n");
  const records: SmartRecord[] = [];
  let current: SmartRecord | undefined;
  let field: string | undefined;
  let parts: string[] = [];
  const flush = () => {
    if (current && field !== undefined) {
      const text = parts.join(" ").replace(/\s+/g, " ").trim();
      current.fields[field] = current.fields[field] ? `${current.fields[field]} ${text}` : text;
    }
    parts = [];
  };
  lines.forEach((line, index) => {
    const marker = /^\.([A-Z])(?:\s+(.*))?$/.exec(line.trimEnd());
    if (marker && marker[1] === "I") {
      flush();
      const id = (marker[2] ?? "").trim();
      if (!id) throw new DataFormatError(file, index + 1, `".I" line without an id.`);
      current = { id, lineNumber: index + 1, fields: {} };
      field = undefined;
      records.push(current);
      return;
    }
    if (marker) {
      flush();
      if (!current) throw new DataFormatError(file, index + 1, `field ".${marker[1]}" before the first ".I" record.`);
      field = marker[1]!;
      if (marker[2]) parts.push(marker[2]);
      return;
    }
    if (line.trim() === "") return;
    if (!current || field === undefined) {
      throw new DataFormatError(file, index + 1, `text outside a SMART field ("${line.slice(0, 40)}"); records must start with ".I <id>" and fields with ".W", ".T", …`);
    }
    parts.push(line);
  });
  flush();
  return records;
}
