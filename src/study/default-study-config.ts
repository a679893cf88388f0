import type { StudyConfig, StudyScale } from "./study-config";

/**
 * The default scaling study at a named scale, as one readable block of values (nanoGPT-style: defaults here,
 * overrides from a config file, the result saved with every run).
 *
 * - Training: SciFact train claims (809; ../shared/DESIGN.md §4 found clean, unsaturated trends there), BM25 hard
 *   negatives; 100 claims held out as the dev split on which every checkpoint is measured.
 * - In-domain test: SciFact test (300 claims, BEIR); out-of-domain test: NFCorpus test (323 queries).
 * - `smoke`: tiny presets, short sequences, small budgets and the first queries of each test set, so that the
 *   whole grid runs in a few minutes on 2 cores. `default`: the study the README's main command runs.
 *
 * @example defaultStudyConfig("smoke").presets // the smallest model presets
 */
export function defaultStudyConfig(scale: StudyScale = "default"): StudyConfig {
  const smoke = scale === "smoke";
  return {
    name: smoke ? "smoke" : "default",
    scale,
    datasets: {
      train: { dataset: "scifact", split: "train", devQueries: smoke ? 24 : 100 },
      evaluation: [
        { name: "scifact-test", dataset: "scifact", split: "test", role: "in-domain", ...(smoke ? { maxQueries: 40 } : {}) },
        { name: "nfcorpus-test", dataset: "nfcorpus", split: "test", role: "out-of-domain", ...(smoke ? { maxQueries: 40 } : {}) },
      ],
      firstStage: "bm25",
      candidateDepth: smoke ? 20 : 100,
    },
    presets: smoke ? ["0.1M", "0.4M", "1.8M"] : ["0.1M", "0.4M", "1.8M", "6M"],
    objectives: ["pointwise", "pairwise", "listwise"],
    dataBudgetsPairs: smoke ? [1_024] : [4_096, 16_384, 65_536],
    seeds: [1],
    checkpoints: { count: smoke ? 4 : 6, spacing: "log" },
    metrics: ["ndcg@10", "map", "mrr@10", "recall@10", "ce@16"],
    training: {
      batchPairs: smoke ? 16 : 32,
      learningRate: 1e-3,
      warmupFraction: 0.1,
      maxSeqLen: smoke ? 48 : 128,
      listwiseGroupSize: 8,
      exactMatch: true,
      vocabSize: smoke ? 2_000 : 8_000,
    },
    order: "largest-first",
  };
}
