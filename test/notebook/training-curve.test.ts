import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { charts, renderSvg } from "../../src";
import type { CheckpointMetrics } from "../../src/train/run-directory";
import { assertValidVegaLite } from "./vega-lite-schema";

// Illustrative checkpoints (shape of metrics.jsonl); only the chart is checked here.
const checkpoint = (step: number, ndcg: number, loss: number): CheckpointMetrics => ({
  step, examplesSeen: step * 16, pairsSeen: step * 64, trainLoss: loss, learningRate: 1e-3, trainSeconds: step / 10,
  dev: { "ndcg@10": ndcg, map: ndcg - 0.05 },
});
const RUNS = [
  { label: "0.1M listwise", checkpoints: [checkpoint(50, 0.52, 1.2), checkpoint(100, 0.61, 0.9), checkpoint(200, 0.59, 0.7)] },
  { label: "0.4M listwise", checkpoints: [checkpoint(50, 0.55, 1.1), checkpoint(100, 0.63, 0.8), checkpoint(200, 0.66, 0.6)] },
];
const STORED_SPEC = path.join(__dirname, "fixtures", "training-curve.vl.json");

test("trainingCurve builds a valid Vega-Lite v5 spec equal to the stored copy", () => {
  const spec = charts.trainingCurve(RUNS, { metric: "ndcg@10" });
  assertValidVegaLite(spec);
  if (process.env.UPDATE_FIXTURES) fs.writeFileSync(STORED_SPEC, JSON.stringify(spec, null, 2) + "\n");
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(fs.readFileSync(STORED_SPEC, "utf8")));
});

test("trainingCurve renders both panels with one point per checkpoint and marks each run's best", () => {
  const spec = charts.trainingCurve(RUNS) as { data: { values: Array<{ best: boolean; step: number; run: string }> } };
  assert.deepEqual(spec.data.values.filter((row) => row.best).map((row) => [row.run, row.step]), [["0.1M listwise", 100], ["0.4M listwise", 200]]);
  const svg = renderSvg(charts.trainingCurve(RUNS));
  const symbols = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)];
  assert.equal(symbols.length, 2, "two panels");
  for (const group of symbols) assert.equal((group[1]!.match(/<path/g) ?? []).length, 6);
});

test("trainingCurve names the dev metrics present when the asked one is missing", () => {
  assert.throws(() => charts.trainingCurve(RUNS, { metric: "mrr@10" }), /no checkpoint has the dev metric "mrr@10" \(present: ndcg@10, map\)/);
  assert.throws(
    () => charts.trainingCurve([{ label: "x", checkpoints: [{ ...checkpoint(0, 0.5, 1), pairsSeen: 0 }] }]),
    /a log axis needs positive values/,
  );
});
