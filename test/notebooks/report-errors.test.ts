/**
 * The report command's failures, run as a user runs it (`node --import tsx src/cli.ts report ...`): each bad input
 * gets one clear message and a non-zero exit code; a failing cell is named with its own error message.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { PROJECT_ROOT } from "../../src";
import { createJupyterSandbox } from "./jupyter-sandbox";

const FIXTURES = path.join("test", "notebooks", "fixtures");
const sandbox = createJupyterSandbox({ registerKernel: true });
after(() => sandbox.cleanup());

function report(args: string[], env: NodeJS.ProcessEnv = sandbox.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "report", ...args, "--out-dir", path.join(sandbox.folder, "reports")], {
    cwd: PROJECT_ROOT,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("a cell that throws fails the report with that cell's number and message, and no report is written", () => {
  const result = report([path.join(FIXTURES, "failing-cell.ipynb")]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /failing-cell\.ipynb: code cell 2 failed \(it starts: "const total = shares\.reduce/);
  assert.match(result.stderr, /^Error: shares must sum to 1, got 0\.5$/m);
  assert.doesNotMatch(result.stderr, /<Error>|never reached|\n\s+at /);
  assert.equal(fs.existsSync(path.join(sandbox.folder, "reports", "failing-cell.html")), false);
});

test("a cell that does not type-check fails the report with the type checker's message", () => {
  const result = report([path.join(FIXTURES, "type-error.ipynb")]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /code cell 1 failed[^\n]*\n1:7 - Type 'string' is not assignable to type 'number'\./);
});

test("a chart spec that Vega-Lite cannot compile fails the report with renderSvg's message", () => {
  const result = report([path.join(FIXTURES, "bad-chart.ipynb")]);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /code cell 2 failed[^\n]*\nError: renderSvg: encoding channel "x" has type "quantitive"\. Use one of: quantitative, temporal/);
});

test("--no-code leaves the code out and keeps markdown and outputs", () => {
  const result = report([path.join(FIXTURES, "hidden-code.ipynb"), "--no-code"]);
  assert.equal(result.status, 0, result.stderr);
  const html = fs.readFileSync(path.join(sandbox.folder, "reports", "hidden-code.html"), "utf8");
  assert.match(html, /Only this text and the output below should be in the report/);
  assert.match(html, /output-visible/);
  assert.doesNotMatch(html, /console\.log/);
  assert.match(html, /<div class="jp-Cell jp-CodeCell [^"]*jp-mod-noInput/);
});

test("a notebook path that does not exist: exit 2, says so and lists the notebooks", () => {
  const result = report(["notebooks/no-such-notebook.ipynb"]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^report: notebook notebooks\/no-such-notebook\.ipynb does not exist\. Notebooks: notebooks\/00-quickstart\.ipynb/);
});

test("Jupyter missing: exit 2, says what to install", () => {
  const result = report([path.join(FIXTURES, "hidden-code.ipynb")], { ...sandbox.env, RERANK_JUPYTER: path.join(sandbox.folder, "no-jupyter") });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^report: Jupyter is not installed \(RERANK_JUPYTER=.* is not an executable file\)\. Run `npm run setup`/);
});

test("kernel not registered: exit 2, names the kernel and says to run npm run kernel:install", () => {
  const bare = createJupyterSandbox({ registerKernel: false });
  try {
    const result = report([path.join(FIXTURES, "hidden-code.ipynb")], bare.env);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^report: the Jupyter kernel "rerank-scaling" is not registered \(JUPYTER_PATH=.*\); Jupyter knows: .*\. Run `npm run kernel:install`\./);
  } finally {
    bare.cleanup();
  }
});

test("--save-executed writes the executed notebook, outputs included, over its source; a failing one is left as it was", () => {
  const folder = path.join(sandbox.folder, "save-executed");
  fs.mkdirSync(folder, { recursive: true });
  const good = path.join(folder, "hidden-code.ipynb");
  const bad = path.join(folder, "failing-cell.ipynb");
  fs.copyFileSync(path.join(PROJECT_ROOT, FIXTURES, "hidden-code.ipynb"), good);
  fs.copyFileSync(path.join(PROJECT_ROOT, FIXTURES, "failing-cell.ipynb"), bad);
  const badBefore = fs.readFileSync(bad, "utf8");
  const outputsOf = (file: string) =>
    (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { outputs?: unknown[] }[] }).cells.flatMap((cell) => cell.outputs ?? []);
  assert.equal(outputsOf(good).length, 0, "the fixture starts without outputs");

  const saved = report([good, "--save-executed"]);
  assert.equal(saved.status, 0, saved.stderr);
  assert.ok(outputsOf(good).length > 0, "the executed notebook replaced its source");

  const failed = report([bad, "--save-executed"]);
  assert.equal(failed.status, 1, failed.stderr);
  assert.equal(fs.readFileSync(bad, "utf8"), badBefore, "a failed run leaves the source untouched");
  assert.deepEqual(fs.readdirSync(folder).sort(), ["failing-cell.ipynb", "hidden-code.ipynb"], "no temporary file left");
});
