import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { run } from "../../src/cli/train";
import { load } from "../../src/data/datasets";
import { readRun, writeRun } from "../../src/data/trec-run";

// Real data (WikiQA from ../shared/datasets), smoke-sized: 6 steps of 8 listwise groups of 4, 48 tokens.
test("rerank-scaling train writes an indexable run directory; train rerank writes a reranked TREC run", async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-cli-"));
  const originalLog = console.log;
  const printed: string[] = [];
  console.log = (line: string) => printed.push(line);
  try {
    const code = await run(["--dataset", "wikiqa", "--out", runDir, "--preset", "0.1M", "--steps", "6", "--batch", "8", "--group", "4",
      "--eval-every", "3", "--max-len", "48", "--backend", "wasm", "--no-progress"]);
    assert.equal(code, 0);
  } finally {
    console.log = originalLog;
  }
  const summary = JSON.parse(printed[printed.length - 1]!);
  assert.equal(summary.pairsSeen, 6 * 8 * 4);
  assert.ok(summary.final["ndcg@10"] > 0);
  for (const file of ["config.json", "vocab.txt", "metrics.jsonl", "log.jsonl", "summary.json", "checkpoints/best.ckpt", "checkpoints/step-00000006.ckpt"]) {
    assert.ok(fs.existsSync(path.join(runDir, file)), `${file} missing`);
  }
  const config = JSON.parse(fs.readFileSync(path.join(runDir, "config.json"), "utf8"));
  assert.equal(config.metadata.dataset, "wikiqa");
  assert.equal(config.model.exactMatch, true);

  const dataset = await load("wikiqa");
  const candidates = new Map([...dataset.splits.test!.candidates!.wikiqa!].slice(0, 5));
  const candidatesFile = path.join(runDir, "candidates.trec");
  const rerankedFile = path.join(runDir, "reranked.trec");
  writeRun(candidatesFile, candidates);
  assert.equal(await run(["rerank", "--run-dir", runDir, "--candidates", candidatesFile, "--out", rerankedFile]), 0);
  const reranked = readRun(rerankedFile);
  assert.deepEqual([...reranked.keys()], [...candidates.keys()]);
  for (const [queryId, scores] of candidates) assert.deepEqual([...reranked.get(queryId)!.keys()].sort(), [...scores.keys()].sort());
  await assert.rejects(run(["rerank", "--run-dir", path.join(runDir, "missing")]), /config.json not found/);
});
