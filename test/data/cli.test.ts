import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as bm25Cli } from "../../src/cli/bm25";
import { run as datasetsCli } from "../../src/cli/datasets";
import { readRun } from "../../src/data/trec-run";
import { requireStagedDatasets } from "./staged-datasets";

async function captured(body: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await body(), out: lines.join("\n") };
  } finally {
    console.log = original;
  }
}

test("datasets list shows every dataset with documents, splits, size and terms", async () => {
  requireStagedDatasets();
  const { code, out } = await captured(() => datasetsCli(["list"]));
  assert.equal(code, 0);
  assert.match(out, /^name\s+docs\s+splits \(queries \/ judgments\)\s+size\s+where\s+terms/);
  assert.match(out, /\nscifact\s+5183\s+train 809 q \/ 919 j; test 300 q \/ 339 j\s+\d+\.\d MB\s+staged\s+CC BY-NC 2\.0/);
  assert.match(out, /\ntrec-dl-2019\s+15938\s+test 43 q \/ 9260 j/);
  assert.equal(await datasetsCli(["info"]), 2);
});

test("bm25 writes a TREC run of the top k and evaluates it", async () => {
  requireStagedDatasets();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rerank-bm25-")), "run.trec");
  const result = await captured(() => bm25Cli(["--dataset", "cranfield", "--split", "test", "--k", "10", "--out", out, "--eval"]));
  assert.equal(result.code, 0);
  assert.match(result.out, /ndcg@10\t0\.\d{4}/);
  const written = readRun(out);
  assert.equal(written.size, 225);
  assert.ok([...written.values()].every((scores) => scores.size <= 10));
  assert.equal(await bm25Cli(["--split", "test"]), 2);
});
