import type { StudyConfig, StudyScale } from "./study-config";

/**
 * The default scaling study at a named scale, as one readable block of values (nanoGPT-style: defaults here,
 * overrides from a config file, the result saved with every run).
 *
 * - Training: SciFact train claims (809; ../shared/DESIGN.md §4 found clean, unsaturated trends there), BM25 hard
 *   negatives; 100 claims held out as the dev split on which every checkpoint is measured.
 * - In-domain test: SciFact test (300 claims, BEIR); out-of-domain test: NFCorpus test (323 queries).
 * - `smoke`: four tiny custom presets (0.9k–57k non-embedding parameters), 32-token sequences, a 512-pair budget,
 *   the first 40 queries of each test set and 20 candidates: the whole grid runs in a few minutes on 2 cores.
 * - `default`: 13k, 57k (custom) and the two smallest ladder presets 0.1M and 0.4M (1.5 orders of magnitude of
 *   non-embedding parameters), 64 tokens, budgets of 2k and 8k pairs, the first 150 judged queries of each test
 *   set, 30 candidates: sized for the wasm backend on 2 cores (measured here under load: 0.4M trains at about
 *   11 pairs/s and 1.8M at about 2 per process, so 1.8M and up need a GPU backend); larger grids are one config
 *   file away.
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
        { name: "scifact-test", dataset: "scifact", split: "test", role: "in-domain", maxQueries: smoke ? 40 : 150 },
        { name: "nfcorpus-test", dataset: "nfcorpus", split: "test", role: "out-of-domain", maxQueries: smoke ? 40 : 150 },
      ],
      firstStage: "bm25",
      candidateDepth: smoke ? 20 : 30,
    },
    // Below the model ladder (non-embedding parameters 897 / 3,329 / 12,801 / 56,689), so that small grids train in
    // seconds to minutes on the wasm backend.
    presets: smoke ? ["smoke-1k", "smoke-3k", "smoke-13k", "smoke-57k"] : ["13k", "57k", "0.1M", "0.4M"],
    customPresets: smoke
      ? {
          "smoke-1k": { layers: 1, hidden: 8, heads: 1 },
          "smoke-3k": { layers: 1, hidden: 16, heads: 1 },
          "smoke-13k": { layers: 1, hidden: 32, heads: 2 },
          "smoke-57k": { layers: 2, hidden: 48, heads: 2 },
        }
      : { "13k": { layers: 1, hidden: 32, heads: 2 }, "57k": { layers: 2, hidden: 48, heads: 2 } },
    objectives: ["pointwise", "pairwise", "listwise"],
    dataBudgetsPairs: smoke ? [512] : [2_048, 8_192],
    seeds: [1],
    // Linear: evenly spaced dev checkpoints; "log" (measured exactly at its points) suits data-scaling curves.
    checkpoints: { count: 4, spacing: "linear" },
    metrics: ["ndcg@10", "map", "mrr@10", "recall@10", "ce@16"],
    training: {
      batchPairs: smoke ? 16 : 32,
      learningRate: 1e-3,
      warmupFraction: 0.1,
      maxSeqLen: smoke ? 32 : 64,
      listwiseGroupSize: 8,
      exactMatch: true,
      vocabSize: smoke ? 2_000 : 8_000,
      checkpointSelection: "best-dev",
    },
    order: "largest-first",
  };
}
