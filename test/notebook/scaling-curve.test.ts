import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { charts, renderSvg } from "../../src";
import { assertValidVegaLite } from "./vega-lite-schema";

// Illustrative points at the sizes of DESIGN.md §4's d64L1 / d128L2 / d256L2 models; only the chart is checked here.
const POINTS = [
  { nonEmbeddingParams: 5e4, "ndcg@10": 0.545, objective: "listwise" },
  { nonEmbeddingParams: 4e5, "ndcg@10": 0.563, objective: "listwise" },
  { nonEmbeddingParams: 1.6e6, "ndcg@10": 0.571, objective: "listwise" },
];
const STORED_SPEC = path.join(__dirname, "fixtures", "scaling-curve.vl.json");

test("scalingCurve builds a valid Vega-Lite v5 spec equal to the stored copy", () => {
  const spec = charts.scalingCurve(POINTS, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true, color: "objective" });
  assertValidVegaLite(spec);
  if (process.env.UPDATE_FIXTURES) fs.writeFileSync(STORED_SPEC, JSON.stringify(spec, null, 2) + "\n");
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(fs.readFileSync(STORED_SPEC, "utf8")));
});

test("scalingCurve renders with one point mark per input point and a log x axis", () => {
  const svg = renderSvg(charts.scalingCurve(POINTS, { x: "nonEmbeddingParams", y: "ndcg@10", logX: true }));
  // vega draws each point of a `point` mark as one <path> inside the mark-symbol group.
  const symbolGroup = /<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg);
  assert.ok(symbolGroup, "no point marks in the SVG");
  assert.equal((symbolGroup[1].match(/<path/g) ?? []).length, POINTS.length);
  // vega's axis description names the scale type; labels use the SI "~s" format.
  assert.ok(svg.includes("X-axis titled 'nonEmbeddingParams' for a log scale"), "x axis is not a log scale");
  assert.ok(svg.includes(">100k<") && svg.includes(">1M<"), "x labels are not SI-formatted");
});

test("scalingCurve escapes dotted column names so Vega-Lite reads them as flat fields", () => {
  const spec = charts.scalingCurve([{ size: 1, "recall.100": 0.5 }, { size: 2, "recall.100": 0.6 }], {
    x: "size",
    y: "recall.100",
    logX: false,
  });
  assert.match(JSON.stringify(spec), /"field":"recall\\\\.100"/);
  assert.match(renderSvg(spec), /<svg/);
});

test("scalingCurve refuses missing columns and non-positive values on a log axis, saying what to do", () => {
  assert.throws(
    () => charts.scalingCurve([{ params: 1e4, ndcg: 0.3 }], { x: "nonEmbeddingParams", y: "ndcg", logX: true }),
    /point 0 has no finite number in column "nonEmbeddingParams".*its columns: params, ndcg/,
  );
  assert.throws(
    () => charts.scalingCurve([{ n: 0, y: 0.3 }], { x: "n", y: "y", logX: true }),
    /log scale needs positive values, but point 0 has n = 0\. Drop that point or set logX: false/,
  );
  assert.throws(() => charts.scalingCurve([{ n: 1, y: Number.NaN }], { x: "n", y: "y", logX: false }), /column "y"/);
});
