import * as path from "node:path";
import { getSplit, judgmentCount, type Dataset } from "./dataset";
import { locateDataset, type DatasetLocation } from "./dataset-files";
import { readManifests, validateManifest, type DatasetManifest } from "./dataset-manifest";
import { loadBeirFolder } from "./loaders/beir";
import { loadAdi, loadCacm, loadCisi, loadCranfield, loadLisa, loadMedline, loadNpl, loadTime } from "./loaders/classic-collections";
import { loadNfcorpus } from "./loaders/nfcorpus";
import { loadNoveleval } from "./loaders/noveleval";
import { loadScifact } from "./loaders/scifact";
import { loadTrecDl } from "./loaders/trec-dl";
import { loadWikiqa } from "./loaders/wikiqa";

/** Loaders by name, as a manifest's `loader` field names them. Each reads files under a dataset root. */
export const DATASET_LOADERS: Record<string, (root: string, manifest: DatasetManifest) => Promise<Dataset>> = {
  beir: (root, manifest) => loadBeirFolder(manifest.name, path.join(root, manifest.loaderOptions?.folder ?? manifest.name)),
  "trec-dl-2019": (root) => loadTrecDl(root, 2019),
  "trec-dl-2020": (root) => loadTrecDl(root, 2020),
  scifact: loadScifact,
  nfcorpus: loadNfcorpus,
  wikiqa: loadWikiqa,
  noveleval: loadNoveleval,
  cranfield: loadCranfield,
  cisi: loadCisi,
  medline: loadMedline,
  adi: loadAdi,
  cacm: loadCacm,
  lisa: loadLisa,
  time: loadTime,
  "vaswani-npl": loadNpl,
};

const extraManifests = new Map<string, DatasetManifest>();

/** Every registered dataset: the built-in manifests in `data/datasets/` plus any added with `register`. */
export function list(): DatasetManifest[] {
  const byName = new Map(readManifests().map((manifest) => [manifest.name, manifest]));
  for (const [name, manifest] of extraManifests) byName.set(name, manifest);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The manifest of a registered dataset; an unknown name throws with the list of registered names. */
export function info(name: string): DatasetManifest {
  const manifest = list().find((candidate) => candidate.name === name);
  if (!manifest) throw new Error(`datasets: unknown dataset "${name}". Registered: ${list().map((entry) => entry.name).join(", ")}. Add one with datasets.register(manifest).`);
  return manifest;
}

/**
 * Adds (or replaces, for this process) a dataset manifest, e.g. a BEIR zip of your own:
 * `register({ name: "my-beir", loader: "beir", loaderOptions: { folder: "my-beir" }, files: [{ path: "my-beir.zip", url, sha256, unpack: { format: "zip", into: "." } }], … })`.
 */
export function register(manifest: DatasetManifest): void {
  const checked = validateManifest(manifest, `datasets.register(${JSON.stringify((manifest as { name?: unknown })?.name)})`);
  if (!DATASET_LOADERS[checked.loader]) throw new Error(`datasets.register: unknown loader "${checked.loader}". Loaders: ${Object.keys(DATASET_LOADERS).join(", ")}.`);
  extraManifests.set(checked.name, checked);
}

/** Where the BEIR authors publish their zipped datasets (Thakur et al. 2021, beir-cellar/beir README). */
export const BEIR_DOWNLOAD_URL = "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets";

/**
 * Registers one of the BEIR zips (`<BEIR_DOWNLOAD_URL>/<name>.zip`, unpacking to `<name>/corpus.jsonl`, …) under
 * `beir-<name>`. The sha256 is required: compute it once from a copy you trust (BEIR publishes md5 sums only).
 * @example datasets.registerBeir("fiqa", "<sha256 of fiqa.zip>"); await datasets.load("beir-fiqa")
 */
export function registerBeir(name: string, sha256: string, options: { url?: string; terms?: string; citation?: string } = {}): DatasetManifest {
  const manifest: DatasetManifest = {
    name: `beir-${name}`,
    title: `BEIR ${name}`,
    description: `BEIR ${name} (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), zipped by the BEIR authors.`,
    loader: "beir",
    loaderOptions: { folder: name },
    terms: options.terms ?? "See the BEIR dataset table for this dataset's licence (beir-cellar/beir README); research use.",
    citation: options.citation ?? "Thakur, Reimers, Rücklé, Srivastava, Gurevych. BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of Information Retrieval Models. NeurIPS 2021 Datasets and Benchmarks.",
    homepage: "https://github.com/beir-cellar/beir",
    files: [{ path: `${name}.zip`, url: options.url ?? `${BEIR_DOWNLOAD_URL}/${name}.zip`, sha256, unpack: { format: "zip", into: "." } }],
    reads: [`${name}/corpus.jsonl`, `${name}/queries.jsonl`, `${name}/qrels`],
  };
  register(manifest);
  return manifest;
}

/** Makes sure a dataset's files are present (staged, cached, or downloaded now) and says where they are. */
export function fetch(name: string): Promise<DatasetLocation> {
  return locateDataset(info(name));
}

/**
 * Loads a registered dataset into the canonical in-memory form (documents, queries, graded qrels, splits,
 * candidate lists). Reads the staged copy when `RERANK_DATASETS` (or ../shared/datasets) has it; otherwise
 * downloads into the cache on first use.
 *
 * @example const ds = await datasets.load("scifact"); ds.splits.test.queryIds.length // 300
 */
export async function load(name: string, options: { allowDownload?: boolean } = {}): Promise<Dataset> {
  const manifest = info(name);
  const loader = DATASET_LOADERS[manifest.loader];
  if (!loader) throw new Error(`datasets: ${name} names loader "${manifest.loader}", which does not exist. Loaders: ${Object.keys(DATASET_LOADERS).join(", ")}.`);
  const location = await locateDataset(manifest, options);
  return loader(location.root, manifest);
}

/** Counts of a loaded dataset in the manifest's `counts` shape (documents; queries and judgments per split). */
export function countsOf(dataset: Dataset): { documents: number; splits: Record<string, { queries: number; judgments: number }> } {
  const splits: Record<string, { queries: number; judgments: number }> = {};
  for (const name of Object.keys(dataset.splits)) {
    const split = getSplit(dataset, name);
    splits[name] = { queries: split.queryIds.length, judgments: judgmentCount(split.qrels) };
  }
  return { documents: dataset.documents.size, splits };
}
