import * as fs from "node:fs";
import * as path from "node:path";
import { stagedDatasetsDir } from "../paths";
import { datasetCacheDir } from "../data/dataset-files";
import * as datasets from "../data/datasets";
import { manifestReads, type DatasetManifest } from "../data/dataset-manifest";

const USAGE = `usage: rerank-scaling datasets <list|info NAME|fetch NAME|counts NAME>

  list         every registered dataset: documents, queries/judgments per split, size on disk, terms
  info NAME    the manifest (sources with sha256, terms, citation) and where the files are
  fetch NAME   make sure the files are present: staged copy (RERANK_DATASETS), cache, or download now
  counts NAME  load the dataset and print its counts as JSON`;

/** Size on disk of the dataset's folders where they are (staged or cached), else the manifest's download size. */
function megabytes(manifest: DatasetManifest): string {
  const reads = manifestReads(manifest);
  const staged = stagedDatasetsDir();
  const root = staged && reads.every((file) => fs.existsSync(path.join(staged, file))) ? staged : fs.existsSync(datasetCacheDir(manifest.name)) ? datasetCacheDir(manifest.name) : undefined;
  let bytes = 0;
  if (root) {
    for (const folder of new Set(reads.map((file) => file.split("/")[0]!))) {
      for (const entry of fs.readdirSync(path.join(root, folder), { recursive: true }) as string[]) {
        const stat = fs.statSync(path.join(root, folder, entry));
        if (stat.isFile()) bytes += stat.size;
      }
    }
  } else bytes = manifest.files.reduce((total, file) => total + (file.bytes ?? 0), 0);
  return bytes > 0 ? `${(bytes / 1e6).toFixed(1)} MB` : "?";
}

function whereIs(manifest: DatasetManifest): string {
  const reads = manifestReads(manifest);
  const staged = stagedDatasetsDir();
  if (staged && reads.every((file) => fs.existsSync(path.join(staged, file)))) return "staged";
  if (fs.existsSync(datasetCacheDir(manifest.name))) return "cached";
  return "not downloaded";
}

function splitSummary(manifest: DatasetManifest): string {
  return Object.entries(manifest.counts?.splits ?? {})
    .map(([name, counts]) => `${name} ${counts.queries} q / ${counts.judgments} j`)
    .join("; ");
}

/** `rerank-scaling datasets …`: list, describe and fetch the registered datasets. */
export async function run(args: string[]): Promise<number> {
  const [command, name] = args;
  if (!command || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === "list") {
    const rows = datasets.list().map((manifest) => [
      manifest.name,
      String(manifest.counts?.documents ?? "?"),
      splitSummary(manifest),
      megabytes(manifest),
      whereIs(manifest),
      manifest.terms,
    ]);
    const header = ["name", "docs", "splits (queries / judgments)", "size", "where", "terms"];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "));
    return 0;
  }
  if (!name) {
    console.error(`rerank-scaling datasets ${command}: name a dataset. Registered: ${datasets.list().map((m) => m.name).join(", ")}.`);
    return 2;
  }
  if (command === "info") {
    const manifest = datasets.info(name);
    console.log(JSON.stringify({ ...manifest, location: whereIs(manifest) }, null, 2));
    return 0;
  }
  if (command === "fetch") {
    const location = await datasets.fetch(name);
    console.log(`${name}: ${location.origin} at ${location.root}`);
    return 0;
  }
  if (command === "counts") {
    console.log(JSON.stringify(datasets.countsOf(await datasets.load(name))));
    return 0;
  }
  console.error(`rerank-scaling datasets: unknown sub-command "${command}".\n${USAGE}`);
  return 2;
}
