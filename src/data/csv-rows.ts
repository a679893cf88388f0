import { DataFormatError } from "./data-format-error";

/**
 * Parses CSV text (RFC 4180: comma-separated, fields optionally in double quotes, `""` for a quote inside a
 * quoted field, newlines allowed inside quoted fields, `\r\n` or `\n` row ends). Returns rows of strings,
 * the header row included. An unterminated quoted field fails with the line where it started.
 *
 * Reference: RFC 4180, "Common Format and MIME Type for CSV Files".
 * @example parseCsv('a,b\n1,"x, ""y"""\n') // [["a","b"],["1",'x, "y"']]
 */
export function parseCsv(text: string, fileName = "csv"): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let line = 1;
  let position = 0;
  let fieldStarted = false;
  while (position < text.length) {
    const char = text[position]!;
    if (char === '"' && field === "" && !fieldStarted) {
      const startLine = line;
      position++;
      for (;;) {
        const quote = text.indexOf('"', position);
        if (quote === -1) throw new DataFormatError(fileName, startLine, "quoted field is never closed (missing closing double quote).");
        const chunk = text.slice(position, quote);
        for (let index = chunk.indexOf("\n"); index !== -1; index = chunk.indexOf("\n", index + 1)) line++;
        field += chunk;
        if (text[quote + 1] === '"') {
          field += '"';
          position = quote + 2;
        } else {
          position = quote + 1;
          break;
        }
      }
      fieldStarted = true;
      continue;
    }
    if (char === ",") {
      row.push(field);
      field = "";
      fieldStarted = false;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[position + 1] === "\n") position++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      fieldStarted = false;
      line++;
    } else {
      field += char;
      fieldStarted = true;
    }
    position++;
  }
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses CSV with a header row into records keyed by column name; a row with the wrong field count fails with its row number. */
export function parseCsvRecords(text: string, fileName = "csv"): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, fileName);
  if (!header) return [];
  return rows
    .filter((row) => !(row.length === 1 && row[0] === ""))
    .map((row, index) => {
      if (row.length !== header.length) throw new DataFormatError(fileName, index + 2, `expected ${header.length} fields (${header.join(",")}), got ${row.length} (record ${index + 2}).`);
      const record: Record<string, string> = {};
      header.forEach((column, column_index) => (record[column] = row[column_index]!));
      return record;
    });
}
