/**
 * Every notebook in notebooks/ is executed through the real kernel (tslab, started by kernel-config/start-kernel.js,
 * driven by Jupyter's headless nbclient), its outputs are checked for chart bundles, and the quickstart's published
 * report is opened in headless Chromium to check that each chart image actually loads.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { publishReport, PROJECT_ROOT, VEGA_LITE_MIME_TYPE } from "../../src";
import { createJupyterSandbox } from "./jupyter-sandbox";

interface NotebookOutput {
  output_type: string;
  data?: Record<string, unknown>;
}
interface ExecutedNotebook {
  cells: { cell_type: string; outputs?: NotebookOutput[] }[];
}

const NOTEBOOKS = fs
  .readdirSync(path.join(PROJECT_ROOT, "notebooks"))
  .filter((file) => file.endsWith(".ipynb"))
  .sort();
const sandbox = createJupyterSandbox({ registerKernel: true });
const reportsDir = path.join(sandbox.folder, "reports");
const executed = new Map<string, Promise<ExecutedNotebook>>();

before(() => {
  // publishReport spawns Jupyter with process.env: point it at the sandbox's kernel only.
  Object.assign(process.env, { JUPYTER_PATH: sandbox.env.JUPYTER_PATH, JUPYTER_DATA_DIR: sandbox.env.JUPYTER_DATA_DIR });
});
after(() => sandbox.cleanup());

function execute(notebook: string): Promise<ExecutedNotebook> {
  let run = executed.get(notebook);
  if (!run) {
    const executedPath = path.join(sandbox.folder, notebook);
    run = publishReport(path.join(PROJECT_ROOT, "notebooks", notebook), { outDir: reportsDir, executedNotebookPath: executedPath }).then(
      () => JSON.parse(fs.readFileSync(executedPath, "utf8")) as ExecutedNotebook,
    );
    executed.set(notebook, run);
  }
  return run;
}

test("notebooks/ holds the quickstart", () => {
  assert.ok(NOTEBOOKS.includes("00-quickstart.ipynb"), `notebooks: ${NOTEBOOKS.join(", ")}`);
});

// Two kernels at a time: each start type-checks ./src, and the machine has two cores.
test("every notebook runs top to bottom and each chart output holds the Vega-Lite JSON and the SVG", { concurrency: 2 }, async (t) => {
  await Promise.all(
    NOTEBOOKS.map((notebook) =>
      t.test(notebook, async () => {
      const outputs = (await execute(notebook)).cells.flatMap((cell) => cell.outputs ?? []);
      const charts = outputs.filter((output) => output.data && VEGA_LITE_MIME_TYPE in output.data);
      assert.ok(charts.length > 0, `${notebook} shows no chart`);
      for (const chart of charts) {
        const spec = chart.data![VEGA_LITE_MIME_TYPE] as Record<string, unknown>;
        assert.equal(typeof spec, "object", "the Vega-Lite output must be a JSON object");
        assert.match(String(spec.$schema), /vega-lite\/v5\.json$/);
        assert.match(String(chart.data!["image/svg+xml"]), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/);
        assert.match(String(chart.data!["text/plain"]), /^<Vega-Lite chart/);
      }
      assert.deepEqual(outputs.filter((output) => output.output_type === "error"), []);
      }),
    ),
  );
});

test("the quickstart report is self-contained and every chart image loads in headless Chromium", async () => {
  const notebook = await execute("00-quickstart.ipynb");
  const chartCount = notebook.cells.flatMap((cell) => cell.outputs ?? []).filter((output) => output.data?.["image/svg+xml"]).length;
  const html = fs.readFileSync(path.join(reportsDir, "00-quickstart.html"), "utf8");
  assert.doesNotMatch(html, /<script/i, "a report must not need scripts");
  assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//i, "a report must not load anything from the network");
  assert.match(html, /<table class="rerank-table">/);

  // A copy of the report plus a script that writes each image's decoded size into the DOM, which --dump-dom prints.
  const probePath = path.join(sandbox.folder, "quickstart-probe.html");
  const probe = `<script>addEventListener("load", () => {
    const pre = document.createElement("pre"); pre.id = "image-probe";
    pre.textContent = JSON.stringify([...document.images].map((image) => ({ complete: image.complete, width: image.naturalWidth, height: image.naturalHeight })));
    document.body.appendChild(pre);
  });</script>`;
  fs.writeFileSync(probePath, html.replace(/<\/body>/i, `${probe}</body>`));
  const chromium = ["chromium", "chromium-browser", "google-chrome"].find((command) => spawnSync("which", [command]).status === 0);
  assert.ok(chromium, "headless Chromium is needed for this test: run `npm run setup` (it apt-installs chromium)");
  const result = spawnSync(
    chromium,
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${path.join(sandbox.folder, "chromium-profile")}`,
      "--virtual-time-budget=5000", "--dump-dom", `file://${probePath}`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  const dumped = /<pre id="image-probe">(.*?)<\/pre>/s.exec(result.stdout);
  assert.ok(dumped, `Chromium printed no probe result (exit ${result.status}): ${result.stderr.slice(-500)}`);
  const images = JSON.parse(dumped[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as {
    complete: boolean;
    width: number;
    height: number;
  }[];
  assert.equal(images.length, chartCount, "one image per chart");
  for (const [index, image] of images.entries()) {
    assert.ok(image.complete && image.width > 0 && image.height > 0, `chart image ${index + 1} did not load: ${JSON.stringify(image)}`);
  }
});
