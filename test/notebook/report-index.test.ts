import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { cellErrorMessage, findJupyter, notebookTitle, writeReportIndex } from "../../src";

test("notebookTitle takes the first markdown heading, else the file name", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-index-"));
  try {
    const titled = path.join(folder, "01-sizes.ipynb");
    fs.writeFileSync(titled, JSON.stringify({ cells: [{ cell_type: "code", source: "# not a heading" }, { cell_type: "markdown", source: ["Intro\n", "## Does NDCG@10 follow a power law?\n"] }] }));
    assert.equal(notebookTitle(titled), "Does NDCG@10 follow a power law?");
    const untitled = path.join(folder, "02-untitled.ipynb");
    fs.writeFileSync(untitled, "{ broken");
    assert.equal(notebookTitle(untitled), "02-untitled");
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("writeReportIndex links each report and escapes titles", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-index-"));
  try {
    const indexPath = writeReportIndex([{ name: "00-quickstart", title: "Quickstart <& friends>" }, { name: "01 sizes", title: "Sizes" }], folder);
    const html = fs.readFileSync(indexPath, "utf8");
    assert.match(html, /<li><a href="00-quickstart\.html">Quickstart &#60;&#38; friends&#62;<\/a>/);
    assert.match(html, /<a href="01%20sizes\.html">Sizes<\/a>/);
    assert.doesNotMatch(html, /<script|https?:\/\//);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("cellErrorMessage keeps the error and type-checker lines, drops stack frames and the source echo", () => {
  // What tslab 1.0.22 printed to the cell's stderr for `throw new Error("boom")` (captured from a real kernel run).
  const thrown = "evalmachine.<anonymous>:2\nthrow new Error(\"boom\");\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n    at Script.runInThisContext (node:vm:135:14)\n";
  assert.equal(cellErrorMessage(thrown), "Error: boom");
  const thrownInModule = "/work/main/src/notebook/render-svg.ts:46\n    throw new Error(\n    ^\nError: renderSvg: bad spec\n    at renderSvg (/work/main/src/notebook/render-svg.ts:46:11)\n";
  assert.equal(cellErrorMessage(thrownInModule), "Error: renderSvg: bad spec");
  assert.equal(cellErrorMessage("1:7 - Type 'string' is not assignable to type 'number'.\n"), "1:7 - Type 'string' is not assignable to type 'number'.");
  assert.match(cellErrorMessage(""), /failed without printing an error/);
});

test("findJupyter reads the Python from the jupyter command's #! line (plain path or /usr/bin/env)", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-jupyter-bin-"));
  try {
    const python = path.join(folder, "python3");
    fs.writeFileSync(python, "#!/bin/sh\n", { mode: 0o755 });
    const direct = path.join(folder, "jupyter-direct");
    fs.writeFileSync(direct, `#!${python}\n`, { mode: 0o755 });
    assert.deepEqual(findJupyter({ RERANK_JUPYTER: direct, PATH: "" }), { jupyterCommand: direct, python });
    const viaEnv = path.join(folder, "jupyter");
    fs.writeFileSync(viaEnv, "#!/usr/bin/env python3\n", { mode: 0o755 });
    assert.deepEqual(findJupyter({ PATH: folder }), { jupyterCommand: viaEnv, python });
    assert.throws(() => findJupyter({ PATH: path.join(folder, "empty") }), /Jupyter is not installed \(no `jupyter` command on PATH\)\. Run `npm run setup`/);
    const noShebang = path.join(folder, "jupyter-binary");
    fs.writeFileSync(noShebang, "\u007fELF", { mode: 0o755 });
    assert.throws(() => findJupyter({ RERANK_JUPYTER: noShebang, PATH: "" }), /cannot tell which Python runs/);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
