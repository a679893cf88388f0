import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as encoders from "../../src/model/encoder-registry";
import { buildOwnLadder } from "../../src/train/own-ladder";

// ADI (82 abstracts) is staged in ../shared/datasets; the test reads it in place.
test("buildOwnLadder: vocabulary + one MLM-pretrained BERT per preset on a dataset's documents, cached", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "ladder-"));
  const options = { datasets: ["adi"], presets: ["0.1M"] as const, steps: 4, seqLen: 32, batchSize: 4, vocabSize: 400, outRoot, progress: false as const };
  try {
    const ladder = await buildOwnLadder(options);
    assert.equal(ladder.documents, 82);
    assert.equal(fs.readFileSync(ladder.vocabularyFile, "utf8").split("\n").filter(Boolean).length, 400);
    const record = ladder.encoders["0.1M"]!;
    assert.equal(record.finished, true);
    assert.equal(record.tokensSeen, 4 * 4 * 32);
    assert.equal(ladder.totalPretrainingFlops, record.pretrainingFlops);
    const encoder = await encoders.load(path.join(outRoot, "0.1M"));
    assert.deepEqual({ layers: encoder.config.layers, hidden: encoder.config.hidden, vocabSize: encoder.config.vocabSize, maxLen: encoder.config.maxLen }, { layers: 2, hidden: 64, vocabSize: 400, maxLen: 32 });
    const again = await buildOwnLadder(options);
    assert.equal(again.encoders["0.1M"]!.wallSeconds, record.wallSeconds, "cached, not redone");
    await assert.rejects(buildOwnLadder({ ...options, presets: ["7M" as never] }), /unknown presets 7M; use 0.1M, 0.4M/);
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }
});
