import * as fs from "node:fs";
import * as path from "node:path";
import { escapeHtml } from "./table-html";

/** One published report as the index page lists it. */
export interface ReportEntry {
  /** Notebook file name without .ipynb, e.g. "00-quickstart"; the report is `<name>.html` beside the index. */
  name: string;
  /** The notebook's first markdown heading, or its name. */
  title: string;
}

/**
 * The title of a notebook: the first `#` heading of its first markdown cell that has one, else the file name.
 * @example notebookTitle("notebooks/00-quickstart.ipynb") // "Quickstart: …"
 */
export function notebookTitle(notebookPath: string): string {
  const fallback = path.basename(notebookPath, ".ipynb");
  try {
    const notebook = JSON.parse(fs.readFileSync(notebookPath, "utf8")) as {
      cells?: { cell_type?: string; source?: string | string[] }[];
    };
    for (const cell of notebook.cells ?? []) {
      if (cell.cell_type !== "markdown") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
      const heading = /^#{1,6}\s+(.+)$/m.exec(source);
      if (heading) return heading[1].trim();
    }
  } catch {
    // An unreadable notebook is reported by the run itself; the index just uses the file name.
  }
  return fallback;
}

/**
 * Writes `<outDir>/index.html`: a self-contained page linking every published report, in the order given.
 * @example writeReportIndex([{ name: "00-quickstart", title: "Quickstart" }], "reports") // "reports/index.html"
 */
export function writeReportIndex(entries: readonly ReportEntry[], outDir: string): string {
  const items = entries
    .map((entry) => `<li><a href="${encodeURIComponent(entry.name)}.html">${escapeHtml(entry.title)}</a> <code>${escapeHtml(entry.name)}</code></li>`)
    .join("\n");
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>rerank-scaling reports</title>
<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.5}code{color:#666;margin-left:.5em}</style>
</head><body>
<h1>rerank-scaling reports</h1>
<p>Each report is a notebook from <code>notebooks/</code>, executed top to bottom with the project's kernel on ${escapeHtml(new Date().toISOString().slice(0, 10))}.</p>
<ul>
${items}
</ul>
</body></html>
`;
  const indexPath = path.join(outDir, "index.html");
  fs.writeFileSync(`${indexPath}.tmp`, html);
  fs.renameSync(`${indexPath}.tmp`, indexPath);
  return indexPath;
}
