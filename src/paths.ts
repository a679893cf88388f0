import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The project root (the folder holding package.json); notebooks and the kernel run from here. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * Folder of locally staged datasets (one sub-folder per collection, as in `../shared/datasets`).
 * Set `RERANK_DATASETS` to point elsewhere; by default the sibling `../shared/datasets` is used when it exists.
 * Returns undefined when there is no staged copy (the registry then downloads into the cache).
 */
export function stagedDatasetsDir(): string | undefined {
  const fromEnv = process.env.RERANK_DATASETS;
  if (fromEnv) return path.resolve(fromEnv);
  const sibling = path.resolve(PROJECT_ROOT, "..", "shared", "datasets");
  return fs.existsSync(sibling) ? sibling : undefined;
}

/** Where downloads, indexes and other rebuildable artifacts are cached (`RERANK_CACHE`, else ~/.cache/rerank-scaling). */
export function cacheDir(): string {
  return path.resolve(process.env.RERANK_CACHE ?? path.join(os.homedir(), ".cache", "rerank-scaling"));
}
