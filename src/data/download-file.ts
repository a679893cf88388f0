import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Host names for which plain http is allowed (tests serve archives on loopback); everything else must be https. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Throws unless `url` is https, or http to a loopback address (only a local test server can be reached that way). */
export function checkDownloadUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`download: "${url}" is not a URL.`);
  }
  if (parsed.protocol === "https:") return parsed;
  if (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname)) return parsed;
  throw new Error(`download: refusing ${parsed.protocol}// URL ${url}; only https downloads are allowed (plain http only to 127.0.0.1 for tests).`);
}

/**
 * Downloads `url` into `targetFile` while computing its sha256, and throws (deleting the partial file) when the
 * digest differs from `expectedSha256`. Redirects are followed only to https. Nothing is unpacked here;
 * callers unpack only after this resolves. Resolves to the file's sha256. `expectedSha256: null` skips the check
 * (trust on first use, for sources without a published digest; the caller must record and show the digest).
 *
 * @example await downloadFile("https://…/scifact.zip", "/tmp/x/scifact.zip", "a798a7…")
 */
export async function downloadFile(url: string, targetFile: string, expectedSha256: string | null): Promise<string> {
  checkDownloadUrl(url);
  const response = await fetch(url, { redirect: "follow" });
  checkDownloadUrl(response.url || url);
  if (!response.ok || !response.body) {
    throw new Error(`download: ${url} answered HTTP ${response.status} ${response.statusText}. Check the URL or your connection, then retry.`);
  }
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  const hash = createHash("sha256");
  const out = fs.createWriteStream(targetFile);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  const actual = hash.digest("hex");
  if (expectedSha256 !== null && actual !== expectedSha256.toLowerCase()) {
    fs.rmSync(targetFile, { force: true });
    throw new Error(
      `download: sha256 mismatch for ${url}: expected ${expectedSha256}, got ${actual}. The file was deleted and nothing was cached; ` +
        `the source changed or the transfer was corrupted. Retry, or update the manifest's sha256 only if you trust the new file.`,
    );
  }
  return actual;
}

/** sha256 of a file on disk, hex. */
export function sha256OfFile(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}
