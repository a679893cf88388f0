import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as encoders from "../../src/model/encoder-registry";
import { PROJECT_ROOT } from "../../src/paths";

const FIXTURE = path.join(PROJECT_ROOT, "data", "fixtures", "tiny-bert");
const FILES = ["config.json", "vocab.txt", "model.safetensors"];

test("encoders.list: the 24 BERT miniatures with licence, sources and parameter counts", () => {
  const miniatures = encoders.list().filter((entry) => entry.family === "bert-miniatures");
  assert.equal(miniatures.length, 24);
  assert.ok(miniatures.every((entry) => entry.licence === "Apache-2.0" && entry.files.length === 3 && entry.heads === entry.hidden / 64));
  // Reference: transformers BertModel(num_parameters()) = 109,482,240 for bert-base-uncased and 4,385,920 for
  // BERT-Tiny (prajjwal1/bert-tiny). Ours adds the one-logit head (hidden + 1).
  const base = encoders.info("bert-miniatures/L12-H768");
  assert.equal(base.nonEmbeddingParams + base.embeddingParams, 109_482_240 + 769);
  const tiny = encoders.info("bert-miniatures/L2-H128");
  assert.equal(tiny.nonEmbeddingParams + tiny.embeddingParams, 4_385_920 + 129);
  assert.equal(miniatures[0]!.name, "bert-miniatures/L2-H128", "smallest first");
  assert.equal(encoders.info("bert-miniatures/L4-H256").files[2]!.urls[0], "https://huggingface.co/google/bert_uncased_L-4_H-256_A-4/resolve/main/model.safetensors");
  assert.throws(() => encoders.info("bert-miniatures/L3-H128"), /unknown encoder "bert-miniatures\/L3-H128". Registered: bert-miniatures\/L2-H128/);
});

test("encoders.load: a local folder, then toCrossEncoder reproduces the fixture's first score", async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  const encoder = await encoders.load(FIXTURE);
  assert.equal(encoder.origin, "local");
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as { pairs: { inputIds: number[]; segmentIds: number[]; score: number }[] };
  const pair = expected.pairs[0]!;
  const model = encoders.toCrossEncoder(encoder);
  try {
    const batch = { batchSize: 1, seqLen: pair.inputIds.length, inputIds: Int32Array.from(pair.inputIds), segmentIds: Int32Array.from(pair.segmentIds), lengths: Int32Array.from([pair.inputIds.length]) };
    const score = tf.tidy(() => model.score(batch, { training: false }).arraySync()[0]!);
    assert.ok(Math.abs(score - pair.score) <= 1e-4);
  } finally {
    model.dispose();
  }
  assert.throws(() => encoders.toCrossEncoder(encoder, { maxLen: 1000 }), /maxLen must be an integer in 1\.\.64/);
});

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

test("encoders.load: downloads once over a loopback server, checks sha256, falls back to a mirror, caches atomically", async () => {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url!);
    const [, folder, name] = request.url!.split("/");
    if (folder === "official" && name === "pytorch_model.bin") {
      response.writeHead(200).end(fs.readFileSync(path.join(FIXTURE, "torch", "legacy.bin")));
      return;
    }
    if (folder !== "mirror" || !FILES.includes(name!)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200).end(fs.readFileSync(path.join(FIXTURE, name!)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "encoder-cache-"));
  const previousCache = process.env.RERANK_CACHE;
  process.env.RERANK_CACHE = cache;
  const entry = (name: string, pinned: boolean, corrupt = false): encoders.EncoderEntry => ({
    ...encoders.info("bert-miniatures/L2-H128"),
    name,
    family: name.split("/")[0]!,
    files: FILES.map((file) => ({
      name: file,
      urls: [`${base}/official/${file}`, `${base}/mirror/${file}`],
      sha256: pinned ? (corrupt && file === "vocab.txt" ? "0".repeat(64) : sha256(path.join(FIXTURE, file))) : undefined,
    })),
  });
  try {
    encoders.register(entry("test-ladder/unpinned", false));
    await assert.rejects(encoders.load("test-ladder/unpinned"), /no pinned sha256 for config.json, vocab.txt, model.safetensors. Pass \{ trustOnFirstUse: true \}/);
    const trusted = await encoders.load("test-ladder/unpinned", { trustOnFirstUse: true });
    assert.equal(trusted.unpinnedSha256["model.safetensors"], sha256(path.join(FIXTURE, "model.safetensors")));

    encoders.register(entry("test-ladder/pinned", true));
    await assert.rejects(encoders.load("test-ladder/pinned", { allowDownload: false }), /is not cached/);
    const downloaded = await encoders.load("test-ladder/pinned");
    assert.equal(downloaded.origin, "downloaded");
    assert.deepEqual(downloaded.unpinnedSha256, {});
    assert.ok(requests.includes("/official/config.json") && requests.includes("/mirror/config.json"), "official 404, then the mirror");
    const requestCount = requests.length;
    const cached = await encoders.load("test-ladder/pinned");
    assert.equal(cached.origin, "cache");
    assert.equal(requests.length, requestCount, "no request when cached");
    assert.deepEqual(fs.readdirSync(path.join(cache, "encoders", "test-ladder", "pinned")).sort(), ["SHA256SUMS", ...FILES].sort());

    // No model.safetensors anywhere: the official pytorch_model.bin is fetched and read instead.
    const noSafetensors = entry("test-ladder/torch-only", false);
    noSafetensors.files[2] = { name: "model.safetensors", urls: [`${base}/official/model.safetensors`], fallback: { name: "pytorch_model.bin", urls: [`${base}/official/pytorch_model.bin`] } };
    encoders.register(noSafetensors);
    const torchOnly = await encoders.load("test-ladder/torch-only", { trustOnFirstUse: true });
    assert.deepEqual(Object.keys(torchOnly.unpinnedSha256).sort(), ["config.json", "pytorch_model.bin", "vocab.txt"]);
    assert.deepEqual(torchOnly.weights.get("classifier.weight"), downloaded.weights.get("classifier.weight"));

    encoders.register(entry("test-ladder/corrupt", true, true));
    await assert.rejects(encoders.load("test-ladder/corrupt"), /sha256 mismatch/);
    assert.deepEqual(fs.readdirSync(path.join(cache, "encoders", "test-ladder")).sort(), ["pinned", "torch-only", "unpinned"], "nothing cached, no partial folder left");
  } finally {
    server.close();
    if (previousCache === undefined) delete process.env.RERANK_CACHE;
    else process.env.RERANK_CACHE = previousCache;
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("crossEncoder.fromEncoder (the model area's entry point) builds the same model as encoders.toCrossEncoder", async () => {
  const { crossEncoder } = await import("../../src/model/cross-encoder");
  const encoder = await encoders.load(FIXTURE);
  const a = crossEncoder.fromEncoder(encoder, { exactMatch: true });
  const b = encoders.toCrossEncoder(encoder, { exactMatch: true });
  try {
    assert.deepEqual(a.getWeights(), b.getWeights());
    assert.equal(a.config.layerNorm, "post");
  } finally {
    a.dispose();
    b.dispose();
  }
});
