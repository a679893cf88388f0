import * as path from "node:path";
import * as ts from "typescript";

/** A notebook as far as the extraction needs it (nbformat 4). */
interface NotebookJson {
  cells?: { cell_type?: string; source?: string | string[] }[];
}

/**
 * Turns a notebook's code cells into one TypeScript module that `tsc` can type-check with the project's
 * tsconfig (tslab ignores tsconfig.json, so without this a notebook can drift from `src/` unnoticed).
 * - cells keep their order and share one scope, as in the kernel; each starts with a `// cell N` comment;
 * - imports are hoisted to the top and relative specifiers (`./src`) re-pointed from the kernel's working
 *   directory (the project root) to `outputDir`;
 * - the rest runs inside an `async` function, so that top-level `await` in a cell type-checks in a CommonJS project.
 *
 * Throws when the text is not notebook JSON, naming the file.
 * @example notebookToTypeScript('{"cells":[{"cell_type":"code","source":"import { show } from \"./src\";"}]}',
 *   "notebooks/x.ipynb", "/repo", "/repo/build/notebook-cells") // 'import { show } from "../../src";\n...'
 */
export function notebookToTypeScript(notebookText: string, notebookPath: string, projectRoot: string, outputDir: string): string {
  let notebook: NotebookJson;
  try {
    notebook = JSON.parse(notebookText) as NotebookJson;
  } catch (error) {
    throw new Error(`notebookToTypeScript: ${notebookPath} is not valid notebook JSON (${(error as Error).message}). Re-save it from Jupyter.`);
  }
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new Error(`notebookToTypeScript: ${notebookPath} has no "cells" array; is it a Jupyter notebook (nbformat 4)?`);
  }
  const imports: string[] = [];
  const body: string[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "";
    const file = ts.createSourceFile(`cell${index + 1}.ts`, source, ts.ScriptTarget.ES2022, true);
    const kept: string[] = [];
    let position = 0;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isImportEqualsDeclaration(statement)) continue;
      kept.push(source.slice(position, statement.getFullStart()));
      if (kept.length === 1) imports.push(`// cell ${index + 1}`);
      imports.push(repointImport(statement, projectRoot, outputDir));
      position = statement.getEnd();
    }
    kept.push(source.slice(position));
    const rest = kept.join("").trim();
    if (rest) body.push(`  // cell ${index + 1}\n` + indent(rest));
  });
  return [
    `// Generated from ${notebookPath} by kernel-config/extract-notebook-cells.ts for type checking; do not edit.`,
    ...imports,
    "",
    "export async function notebookCells(): Promise<void> {",
    body.join("\n\n"),
    "}",
    "",
  ].join("\n");
}

function repointImport(statement: ts.ImportDeclaration | ts.ImportEqualsDeclaration, projectRoot: string, outputDir: string): string {
  const text = statement.getText();
  const specifierNode = ts.isImportDeclaration(statement)
    ? statement.moduleSpecifier
    : ts.isExternalModuleReference(statement.moduleReference)
      ? statement.moduleReference.expression
      : undefined;
  if (!specifierNode || !ts.isStringLiteral(specifierNode) || !specifierNode.text.startsWith(".")) return text;
  let relative = path.relative(outputDir, path.resolve(projectRoot, specifierNode.text)).split(path.sep).join("/");
  if (!relative.startsWith(".")) relative = `./${relative}`;
  const start = specifierNode.getStart() - statement.getStart();
  return text.slice(0, start) + JSON.stringify(relative) + text.slice(start + specifierNode.getWidth());
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}
