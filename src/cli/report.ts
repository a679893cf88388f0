/**
 * `rerank-scaling report [NOTEBOOK.ipynb ...] [--no-code] [--save-executed] [--out-dir DIR] [--timeout SECONDS]`
 * Executes notebooks with the project's Jupyter kernel and writes self-contained HTML reports (reports/NAME.html).
 * With no notebook, publishes every notebook in notebooks/ plus reports/index.html. `--save-executed` also writes
 * the executed notebook, outputs included, back over its source (only when every cell ran), so that committed
 * notebooks show real results.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../paths";
import { publishReport, ReportError } from "../notebook/publish-report";
import { notebookTitle, writeReportIndex, type ReportEntry } from "../notebook/report-index";

const USAGE =
  "usage: rerank-scaling report [NOTEBOOK.ipynb ...] [--no-code] [--save-executed] [--out-dir DIR] [--timeout SECONDS]\n" +
  "  With no notebook: every notebook in notebooks/ and an index page.\n" +
  "  --save-executed: also write each executed notebook (with its outputs) back over its source.";

export async function run(args: string[]): Promise<number> {
  const notebooks: string[] = [];
  let hideCode = false;
  let saveExecuted = false;
  let outDir = path.join(PROJECT_ROOT, "reports");
  let cellTimeoutSeconds: number | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--no-code") hideCode = true;
    else if (arg === "--save-executed") saveExecuted = true;
    else if (arg === "--out-dir" && args[index + 1]) outDir = path.resolve(args[++index]);
    else if (arg === "--timeout" && args[index + 1]) {
      cellTimeoutSeconds = Number(args[++index]);
      if (!Number.isInteger(cellTimeoutSeconds) || cellTimeoutSeconds <= 0) {
        console.error(`report: --timeout must be a positive whole number of seconds, got ${args[index]}.`);
        return 2;
      }
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith("-")) {
      console.error(`report: unknown option ${arg}.\n${USAGE}`);
      return 2;
    } else notebooks.push(arg);
  }
  const publishAll = notebooks.length === 0;
  if (publishAll) {
    const folder = path.join(PROJECT_ROOT, "notebooks");
    const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((file) => file.endsWith(".ipynb")).sort() : [];
    if (names.length === 0) {
      console.error(`report: no notebooks in ${folder}.`);
      return 2;
    }
    notebooks.push(...names.map((file) => path.join(folder, file)));
  }
  const published: ReportEntry[] = [];
  for (const notebook of notebooks) {
    const startedMs = Date.now();
    // Written beside the source and renamed over it only after every cell ran: a failed run never clobbers it.
    const executedNotebookPath = saveExecuted ? `${notebook}.${process.pid}.executed.tmp` : undefined;
    try {
      const htmlPath = await publishReport(notebook, { outDir, hideCode, cellTimeoutSeconds, executedNotebookPath });
      if (executedNotebookPath) fs.renameSync(executedNotebookPath, notebook);
      const seconds = ((Date.now() - startedMs) / 1000).toFixed(1);
      console.log(`report: ${displayPath(htmlPath)} (${seconds} s)`);
      published.push({ name: path.basename(notebook, ".ipynb"), title: notebookTitle(notebook) });
    } catch (error) {
      if (executedNotebookPath) fs.rmSync(executedNotebookPath, { force: true });
      if (error instanceof ReportError) {
        console.error(error.message);
        return error.exitCode;
      }
      throw error;
    }
  }
  if (publishAll) {
    const indexPath = writeReportIndex(published, outDir);
    console.log(`report: ${displayPath(indexPath)} (${published.length} reports)`);
  }
  return 0;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}
