import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../paths";
import { findJupyter, JUPYTER_INSTALL_HINT } from "./find-jupyter";

/** The kernelspec name `npm run kernel:install` registers (kernel-config/install-kernel.ts). */
export const PROJECT_KERNEL_NAME = "rerank-scaling";

export interface PublishReportOptions {
  /** Folder for NAME.html (default: reports/ in the project root). */
  outDir?: string;
  /** Leave the code cells out of the report (outputs and markdown only). Default false. */
  hideCode?: boolean;
  /** Jupyter kernel to run the notebook with (default "rerank-scaling"). */
  kernelName?: string;
  /** Longest a single cell may run before the report fails (default 1800 s). */
  cellTimeoutSeconds?: number;
  /** Also save the executed notebook (with its outputs) here, e.g. to inspect the display bundles. */
  executedNotebookPath?: string;
}

/** Why a report could not be published; `exitCode` is 2 for bad input or set-up, 1 for a failing notebook. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = "ReportError";
  }
}

type DriverOutcome =
  | { status: "ok"; codeCells: number }
  | { status: "cell-error"; cellIndex: number; codeCellNumber: number; source: string; stderr: string }
  | { status: "no-kernel"; kernel: string; available: Record<string, string> }
  | { status: "kernel-died"; message: string }
  | { status: "timeout"; cellIndex: number; message: string };

const DRIVER = path.join(PROJECT_ROOT, "kernel-config", "execute_notebook.py");
const TEMPLATE_DIR = path.join(PROJECT_ROOT, "kernel-config");
const TEMPLATE_NAME = "report-template";

/**
 * Executes a notebook top to bottom with the project's Jupyter kernel (headless, through nbclient, in the project
 * root) and writes a self-contained HTML report `<outDir>/<NAME>.html`: charts as embedded SVG images, no external
 * scripts. The report is replaced only when every cell ran.
 *
 * Throws a ReportError that says what to do: notebook missing, Jupyter missing, kernel not registered (exit code 2);
 * a cell that fails, with that cell's number, first line and error message (exit code 1).
 * @example await publishReport("notebooks/00-quickstart.ipynb") // "/…/reports/00-quickstart.html"
 */
export async function publishReport(notebookPath: string, options: PublishReportOptions = {}): Promise<string> {
  const {
    outDir = path.join(PROJECT_ROOT, "reports"),
    hideCode = false,
    kernelName = PROJECT_KERNEL_NAME,
    cellTimeoutSeconds = 1800,
    executedNotebookPath,
  } = options;
  const notebook = path.resolve(notebookPath);
  if (!fs.existsSync(notebook) || !fs.statSync(notebook).isFile()) {
    throw new ReportError(`report: notebook ${notebookPath} does not exist. ${listNotebooksHint()}`, 2);
  }
  if (!notebook.endsWith(".ipynb")) {
    throw new ReportError(`report: ${notebookPath} is not a notebook (expected a .ipynb file). ${listNotebooksHint()}`, 2);
  }
  let jupyter;
  try {
    jupyter = findJupyter();
  } catch (error) {
    throw new ReportError((error as Error).message, 2);
  }
  const name = path.basename(notebook, ".ipynb");
  fs.mkdirSync(outDir, { recursive: true });
  const htmlPath = path.join(path.resolve(outDir), `${name}.html`);
  const temporaryPath = `${htmlPath}.${process.pid}.tmp`;
  const args = [
    DRIVER, notebook, temporaryPath,
    "--kernel", kernelName,
    "--cwd", PROJECT_ROOT,
    "--timeout", String(cellTimeoutSeconds),
    "--template-dir", TEMPLATE_DIR,
    "--template", TEMPLATE_NAME,
    ...(hideCode ? ["--no-code"] : []),
    ...(executedNotebookPath ? ["--executed", path.resolve(executedNotebookPath)] : []),
  ];
  const { exitCode, stdout, stderr } = await runProcess(jupyter.python, args);
  const outcome = parseOutcome(stdout);
  try {
    if (!outcome) {
      const missingModule = /No module named '?([\w.]+)/.exec(stderr);
      if (missingModule) {
        throw new ReportError(
          `report: ${jupyter.python} (the Python of ${jupyter.jupyterCommand}) lacks the module "${missingModule[1]}". ${JUPYTER_INSTALL_HINT}`,
          2,
        );
      }
      throw new ReportError(
        `report: the notebook runner exited with code ${exitCode} and no result.\n${stderr.trim().split("\n").slice(-15).join("\n")}`,
        1,
      );
    }
    switch (outcome.status) {
      case "ok":
        fs.renameSync(temporaryPath, htmlPath);
        return htmlPath;
      case "no-kernel": {
        const known = Object.keys(outcome.available).join(", ") || "none";
        const jupyterPath = process.env.JUPYTER_PATH ? ` (JUPYTER_PATH=${process.env.JUPYTER_PATH})` : "";
        throw new ReportError(
          `report: the Jupyter kernel "${outcome.kernel}" is not registered${jupyterPath}; Jupyter knows: ${known}. ` +
            "Run `npm run kernel:install`.",
          2,
        );
      }
      case "cell-error":
        throw new ReportError(
          `report: ${notebookPath}: code cell ${outcome.codeCellNumber} failed ` +
            `(it starts: ${JSON.stringify(outcome.source.split("\n", 1)[0].slice(0, 100))}):\n` +
            cellErrorMessage(outcome.stderr),
          1,
        );
      case "timeout":
        throw new ReportError(`report: ${notebookPath}: cell ${outcome.cellIndex + 1} ran longer than ${cellTimeoutSeconds} s. Pass --timeout SECONDS.`, 1);
      case "kernel-died":
        throw new ReportError(`report: ${notebookPath}: the kernel died (${outcome.message}). Out of memory? Run the notebook cell by cell to see where.`, 1);
    }
  } finally {
    fs.rmSync(temporaryPath, { force: true });
  }
}

/**
 * The useful part of what tslab printed for a failing cell: Node's stack frames and tslab's source echo dropped,
 * the error line(s) and type-checker diagnostics kept. Falls back to the whole text when nothing is left.
 * @example cellErrorMessage("evalmachine.<anonymous>:2\nthrow x;\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n") // "Error: boom"
 */
export function cellErrorMessage(stderr: string): string {
  const lines = stderr.split("\n");
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (/^\s+at /.test(line)) continue;
    if (/^(?:evalmachine\.<anonymous>|(?:\/|[A-Za-z]:\\)\S*):\d+$/.test(line)) {
      // Node's echo of the throwing source line (in the cell or in a module file) and its caret marker.
      if (/^\s*\^+\s*$/.test(lines[index + 2] ?? "")) {
        index += 2;
        continue;
      }
    }
    kept.push(line);
  }
  const message = kept.join("\n").replace(/\n{2,}/g, "\n").trim();
  return message || stderr.trim() || "(the cell failed without printing an error; tslab reported status \"error\")";
}

function parseOutcome(stdout: string): DriverOutcome | undefined {
  const lastLine = stdout.trim().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(lastLine) as DriverOutcome;
    return parsed && typeof parsed === "object" && "status" in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function listNotebooksHint(): string {
  const folder = path.join(PROJECT_ROOT, "notebooks");
  const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((file) => file.endsWith(".ipynb")).sort() : [];
  return names.length > 0 ? `Notebooks: ${names.map((file) => `notebooks/${file}`).join(", ")}.` : "";
}

function runProcess(command: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}
