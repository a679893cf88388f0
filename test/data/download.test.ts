import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { locateDataset, datasetCacheDir } from "../../src/data/dataset-files";
import { readManifests, type DatasetManifest } from "../../src/data/dataset-manifest";
import * as datasets from "../../src/data/datasets";
import { checkDownloadUrl } from "../../src/data/download-file";
import { writeZip } from "../../src/data/zip-archive";

/** A BEIR-style zip (folder `mini/` with corpus.jsonl, queries.jsonl, qrels/test.tsv), built here. */
function beirZip(extra: { name: string; data: string }[] = []): Buffer {
  return writeZip([
    { name: "mini/corpus.jsonl", data: '{"_id": "d1", "title": "Wing", "text": "lift of a wing in a slipstream"}\n{"_id": "d2", "title": "", "text": "heat transfer in slabs"}\n{"_id": "d3", "text": "boundary layers"}\n' },
    { name: "mini/queries.jsonl", data: '{"_id": "q1", "text": "wing lift"}\n{"_id": "q2", "text": "heat slabs"}\n' },
    { name: "mini/qrels/test.tsv", data: "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\nq2\td3\t0\n" },
    ...extra,
  ]);
}

async function serve(files: Record<string, Buffer>): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    const body = files[request.url ?? ""];
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/zip", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function manifest(name: string, url: string, sha256: string): DatasetManifest {
  return {
    name,
    title: "mini BEIR",
    description: "test fixture",
    loader: "beir",
    loaderOptions: { folder: "mini" },
    terms: "test data",
    citation: "none",
    files: [{ path: "mini.zip", url, sha256, unpack: { format: "zip", into: "." } }],
    reads: ["mini/corpus.jsonl", "mini/queries.jsonl", "mini/qrels/test.tsv"],
  };
}

function withTemporaryCache<T>(body: (cache: string) => Promise<T>): Promise<T> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-cache-"));
  const saved = { cache: process.env.RERANK_CACHE, staged: process.env.RERANK_DATASETS };
  process.env.RERANK_CACHE = cache;
  process.env.RERANK_DATASETS = path.join(cache, "no-staged-copy");
  return body(cache).finally(() => {
    if (saved.cache === undefined) delete process.env.RERANK_CACHE;
    else process.env.RERANK_CACHE = saved.cache;
    if (saved.staged === undefined) delete process.env.RERANK_DATASETS;
    else process.env.RERANK_DATASETS = saved.staged;
    fs.rmSync(cache, { recursive: true, force: true });
  });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

test("a wrong sha256 fails with a clear error and leaves no cache, not even a partial folder", async () => {
  const zip = beirZip();
  const server = await serve({ "/mini.zip": zip });
  try {
    await withTemporaryCache(async (cache) => {
      const bad = manifest("mini-bad", `${server.url}/mini.zip`, "0".repeat(64));
      await assert.rejects(locateDataset(bad), (error: Error) => {
        assert.match(error.message, /sha256 mismatch/);
        assert.match(error.message, new RegExp(`expected 0{64}, got ${sha256(zip)}`));
        assert.match(error.message, /nothing was cached/);
        return true;
      });
      assert.equal(fs.existsSync(datasetCacheDir("mini-bad")), false);
      assert.deepEqual(fs.readdirSync(path.join(cache, "datasets")), [], "no temporary folder left behind");
    });
  } finally {
    await server.close();
  }
});

test("a good download is verified, unpacked, cached atomically, loaded, and not downloaded twice", async () => {
  const zip = beirZip();
  const server = await serve({ "/mini.zip": zip });
  try {
    await withTemporaryCache(async (cache) => {
      datasets.registerBeir("mini", sha256(zip), { url: `${server.url}/mini.zip` });
      const dataset = await datasets.load("beir-mini");
      assert.deepEqual(datasets.countsOf(dataset), { documents: 3, splits: { test: { queries: 2, judgments: 3 } } });
      assert.equal(dataset.documents.get("d1")?.title, "Wing");
      assert.equal(dataset.splits.test!.qrels.get("q2")?.get("d2"), 2);
      assert.deepEqual(fs.readdirSync(path.join(cache, "datasets")), ["beir-mini"]);
      assert.equal((await datasets.fetch("beir-mini")).origin, "cache");
      await datasets.load("beir-mini");
      assert.deepEqual(server.requests, ["/mini.zip"], "second load reads the cache");
    });
  } finally {
    await server.close();
  }
});

test("an archive entry escaping the cache folder is refused before anything is written", async () => {
  const zip = beirZip([{ name: "../../escaped.txt", data: "owned" }]);
  const server = await serve({ "/evil.zip": zip });
  try {
    await withTemporaryCache(async (cache) => {
      await assert.rejects(locateDataset(manifest("mini-evil", `${server.url}/evil.zip`, sha256(zip))), /refusing entry "\.\.\/\.\.\/escaped\.txt"/);
      assert.equal(fs.existsSync(path.join(cache, "escaped.txt")), false);
      assert.equal(fs.existsSync(path.join(cache, "..", "escaped.txt")), false);
      assert.deepEqual(fs.readdirSync(path.join(cache, "datasets")), []);
    });
  } finally {
    await server.close();
  }
});

test("a missing file on the server fails with the HTTP status and leaves no cache", async () => {
  const server = await serve({});
  try {
    await withTemporaryCache(async (cache) => {
      await assert.rejects(locateDataset(manifest("mini-404", `${server.url}/gone.zip`, "1".repeat(64))), /HTTP 404/);
      assert.deepEqual(fs.readdirSync(path.join(cache, "datasets")), []);
    });
  } finally {
    await server.close();
  }
});

test("only https is downloaded (plain http only to loopback)", () => {
  assert.throws(() => checkDownloadUrl("http://example.org/x.zip"), /only https downloads are allowed/);
  assert.throws(() => checkDownloadUrl("ftp://example.org/x.zip"), /refusing ftp/);
  assert.equal(checkDownloadUrl("https://example.org/x.zip").hostname, "example.org");
  assert.equal(checkDownloadUrl("http://127.0.0.1:8080/x.zip").port, "8080");
});

test("every built-in manifest downloads over https with a sha256 and names its terms and citation", () => {
  for (const entry of readManifests()) {
    for (const file of entry.files) {
      assert.match(file.url, /^https:\/\//, `${entry.name}: ${file.path}`);
      assert.match(file.sha256, /^[0-9a-f]{64}$/);
    }
    assert.ok(entry.terms.length > 10 && entry.citation.length > 10, entry.name);
  }
});
