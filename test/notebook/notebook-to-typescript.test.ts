import * as assert from "node:assert/strict";
import { test } from "node:test";
import { notebookToTypeScript } from "../../src/notebook/notebook-to-typescript";

const notebook = (cells: { cell_type: string; source: string | string[] }[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

test("imports are hoisted and re-pointed from the project root to the output folder; the rest goes in an async body", () => {
  const source = notebookToTypeScript(
    notebook([
      { cell_type: "markdown", source: "# Title\nimport nothing from here" },
      { cell_type: "code", source: ['import { show } from "./src";\n', 'import * as fs from "node:fs";\n', "const rows = [{ a: 1 }];"] },
      { cell_type: "code", source: 'import { readRun } from "./src/data/trec-run";\nconst text = await fs.promises.readFile("x");\nshow(rows);' },
    ]),
    "notebooks/x.ipynb",
    "/repo",
    "/repo/build/notebook-cells",
  );
  assert.equal(
    source,
    [
      "// Generated from notebooks/x.ipynb by kernel-config/extract-notebook-cells.ts for type checking; do not edit.",
      "// cell 2",
      'import { show } from "../../src";',
      'import * as fs from "node:fs";',
      "// cell 3",
      'import { readRun } from "../../src/data/trec-run";',
      "",
      "export async function notebookCells(): Promise<void> {",
      "  // cell 2",
      "  const rows = [{ a: 1 }];",
      "",
      "  // cell 3",
      '  const text = await fs.promises.readFile("x");',
      "  show(rows);",
      "}",
      "",
    ].join("\n"),
  );
});

test("a file that is not a notebook fails loudly, naming it", () => {
  assert.throws(() => notebookToTypeScript("{ not json", "notebooks/broken.ipynb", "/repo", "/repo/build"), /notebooks\/broken\.ipynb is not valid notebook JSON/);
  assert.throws(() => notebookToTypeScript('{"worksheets": []}', "notebooks/old.ipynb", "/repo", "/repo/build"), /notebooks\/old\.ipynb has no "cells" array/);
});
