import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../paths";

/** One source file of a dataset: where it lives under the dataset root, where to download it, its checksum. */
export interface ManifestFile {
  /** Path under the dataset root (the staged datasets folder, or the cache folder), e.g. "scifact/scifact-hf-csv.zip". */
  path: string;
  /** https URL (plain http only to 127.0.0.1, for tests). */
  url: string;
  /** Hex sha256 of the file as downloaded; checked before anything is unpacked or read. */
  sha256: string;
  bytes?: number;
  /** Unpack this archive into `into` (a folder under the dataset root) after the checksum passes. */
  unpack?: { format: "zip" | "tar.gz"; into: string };
}

/** Expected sizes, shown by `datasets list` and asserted by the tests. */
export interface ManifestCounts {
  documents: number;
  splits: Record<string, { queries: number; judgments: number }>;
}

/**
 * A registry entry: a named dataset with its sources, checksums, terms and citation, and the loader that
 * turns its files into a `Dataset`. Built-in entries are `data/datasets/<name>.json`.
 */
export interface DatasetManifest {
  name: string;
  title: string;
  description: string;
  /** A loader name from `DATASET_LOADERS` ("scifact", "beir", "cranfield", …). */
  loader: string;
  /** For the "beir" loader: the folder under the dataset root that holds corpus.jsonl, queries.jsonl, qrels/. */
  loaderOptions?: { folder?: string };
  counts?: ManifestCounts;
  /** Licence or terms of use, in words. */
  terms: string;
  citation: string;
  homepage?: string;
  files: ManifestFile[];
  /** Files the loader reads, under the dataset root; defaults to the `path` of every file that is not unpacked. */
  reads?: string[];
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a parsed manifest's fields and types; throws naming the source and the field at fault.
 * @example validateManifest(JSON.parse(text), "data/datasets/scifact.json")
 */
export function validateManifest(value: unknown, source: string): DatasetManifest {
  const fail = (field: string, want: string): never => {
    throw new Error(`${source}: manifest field "${field}" must be ${want}.`);
  };
  if (typeof value !== "object" || value === null) fail("(root)", "an object");
  const manifest = value as Record<string, unknown>;
  for (const field of ["name", "title", "description", "loader", "terms", "citation"]) {
    if (typeof manifest[field] !== "string" || manifest[field] === "") fail(field, "a non-empty string");
  }
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(manifest.name as string)) fail("name", "lower-case letters, digits, '.', '_' or '-'");
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) fail("files", "a non-empty array");
  (manifest.files as unknown[]).forEach((file, index) => {
    const entry = file as Record<string, unknown>;
    if (typeof entry?.path !== "string" || entry.path === "" || entry.path.split(/[\\/]/).includes("..") || path.isAbsolute(entry.path)) fail(`files[${index}].path`, "a relative path without '..'");
    if (typeof entry.url !== "string") fail(`files[${index}].url`, "a URL string");
    if (typeof entry.sha256 !== "string" || !HEX_SHA256.test(entry.sha256)) fail(`files[${index}].sha256`, "64 lower-case hex digits");
    const unpack = entry.unpack as Record<string, unknown> | undefined;
    if (unpack !== undefined && (!["zip", "tar.gz"].includes(unpack.format as string) || typeof unpack.into !== "string")) fail(`files[${index}].unpack`, '{ format: "zip" | "tar.gz", into: folder }');
  });
  if (manifest.reads !== undefined && (!Array.isArray(manifest.reads) || manifest.reads.some((item) => typeof item !== "string"))) fail("reads", "an array of paths");
  return manifest as unknown as DatasetManifest;
}

/** The files a manifest's loader reads (under the dataset root). */
export function manifestReads(manifest: DatasetManifest): string[] {
  return manifest.reads ?? manifest.files.filter((file) => !file.unpack).map((file) => file.path);
}

/** Folder of the built-in manifests. */
export const MANIFESTS_DIR = path.join(PROJECT_ROOT, "data", "datasets");

/** Reads and validates every `*.json` manifest of a folder, sorted by name. */
export function readManifests(folder = MANIFESTS_DIR): DatasetManifest[] {
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (error) {
        throw new Error(`${file}: not valid JSON (${(error as Error).message}).`);
      }
      return validateManifest(parsed, file);
    });
}
