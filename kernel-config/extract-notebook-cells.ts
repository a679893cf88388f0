/**
 * `tsx kernel-config/extract-notebook-cells.ts`: writes each notebook's code cells to
 * build/notebook-cells/<NAME>.ts (tsconfig.json includes that folder), so `tsc` type-checks notebooks with the
 * project's strict settings. Run by test/run-all.sh before tsc; exits non-zero, naming the notebook, when a
 * notebook cannot be read, so a broken notebook can never pass the typecheck by being skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { notebookToTypeScript } from "../src/notebook/notebook-to-typescript";

const PROJECT_ROOT = path.resolve(__dirname, "..");

function main(): number {
  const notebooksDir = path.join(PROJECT_ROOT, "notebooks");
  const outputDir = path.join(PROJECT_ROOT, "build", "notebook-cells");
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });
  const names = fs.existsSync(notebooksDir) ? fs.readdirSync(notebooksDir).filter((file) => file.endsWith(".ipynb")).sort() : [];
  for (const name of names) {
    const notebookPath = path.join("notebooks", name);
    const source = notebookToTypeScript(fs.readFileSync(path.join(PROJECT_ROOT, notebookPath), "utf8"), notebookPath, PROJECT_ROOT, outputDir);
    fs.writeFileSync(path.join(outputDir, `${path.basename(name, ".ipynb")}.ts`), source);
  }
  console.log(`extract-notebook-cells: ${names.length} notebook(s) → ${path.relative(PROJECT_ROOT, outputDir)}/`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`extract-notebook-cells: FAILED: ${(error as Error).message}`);
  process.exitCode = 1;
}
