import * as fs from "node:fs";
import * as path from "node:path";
import { downloadFile } from "../data/download-file";
import { cacheDir } from "../paths";
import { readBertCheckpoint, type BertCheckpoint, type FromBertOptions } from "./bert-checkpoint";
import { countParameters } from "./count-parameters";
import { crossEncoder, type CrossEncoder } from "./cross-encoder";
import type { CrossEncoderConfig } from "./cross-encoder-config";

/**
 * Registry of pretrained encoder ladders for scaling studies, loaded as BERT checkpoint folders
 * (config.json + model.safetensors + vocab.txt). Built in: Google's 24 BERT miniatures, uncased WordPiece,
 * L ∈ {2, 4, 6, 8, 10, 12} layers × H ∈ {128, 256, 512, 768} hidden, H/64 heads, 4H feed-forward, Apache-2.0.
 *
 * ```ts
 * const encoder = await encoders.load("bert-miniatures/L4-H256");  // or a local folder
 * const model = crossEncoder.fromEncoder(encoder, { exactMatch: true, maxLen: 256 });  // = encoders.toCrossEncoder
 * ```
 *
 * Downloads go to `<cacheDir()>/encoders/<name>/` through a temporary folder renamed into place only when every
 * file is there and the checkpoint reads back, so the cache never holds a half-download. Files whose sha256 the
 * registry pins are checked; files without a pinned digest are refused unless `trustOnFirstUse: true`, in which case
 * the digests are recorded in `SHA256SUMS` in the cache folder and returned so they can be pinned.
 *
 * Reference: Turc, Chang, Lee, Toutanova, "Well-Read Students Learn Better: On the Importance of Pre-training
 * Compact Models", arXiv:1908.08962 (2019); https://github.com/google-research/bert (the 24 miniatures).
 */

/** One file of a registered checkpoint. */
export interface EncoderFile {
  /** Name inside the checkpoint folder: config.json, vocab.txt, model.safetensors, tokenizer_config.json. */
  name: string;
  /** https URLs tried in order (official source first, then mirrors). */
  urls: string[];
  /** Pinned hex sha256, when known. */
  sha256?: string;
  /** Another file to fetch instead when every URL fails (model.safetensors → pytorch_model.bin). */
  fallback?: EncoderFile;
}

/** A registered pretrained encoder; its shape fields mean what they mean in CrossEncoderConfig. */
export interface EncoderEntry extends Pick<CrossEncoderConfig, "layers" | "hidden" | "heads" | "ffn" | "vocabSize" | "maxLen"> {
  /** Registry name, "<family>/<size>", e.g. "bert-miniatures/L4-H256". */
  name: string;
  family: string;
  /** Non-embedding parameters of the cross-encoder built from it (encoder, pooler, one-logit head). */
  nonEmbeddingParams: number;
  /** Word, position and segment embeddings. */
  embeddingParams: number;
  licence: string;
  citation: string;
  homepage: string;
  /** Notes a user should know (e.g. the published nickname, or that a mirror is third-party). */
  note?: string;
  files: EncoderFile[];
}

/** A loaded encoder: the checkpoint plus where it came from. */
export interface PretrainedEncoder extends BertCheckpoint {
  /** Registry name, or the folder for local checkpoints. */
  name: string;
  origin: "local" | "cache" | "downloaded";
  /** Registry entry, when loaded by name. */
  entry?: EncoderEntry;
  /** sha256 of each file downloaded without a pinned digest (trust on first use); pin these in the registry. */
  unpinnedSha256: Record<string, string>;
}

const HF = "https://huggingface.co";
const MINIATURE_LAYERS = [2, 4, 6, 8, 10, 12] as const;
const MINIATURE_HIDDEN = [128, 256, 512, 768] as const;
/** Published nicknames (Turc et al. 2019, google-research/bert README). */
const MINIATURE_NICKNAMES: Record<string, string> = { "L2-H128": "BERT-Tiny", "L4-H256": "BERT-Mini", "L4-H512": "BERT-Small", "L8-H512": "BERT-Medium", "L12-H768": "BERT-Base (re-trained)" };
/** Third-party safetensors conversions (gaunernst on the Hugging Face Hub), tried after the official repository. */
const MIRROR_NAMES: Record<string, string> = { "L2-H128": "bert-tiny-uncased", "L4-H256": "bert-mini-uncased", "L4-H512": "bert-small-uncased", "L8-H512": "bert-medium-uncased" };
const BERT_UNCASED_VOCAB_SIZE = 30522;
const BERT_MAX_POSITIONS = 512;

function miniatureConfig(layers: number, hidden: number): CrossEncoderConfig {
  return {
    layers, hidden, heads: hidden / 64, ffn: 4 * hidden, vocabSize: BERT_UNCASED_VOCAB_SIZE, maxLen: BERT_MAX_POSITIONS, typeVocabSize: 2,
    layerNorm: "post", exactMatch: false, pooler: true, activation: "gelu", layerNormEpsilon: 1e-12, initStd: 0.02, seed: 0,
  };
}

function miniatureEntry(layers: number, hidden: number): EncoderEntry {
  const size = `L${layers}-H${hidden}`;
  const heads = hidden / 64;
  const official = `${HF}/google/bert_uncased_L-${layers}_H-${hidden}_A-${heads}/resolve/main`;
  const mirror = `${HF}/gaunernst/${MIRROR_NAMES[size] ?? `bert-${size}-uncased`}/resolve/main`;
  const counts = countParameters(miniatureConfig(layers, hidden));
  const nickname = MINIATURE_NICKNAMES[size];
  return {
    name: `bert-miniatures/${size}`,
    family: "bert-miniatures",
    layers, hidden, heads, ffn: 4 * hidden, vocabSize: BERT_UNCASED_VOCAB_SIZE, maxLen: BERT_MAX_POSITIONS,
    nonEmbeddingParams: counts.nonEmbeddingParams,
    embeddingParams: counts.embeddingParams,
    licence: "Apache-2.0",
    citation: "Turc, Chang, Lee, Toutanova. Well-Read Students Learn Better: On the Importance of Pre-training Compact Models. arXiv:1908.08962, 2019.",
    homepage: "https://github.com/google-research/bert",
    note: `${nickname ? `${nickname}. ` : ""}Official files: google/bert_uncased_L-${layers}_H-${hidden}_A-${heads}; model.safetensors is tried there, then in a third-party conversion (gaunernst), then the official pytorch_model.bin is read with a pickle-free parser.`,
    files: [
      { name: "config.json", urls: [`${official}/config.json`, `${mirror}/config.json`] },
      { name: "vocab.txt", urls: [`${official}/vocab.txt`, `${mirror}/vocab.txt`] },
      {
        name: "model.safetensors",
        urls: [`${official}/model.safetensors`, `${mirror}/model.safetensors`],
        fallback: { name: "pytorch_model.bin", urls: [`${official}/pytorch_model.bin`] },
      },
    ],
  };
}

const registry = new Map<string, EncoderEntry>();
for (const layers of MINIATURE_LAYERS) for (const hidden of MINIATURE_HIDDEN) {
  const entry = miniatureEntry(layers, hidden);
  registry.set(entry.name, entry);
}

/** Every registered encoder, smallest non-embedding parameter count first. */
export function list(): EncoderEntry[] {
  return Array.from(registry.values()).sort((a, b) => a.nonEmbeddingParams - b.nonEmbeddingParams || a.name.localeCompare(b.name));
}

/** The registry entry of `name`; the error lists the registered names. */
export function info(name: string): EncoderEntry {
  const entry = registry.get(name);
  if (!entry) {
    throw new Error(`encoders: unknown encoder "${name}". Registered: ${Array.from(registry.keys()).join(", ")}; or pass a folder with config.json, model.safetensors and vocab.txt.`);
  }
  return entry;
}

/** Adds (or replaces) a registry entry, e.g. a private mirror or a larger BERT-family ladder. */
export function register(entry: EncoderEntry): void {
  if (!/^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(entry.name)) {
    throw new Error(`encoders.register: name must look like "family/size" (letters, digits, '.', '_', '-'), got ${JSON.stringify(entry.name)}.`);
  }
  for (const required of ["config.json", "vocab.txt", "model.safetensors"]) {
    if (!entry.files.some((file) => file.name === required)) throw new Error(`encoders.register: "${entry.name}" lists no ${required}; a BERT checkpoint needs config.json, vocab.txt and model.safetensors (with pytorch_model.bin as its fallback if you like).`);
  }
  for (const file of entry.files.flatMap((item) => (item.fallback ? [item, item.fallback] : [item]))) {
    if (file.urls.length === 0) throw new Error(`encoders.register: "${entry.name}" file ${file.name} has no URL.`);
    if (file.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(file.sha256)) throw new Error(`encoders.register: "${entry.name}" file ${file.name}: sha256 must be 64 lower-case hex digits.`);
    if (file.name.includes("/") || file.name.includes("\\") || file.name.startsWith(".")) throw new Error(`encoders.register: file name ${JSON.stringify(file.name)} must be a plain file name.`);
  }
  registry.set(entry.name, entry);
}

/** Cache folder of a registered encoder: `<cacheDir()>/encoders/<family>/<size>`. */
export function encoderCacheDir(name: string): string {
  return path.join(cacheDir(), "encoders", ...name.split("/"));
}

/** Options of {@link load}. */
export interface LoadEncoderOptions {
  /** Download when not cached (default true). */
  allowDownload?: boolean;
  /** Accept files whose sha256 the registry does not pin; their digests are recorded and returned (default false). */
  trustOnFirstUse?: boolean;
}

async function downloadEntry(entry: EncoderEntry, options: LoadEncoderOptions): Promise<Record<string, string>> {
  const unpinned = entry.files.flatMap((item) => (item.fallback ? [item, item.fallback] : [item])).filter((file) => !file.sha256);
  if (unpinned.length > 0 && !options.trustOnFirstUse) {
    throw new Error(`encoders.load: "${entry.name}" has no pinned sha256 for ${unpinned.map((file) => file.name).join(", ")}. ` +
      `Pass { trustOnFirstUse: true } to download anyway (the digests are recorded in SHA256SUMS and returned as unpinnedSha256), ` +
      `or download the files yourself and pass their folder.`);
  }
  const cached = encoderCacheDir(entry.name);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const temporary = fs.mkdtempSync(path.join(path.dirname(cached), `.${path.basename(cached)}.partial-`));
  const digests: Record<string, string> = {};
  try {
    for (const wanted of entry.files) {
      const failures: string[] = [];
      for (let file: EncoderFile | undefined = wanted; file && !(file.name in digests); file = file.fallback) {
        for (const url of file.urls) {
          try {
            digests[file.name] = await downloadFile(url, path.join(temporary, file.name), file.sha256 ?? null);
            break;
          } catch (error) {
            failures.push((error as Error).message);
            if (/sha256 mismatch/.test((error as Error).message)) throw error; // a wrong file is never replaced by another source
          }
        }
      }
      if (!Object.keys(digests).some((name) => name === wanted.name || name === wanted.fallback?.name)) {
        throw new Error(`encoders.load: could not download ${wanted.name} of "${entry.name}": ${failures.join(" | ")}`);
      }
    }
    readBertCheckpoint(temporary); // refuse to cache what does not read back
    fs.writeFileSync(path.join(temporary, "SHA256SUMS"), Object.entries(digests).map(([name, digest]) => `${digest}  ${name}\n`).join(""));
    fs.rmSync(cached, { recursive: true, force: true });
    fs.renameSync(temporary, cached);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  const pinned = new Set(entry.files.flatMap((item) => (item.fallback ? [item, item.fallback] : [item])).filter((file) => file.sha256).map((file) => file.name));
  return Object.fromEntries(Object.entries(digests).filter(([name]) => !pinned.has(name)));
}

/**
 * Loads a pretrained encoder by registry name (cached, or downloaded once) or from a local checkpoint folder.
 * @example (await encoders.load("data/fixtures/tiny-bert")).config.layers // 2
 */
export async function load(nameOrFolder: string, options: LoadEncoderOptions = {}): Promise<PretrainedEncoder> {
  if (!registry.has(nameOrFolder)) {
    if (fs.existsSync(nameOrFolder) && fs.statSync(nameOrFolder).isDirectory()) {
      return { ...readBertCheckpoint(nameOrFolder), name: path.resolve(nameOrFolder), origin: "local", unpinnedSha256: {} };
    }
    info(nameOrFolder); // throws with the registered names
  }
  const entry = info(nameOrFolder);
  const cached = encoderCacheDir(entry.name);
  if (fs.existsSync(path.join(cached, "SHA256SUMS"))) {
    return { ...readBertCheckpoint(cached), name: entry.name, origin: "cache", entry, unpinnedSha256: {} };
  }
  if (options.allowDownload === false) {
    throw new Error(`encoders.load: "${entry.name}" is not cached in ${cached}; allow downloads, or pass a local folder.`);
  }
  const unpinnedSha256 = await downloadEntry(entry, options);
  return { ...readBertCheckpoint(cached), name: entry.name, origin: "downloaded", entry, unpinnedSha256 };
}

/**
 * A cross-encoder initialised from a pretrained encoder: every stored weight copied (linear weights transposed),
 * pooler and one-logit head from the checkpoint when it has them, else initialised from `seed`; the exact-match
 * embedding, when asked for, starts at zero so the loaded function is unchanged until fine-tuning.
 * @example encoders.toCrossEncoder(await encoders.load("bert-miniatures/L2-H128"), { exactMatch: true, maxLen: 256 })
 */
export function toCrossEncoder(encoder: BertCheckpoint, options: FromBertOptions = {}): CrossEncoder {
  return crossEncoder.fromEncoder(encoder, options);
}
