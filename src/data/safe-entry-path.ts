import * as path from "node:path";

/**
 * The absolute path inside `folder` where an archive entry named `entryName` may be written, or a thrown
 * error when the name would land outside it ("zip slip"): absolute names, drive letters, `..` segments.
 * Backslashes count as separators, as Windows archivers write them.
 *
 * Reference: Snyk, "Zip Slip vulnerability" (2018).
 * @example safeEntryPath("/cache/x", "corpus.jsonl") // "/cache/x/corpus.jsonl"
 */
export function safeEntryPath(folder: string, entryName: string, archiveName = "archive"): string {
  const normalised = entryName.replace(/\\/g, "/");
  const segments = normalised.split("/");
  if (normalised.startsWith("/") || /^[A-Za-z]:/.test(normalised) || segments.includes("..") || normalised.includes("\0")) {
    throw new Error(`${archiveName}: refusing entry "${entryName}", which would be written outside ${folder}. The archive is unsafe; do not unpack it.`);
  }
  const root = path.resolve(folder);
  const target = path.resolve(root, ...segments.filter((segment) => segment !== "" && segment !== "."));
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new Error(`${archiveName}: refusing entry "${entryName}", which resolves outside ${folder}.`);
  }
  return target;
}
