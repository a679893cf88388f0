import * as assert from "node:assert/strict";
import { test } from "node:test";
import { DataFrame } from "danfojs-node";
import { charts, show, showTable, renderSvg, type DisplayBundle } from "../../src";

const POINTS = [
  { nonEmbeddingParams: 5e4, "ndcg@10": 0.383 },
  { nonEmbeddingParams: 4e5, "ndcg@10": 0.444 },
];

function collect(): { bundles: DisplayBundle[]; sink: (bundle: DisplayBundle) => void } {
  const bundles: DisplayBundle[] = [];
  return { bundles, sink: (bundle) => bundles.push(bundle) };
}

test("show(chart) sends exactly one bundle: Vega-Lite v5 JSON object, vega SVG, text", () => {
  const { bundles, sink } = collect();
  const spec = charts.scalingCurve(POINTS, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true, title: "d64L1 on SciFact" });
  show(spec, { sink });
  assert.equal(bundles.length, 1);
  const [bundle] = bundles;
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  // JupyterLab's vega5 renderer wants the spec as a JSON object, not a string.
  const vegaLite = bundle["application/vnd.vegalite.v5+json"] as Record<string, unknown>;
  assert.equal(typeof vegaLite, "object");
  assert.equal(vegaLite.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual((vegaLite.data as { values: unknown[] }).values, POINTS);
  const svg = bundle["image/svg+xml"] as string;
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="\d+" height="\d+"/);
  assert.equal(svg, renderSvg(spec));
  assert.equal(bundle["text/plain"], "<Vega-Lite chart: d64L1 on SciFact>");
});

test("show(records) sends an escaped HTML table and an aligned text table", () => {
  const { bundles, sink } = collect();
  show([{ model: "<d64L1>", "ndcg@10": 0.50583, seeds: 3 }, { model: "d128L2", "ndcg@10": 0.5, extra: "x&y" }], { sink });
  assert.equal(bundles.length, 1);
  const html = bundles[0]["text/html"] as string;
  assert.match(html, /<th>model<\/th><th>ndcg@10<\/th><th>seeds<\/th><th>extra<\/th>/);
  assert.match(html, /<td>&#60;d64L1&#62;<\/td><td>0\.5058<\/td><td>3<\/td><td><\/td>/);
  assert.match(html, /<td>x&#38;y<\/td>/);
  assert.equal(bundles[0]["text/plain"], ["model    ndcg@10  seeds  extra", "<d64L1>  0.5058   3", "d128L2   0.5             x&y"].join("\n"));
});

test("show(DataFrame) shows the index and the columns of a danfojs DataFrame", () => {
  const { bundles, sink } = collect();
  show(new DataFrame([{ measure: "ndcg@10", bm25: 0.5058 }, { measure: "recall@100", bm25: 0.4936 }]), { sink });
  const html = bundles[0]["text/html"] as string;
  assert.match(html, /<th><\/th><th>measure<\/th><th>bm25<\/th>/);
  assert.match(html, /<tr><td>1<\/td><td>recall@100<\/td><td>0\.4936<\/td><\/tr>/);
});

test("showTable truncates long tables and says how many rows are hidden", () => {
  const { bundles, sink } = collect();
  const rows = Array.from({ length: 12 }, (_, index) => ({ query: index }));
  showTable(rows, { sink, maxRows: 10, caption: "12 queries" });
  assert.equal(((bundles[0]["text/html"] as string).match(/<tr>/g) ?? []).length, 11);
  assert.match(bundles[0]["text/html"] as string, /… 2 more rows/);
  assert.match(bundles[0]["text/html"] as string, /<caption>12 queries<\/caption>/);
});

test("show outside a kernel prints the text version to stdout", () => {
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
  try {
    show([{ a: 1 }]);
  } finally {
    process.stdout.write = original;
  }
  assert.deepEqual(written, ["a\n1\n"]);
});

test("bad input gets one clear message: a spec vega cannot compile, a value that is neither chart nor table", () => {
  assert.throws(
    () => show({ mark: "line", encoding: { x: { field: "n", type: "quantitive" } } } as never, { sink: () => {} }),
    /renderSvg: encoding channel "x" has type "quantitive"\. Use one of: quantitative, temporal, ordinal, nominal, geojson\./,
  );
  assert.throws(
    () =>
      show({ data: { values: [{ x: 1 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } }, transform: [{ filter: "datum.x >" }] } as never, {
        sink: () => {},
      }),
    /renderSvg: Vega-Lite could not compile the chart spec: Unexpected end of input\. Fix the spec/,
  );
  assert.throws(() => show({ mark: "bogus" } as never, { sink: () => {} }), /unknown Vega-Lite mark "bogus". Use one of: arc, area, bar/);
  assert.throws(
    () => show({ mark: "point", data: { url: "data/cars.json" } } as never, { sink: () => {} }),
    /loads data from a URL.*Pass the rows inline as data: \{ values: \[\.\.\.\] \}/,
  );
  assert.throws(
    () =>
      show({ data: { values: [{ x: 1 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } }, transform: [{ calculate: "nosuchfn(1)", as: "y" }] } as never, {
        sink: () => {},
      }),
    /renderSvg: Vega could not build the chart: .*nosuchfn/,
  );
  assert.throws(() => show(42 as never, { sink: () => {} }), /show: expected a Vega-Lite spec \(build one with charts\.\*\), a danfojs DataFrame or an array of records, got number/);
});
