import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, stagedDatasetsDir } from "../paths";
import { manifestReads, type DatasetManifest } from "./dataset-manifest";
import { downloadFile } from "./download-file";
import { untarToFolder } from "./tar-archive";
import { unzipToFolder } from "./zip-archive";

/** Where a dataset's files were found. */
export interface DatasetLocation {
  root: string;
  origin: "staged" | "cache" | "downloaded";
}

/** Cache folder of one dataset: `<cacheDir()>/datasets/<name>`. */
export function datasetCacheDir(name: string): string {
  return path.join(cacheDir(), "datasets", name);
}

function hasAll(root: string, relativePaths: string[]): boolean {
  return relativePaths.every((relative) => fs.existsSync(path.join(root, relative)));
}

/**
 * Finds a dataset's files, downloading them on first use:
 * 1. the staged copy (`stagedDatasetsDir()`, env `RERANK_DATASETS`) when it holds every file the loader reads;
 * 2. else the cache folder `<cacheDir()>/datasets/<name>` when it exists (it only ever exists complete);
 * 3. else each file is downloaded (https only) into a fresh temporary folder beside the cache folder, its
 *    sha256 checked before anything is unpacked, archives unpacked (entries escaping the folder refused), the
 *    loader's files checked, and only then the folder renamed into place. Any failure removes the temporary
 *    folder, so a broken download never leaves a cache behind.
 *
 * @example (await locateDataset(manifest)).origin // "staged" here, "downloaded" on a fresh machine
 */
export async function locateDataset(manifest: DatasetManifest, options: { allowDownload?: boolean } = {}): Promise<DatasetLocation> {
  const reads = manifestReads(manifest);
  const staged = stagedDatasetsDir();
  if (staged && hasAll(staged, reads)) return { root: staged, origin: "staged" };
  const cached = datasetCacheDir(manifest.name);
  if (fs.existsSync(cached) && hasAll(cached, reads)) return { root: cached, origin: "cache" };
  if (options.allowDownload === false) {
    throw new Error(`${manifest.name}: not staged (RERANK_DATASETS=${staged ?? "unset"}) and not cached in ${cached}; run \`rerank-scaling datasets fetch ${manifest.name}\`.`);
  }
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const temporary = fs.mkdtempSync(path.join(path.dirname(cached), `.${manifest.name}.partial-`));
  try {
    for (const file of manifest.files) {
      const target = path.join(temporary, file.path);
      await downloadFile(file.url, target, file.sha256);
      if (file.unpack) {
        const archive = fs.readFileSync(target);
        const into = path.join(temporary, file.unpack.into);
        if (file.unpack.format === "zip") unzipToFolder(archive, into, file.url);
        else untarToFolder(archive, into, file.url);
      }
    }
    const missing = reads.filter((relative) => !fs.existsSync(path.join(temporary, relative)));
    if (missing.length > 0) throw new Error(`${manifest.name}: after download and unpacking, these files are missing: ${missing.join(", ")}. The manifest's "reads" or "unpack" do not match the archive.`);
    fs.rmSync(cached, { recursive: true, force: true });
    fs.renameSync(temporary, cached);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  return { root: cached, origin: "downloaded" };
}
