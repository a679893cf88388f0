/**
 * A column name as a Vega-Lite `field` string. Vega-Lite reads `.` and `[ ]` in a field as nested access, so a
 * measure such as `recall.100` or a column `a[0]` must be escaped with backslashes to mean the flat column.
 *
 * Reference: https://vega.github.io/vega-lite/docs/field.html ("escape ... with \\").
 * @example vegaLiteField("ndcg@10") // "ndcg@10"
 * @example vegaLiteField("recall.100") // "recall\\.100"
 */
export function vegaLiteField(columnName: string): string {
  return columnName.replace(/[.[\]\\]/g, (char) => `\\${char}`);
}
