import * as datasets from "../data/datasets";
import * as bm25 from "../data/bm25";
import { ANSERINI_BM25_B, ANSERINI_BM25_K1 } from "../data/bm25-index";
import { writeRun, formatRun } from "../data/trec-run";
import { evaluate } from "../metrics/evaluate";

const USAGE = `usage: rerank-scaling bm25 --dataset NAME [--split test] [--k 100] [--k1 ${ANSERINI_BM25_K1}] [--b ${ANSERINI_BM25_B}] [--out run.trec] [--eval]

BM25 first-stage retrieval (Lucene/Anserini scoring and English analyzer) over a registered dataset's documents,
written as a TREC run (to --out, or stdout). --eval prints nDCG@10, MAP, MRR@10 and Recall@k on the split's qrels.`;

/** `rerank-scaling bm25 …`: BM25 top-k for every query of a split, as a TREC run. */
export async function run(args: string[]): Promise<number> {
  const options: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (arg === "--eval") flags.add("eval");
    else if (["--dataset", "--split", "--k", "--k1", "--b", "--out"].includes(arg) && args[i + 1] !== undefined) options[arg.slice(2)] = args[++i]!;
    else {
      console.error(`rerank-scaling bm25: unknown or incomplete argument "${arg}".\n${USAGE}`);
      return 2;
    }
  }
  if (!options.dataset) {
    console.error(`rerank-scaling bm25: --dataset is required. Registered: ${datasets.list().map((m) => m.name).join(", ")}.`);
    return 2;
  }
  const number = (key: string, fallback: number) => {
    const value = options[key] === undefined ? fallback : Number(options[key]);
    if (!Number.isFinite(value)) throw new Error(`rerank-scaling bm25: --${key} needs a number, got ${JSON.stringify(options[key])}.`);
    return value;
  };
  const k = number("k", 100);
  const dataset = await datasets.load(options.dataset);
  const split = options.split ?? "test";
  const ranking = bm25.retrieve(dataset, split, { k, k1: number("k1", ANSERINI_BM25_K1), b: number("b", ANSERINI_BM25_B) });
  if (options.out) writeRun(options.out, ranking, { runTag: "bm25" });
  else if (!flags.has("eval")) process.stdout.write(formatRun(ranking, { runTag: "bm25" }));
  if (flags.has("eval")) {
    const splitData = dataset.splits[split]!;
    const result = evaluate(splitData.qrels, ranking, ["ndcg_cut.10", "map", "mrr_cut.10", `recall.${k}`], { relevanceThreshold: splitData.relevanceThreshold });
    for (const measure of result.measures) console.log(`${measure}\t${result.mean[measure]!.toFixed(4)}`);
  }
  return 0;
}
