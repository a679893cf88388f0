import type { DisplayBundle } from "./display-bundle";

/** A danfojs DataFrame, as far as a table display needs it (duck-typed so that showing a table never loads tfjs). */
export interface DataFrameLike {
  columns: readonly string[];
  /** One array per row (a 1-D array for a one-column frame). */
  values: readonly unknown[];
  index: readonly unknown[];
}

/** What `showTable` accepts: a danfojs DataFrame or an array of records (one object per row). */
export type TableInput = DataFrameLike | readonly Readonly<Record<string, unknown>>[];

export interface TableOptions {
  /** Rows shown before the rest is summarised as "… n more rows" (default 50). */
  maxRows?: number;
  /** Significant digits for non-integer numbers (default 4: 0.50583 → 0.5058). */
  significantDigits?: number;
  /** Caption under the table, e.g. what the rows are and where they come from. */
  caption?: string;
}

/** True for a danfojs DataFrame (or anything with `columns`, a 2-D `values` and an `index`). */
export function isDataFrameLike(value: unknown): value is DataFrameLike {
  if (!value || typeof value !== "object") return false;
  const candidate = value as Partial<DataFrameLike>;
  return Array.isArray(candidate.columns) && Array.isArray(candidate.values) && Array.isArray(candidate.index);
}

/** True for a non-empty array of plain objects (records). */
export function isRecordArray(value: unknown): value is readonly Readonly<Record<string, unknown>>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((row) => row !== null && typeof row === "object" && !Array.isArray(row))
  );
}

/**
 * A table as a display bundle: `text/html` (a plain `<table>`, escaped) and an aligned `text/plain` version.
 * Records may have different keys: the columns are their union in order of first appearance, and a missing
 * cell is left blank. Numbers are rounded for display only.
 *
 * @example tableBundle([{ model: "d64L1", "ndcg@10": 0.50583 }])["text/plain"]
 *   // "model  ndcg@10\nd64L1  0.5058"
 */
export function tableBundle(table: TableInput, options: TableOptions = {}): DisplayBundle {
  const { maxRows = 50, significantDigits = 4, caption } = options;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new Error(`showTable: maxRows must be a positive integer, got ${maxRows}.`);
  }
  const { columns, rows } = toCells(table, significantDigits);
  const shown = rows.slice(0, maxRows);
  const hiddenCount = rows.length - shown.length;
  const more = hiddenCount > 0 ? `… ${hiddenCount} more row${hiddenCount === 1 ? "" : "s"}` : "";
  const html = [
    '<table class="rerank-table">',
    caption ? `<caption>${escapeHtml(caption)}</caption>` : "",
    `<thead><tr>${columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...shown.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`),
    "</tbody>",
    "</table>",
    more ? `<p>${more}</p>` : "",
  ].join("");
  const widths = columns.map((column, index) => Math.max(column.length, ...shown.map((row) => row[index].length)));
  const textLine = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join("  ").trimEnd();
  const text = [textLine(columns), ...shown.map(textLine), more, caption ?? ""].filter((line) => line !== "");
  return { "text/html": html, "text/plain": text.join("\n") };
}

function toCells(table: TableInput, significantDigits: number): { columns: string[]; rows: string[][] } {
  if (isDataFrameLike(table)) {
    return {
      columns: ["", ...table.columns],
      rows: table.values.map((row, rowIndex) => [
        formatCell(table.index[rowIndex], significantDigits),
        ...(Array.isArray(row) ? row : [row]).map((cell: unknown) => formatCell(cell, significantDigits)),
      ]),
    };
  }
  if (!Array.isArray(table)) {
    throw new Error("showTable: expected a danfojs DataFrame or an array of records (objects), got " + describe(table) + ".");
  }
  const columns: string[] = [];
  for (const record of table) for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
  return {
    columns,
    rows: table.map((record) => columns.map((column) => formatCell(record[column], significantDigits))),
  };
}

function formatCell(value: unknown, significantDigits: number): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(significantDigits)));
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** `typeof`, but telling arrays and null apart; for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "object" ? `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}` : typeof value;
}

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
