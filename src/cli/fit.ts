import * as fs from "node:fs";
import { fitColumns } from "../scaling/fit";
import type { LawColumns } from "../scaling/law-columns";
import { LAW_NAMES } from "../scaling/scaling-law-by-name";
import type { LawName, MetricDirection } from "../scaling/scaling-law";
import type { FitLoss } from "../scaling/minimize-loss";

const USAGE = `usage: rerank-scaling fit --law ${LAW_NAMES.join("|")} --input POINTS.csv [--json] [--direction rising|falling] [--loss squares|huber]

Fits a scaling law to a CSV table with a header row:
  x,y     for the one-axis laws (saturating: y = a + b·x^c; pure: y = b·x^c)
  N,D,y   for the two-axis laws (joint: y = a + b·N^c + d·D^e; kaplan)
  --json       print {"law", "params", "sse", "r2", "ci95", ...} instead of a table
  --direction  whether the metric rises (NDCG) or falls (loss) with size; default: inferred from the data
  --loss       squares (default) or huber (Huber loss on log residuals, Chinchilla practice)
Warnings (non-convergence, parameters at bounds, ill-conditioning) go to stderr.`;

interface FitArguments {
  law: LawName;
  input: string;
  json: boolean;
  direction?: MetricDirection;
  loss: FitLoss;
}

/** Parses `--law L --input F [--json] [--direction D] [--loss L]` (also `--law=L`). */
export function parseFitArguments(args: readonly string[]): FitArguments {
  const values: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") {
      json = true;
      continue;
    }
    const match = /^--(law|input|direction|loss)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`rerank-scaling fit: unknown argument ${JSON.stringify(arg)}.\n${USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new Error(`rerank-scaling fit: --${match[1]} needs a value.\n${USAGE}`);
    values[match[1]!] = value;
  }
  if (!values.law || !(LAW_NAMES as readonly string[]).includes(values.law)) {
    throw new Error(`rerank-scaling fit: --law must be one of ${LAW_NAMES.join(", ")}, got ${JSON.stringify(values.law)}.\n${USAGE}`);
  }
  if (!values.input) throw new Error(`rerank-scaling fit: --input POINTS.csv is required.\n${USAGE}`);
  if (values.direction !== undefined && values.direction !== "rising" && values.direction !== "falling") {
    throw new Error(`rerank-scaling fit: --direction must be rising or falling, got ${JSON.stringify(values.direction)}.`);
  }
  if (values.loss !== undefined && values.loss !== "squares" && values.loss !== "huber") {
    throw new Error(`rerank-scaling fit: --loss must be squares or huber, got ${JSON.stringify(values.loss)}.`);
  }
  return {
    law: values.law as LawName,
    input: values.input,
    json,
    direction: values.direction as MetricDirection | undefined,
    loss: (values.loss as FitLoss | undefined) ?? "squares",
  };
}

/**
 * Reads a numeric CSV with a header naming the columns (`x,y` or `N,D,y`; extra columns are ignored).
 * Handles a byte-order mark, Windows line endings, blank lines and quoted headers; every cell used must be a number.
 */
export function readPointsCsv(text: string, columnNames: readonly string[], source: string): LawColumns {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== "");
  if (headerIndex < 0) throw new Error(`rerank-scaling fit: ${source} is empty; it needs a header (${columnNames.join(",")}) and rows.`);
  const header = lines[headerIndex]!.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  const positions = columnNames.map((name) => {
    const position = header.indexOf(name);
    if (position < 0) throw new Error(`rerank-scaling fit: ${source} has no column "${name}" (header: ${header.join(",")}); this law needs columns ${columnNames.join(",")}.`);
    return position;
  });
  const rows: number[][] = [];
  for (let lineIndex = headerIndex + 1; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!;
    if (line.trim() === "") continue;
    const cells = line.split(",");
    rows.push(
      positions.map((position, column) => {
        const cell = (cells[position] ?? "").trim();
        const value = cell === "" ? Number.NaN : Number(cell);
        if (!Number.isFinite(value)) {
          throw new Error(`rerank-scaling fit: ${source} line ${lineIndex + 1}: ${columnNames[column]} = ${JSON.stringify(cell)} is not a finite number. Fix or drop that row.`);
        }
        return value;
      }),
    );
  }
  const xCount = columnNames.length - 1;
  return {
    x: Array.from({ length: xCount }, (_, axis) => Float64Array.from(rows, (row) => row[axis]!)),
    y: Float64Array.from(rows, (row) => row[xCount]!),
  };
}

const format = (value: number): string => (Number.isFinite(value) ? value.toPrecision(6) : String(value));

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let parsed: FitArguments;
  try {
    parsed = parseFitArguments(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const twoAxes = parsed.law === "joint" || parsed.law === "kaplan";
  const columnNames = twoAxes ? ["N", "D", "y"] : ["x", "y"];
  let text: string;
  try {
    text = fs.readFileSync(parsed.input, "utf8");
  } catch (error) {
    console.error(`rerank-scaling fit: cannot read ${parsed.input}: ${(error as Error).message}`);
    return 2;
  }
  try {
    const columns = readPointsCsv(text, columnNames, parsed.input);
    if (columns.y.length === 0) throw new Error(`rerank-scaling fit: ${parsed.input} has a header but no rows.`);
    const fitted = fitColumns(columns, { law: parsed.law, x: columnNames.slice(0, -1), y: "y", direction: parsed.direction, loss: parsed.loss });
    for (const warning of fitted.diagnostics.warnings) console.error(`warning: ${warning}`);
    if (parsed.json) {
      const { data: _data, ...record } = fitted.toJSON();
      console.log(JSON.stringify(record, (_, value) => (typeof value === "number" && !Number.isFinite(value) ? null : value), 2));
      return 0;
    }
    const intervals = fitted.ci(0.95);
    const lines = [
      `${fitted.formula}   (${fitted.law}, ${fitted.direction} metric, ${fitted.count} points, loss ${fitted.loss})`,
      `x rescaled internally by ${fitted.scaled.xScale.map((scale) => scale.toExponential(0)).join(", ")}; parameters below are in raw units`,
      "",
      `${"param".padEnd(8)}${"estimate".padStart(14)}${"std.err".padStart(14)}${"95% CI".padStart(32)}`,
      ...fitted.parameterNames.map((name) => {
        const [lower, upper] = intervals[name]!;
        return `${name.padEnd(8)}${format(fitted.params[name]!).padStart(14)}${format(fitted.standardErrors[name]!).padStart(14)}${`[${format(lower)}, ${format(upper)}]`.padStart(32)}`;
      }),
      "",
      `SSE ${format(fitted.sse)}   R² ${format(fitted.r2)}   adjusted R² ${format(fitted.adjustedR2)}   AIC ${format(fitted.aic)}   BIC ${format(fitted.bic)}`,
      `F-test against a constant: F(${fitted.fTest.df1}, ${fitted.fTest.df2}) = ${format(fitted.fTest.statistic)}, p = ${fitted.fTest.pValue.toExponential(2)}`,
    ];
    console.log(lines.join("\n"));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}
