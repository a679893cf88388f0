import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { charts, renderSvg } from "../../src";
import { assertValidVegaLite } from "../notebook/vega-lite-schema";

// Illustrative per-query values (shape of evaluate(...).perQuery); only the chart is checked here.
const A = new Map([["q1", { "ndcg@10": 0.6 }], ["q2", { "ndcg@10": 0.2 }], ["q3", { "ndcg@10": 0.5 }], ["q4", { "ndcg@10": 0.9 }]]);
const B = new Map([["q1", { "ndcg@10": 0.4 }], ["q2", { "ndcg@10": 0.3 }], ["q3", { "ndcg@10": 0.5 }], ["q5", { "ndcg@10": 0.1 }]]);
const STORED_SPEC = path.join(__dirname, "fixtures", "per-query-difference.vl.json");

test("perQueryDifference builds a valid Vega-Lite v5 spec equal to the stored copy", () => {
  const spec = charts.perQueryDifference(A, B, { measure: "ndcg@10", labelA: "reranker", labelB: "BM25" });
  assertValidVegaLite(spec);
  if (process.env.UPDATE_FIXTURES) fs.writeFileSync(STORED_SPEC, JSON.stringify(spec, null, 2) + "\n");
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(fs.readFileSync(STORED_SPEC, "utf8")));
});

test("perQueryDifference draws shared queries sorted by difference and counts wins in the title", () => {
  const spec = charts.perQueryDifference(A, B, { measure: "ndcg@10", labelA: "reranker", labelB: "BM25" }) as unknown as {
    title: string;
    data: { values: Array<{ query: string; difference: number }> };
  };
  assert.deepEqual(spec.data.values.map((row) => row.query), ["q1", "q3", "q2"]);
  assert.match(spec.title, /3 queries; 1 better, 1 worse/);
  const svg = renderSvg(charts.perQueryDifference(A, B, { measure: "ndcg@10", labelA: "reranker", labelB: "BM25" }));
  assert.equal((svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? []).length, 3);
  assert.throws(() => charts.perQueryDifference(A, B, { measure: "map", labelA: "a", labelB: "b" }), /has no value for "map" \(present: ndcg@10\)/);
});

test("perQueryScatter: valid spec equal to the stored copy, one point per shared query", () => {
  const stored = path.join(__dirname, "fixtures", "per-query-scatter.vl.json");
  const spec = charts.perQueryScatter(A, B, { measure: "ndcg@10", labelA: "reranker", labelB: "BM25" });
  assertValidVegaLite(spec);
  if (process.env.UPDATE_FIXTURES) fs.writeFileSync(stored, JSON.stringify(spec, null, 2) + "\n");
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(fs.readFileSync(stored, "utf8")));
  const svg = renderSvg(spec);
  assert.equal((svg.match(/<path[^>]*aria-roledescription="point"/g) ?? []).length, 3);
});
