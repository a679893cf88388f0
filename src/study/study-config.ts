/**
 * The typed shape of a scaling study: which data, which model sizes, objectives, data budgets and seeds, when to
 * checkpoint and what to measure. `defaultStudyConfig` gives the values; `validateStudyConfig` checks a file's.
 * Saved with every study and (as a run spec) with every run, so each result carries the config that made it.
 */

/** Training objectives the study grid can use (../shared/DESIGN.md §1). */
export const OBJECTIVES = ["pointwise", "pairwise", "listwise"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Named scales: `smoke` finishes in a few minutes on 2 cores (the tests use it), `default` in well under an hour. */
export const STUDY_SCALES = ["smoke", "default"] as const;
export type StudyScale = (typeof STUDY_SCALES)[number];

/** The order in which pending runs start: most estimated compute first (better packing) or least first (early results). */
export const RUN_ORDERS = ["largest-first", "shortest-first"] as const;
export type RunOrder = (typeof RUN_ORDERS)[number];

/** Role of an evaluation set: the paper's in-domain (same distribution as training) or out-of-domain test. */
export const EVALUATION_ROLES = ["in-domain", "out-of-domain"] as const;
export type EvaluationRole = (typeof EVALUATION_ROLES)[number];

/** First-stage retrievers whose candidates are reranked. */
export const FIRST_STAGES = ["bm25"] as const;
export type FirstStage = (typeof FIRST_STAGES)[number];

/** Spacing of the checkpoints within one run, in pairs seen. */
export const CHECKPOINT_SPACINGS = ["log", "linear"] as const;
export type CheckpointSpacing = (typeof CHECKPOINT_SPACINGS)[number];

/** A transformer shape: blocks, width, attention heads (hidden must divide by heads). */
export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
}

export interface EvaluationSetConfig {
  /** Key of this set in the store, the index and charts, e.g. "scifact-test". */
  name: string;
  /** Registered dataset name (`datasets.load(name)`). */
  dataset: string;
  /** Split whose queries are reranked, e.g. "test". */
  split: string;
  role: EvaluationRole;
  /** Rerank only the first `maxQueries` queries (by query id order); leave out to use all. */
  maxQueries?: number;
}

export interface TrainingSetConfig {
  /** Registered dataset name whose training split provides the examples. */
  dataset: string;
  split: string;
  /** Training queries held out as the dev split on which every checkpoint is measured (never the test queries). */
  devQueries: number;
}

export interface TrainingHyperparameters {
  /** Query-passage pairs scored per optimizer step (a listwise group of 8 counts 8). */
  batchPairs: number;
  learningRate: number;
  /** Fraction of the steps spent in linear warm-up. */
  warmupFraction: number;
  /** Tokens per `[CLS] query [SEP] passage [SEP]` sequence after truncation. */
  maxSeqLen: number;
  /** Passages per listwise group (1 positive + groupSize−1 negatives); pairwise uses 2, pointwise 1. */
  listwiseGroupSize: number;
  /** Per-token exact-match input flag (../shared/DESIGN.md §4). */
  exactMatch: boolean;
  /** Word-piece vocabulary size of the tokenizer trained on the dataset's text. */
  vocabSize: number;
  /**
   * Which weights are measured on the evaluation sets: the checkpoint with the best dev metric (early stopping on
   * held-out training queries, ../shared/DESIGN.md §4) or the final one.
   */
  checkpointSelection: CheckpointSelection;
}

/**
 * Fine-tuning from pretrained encoders instead of random weights (../shared/DESIGN.md §4: from scratch the rerankers
 * stay below BM25). `ownLadder`: one BERT per preset pretrained with masked-language modelling on the documents of
 * registered datasets (`buildOwnLadder`, no queries and no judgments), with its own WordPiece vocabulary, built once
 * by the runner before any run starts and cached. The fine-tuned models are then post-LN BERTs (GELU, pooler) of the
 * presets' shapes. Pretraining compute is recorded apart from fine-tuning compute.
 */
export interface StudyPretraining {
  ownLadder: {
    /** Registered datasets whose documents form the corpus. */
    datasets: string[];
    /** MLM optimizer steps per preset; 0 fine-tunes the same BERTs untrained (the control for what pretraining adds). */
    steps: number;
    /** Sequences per MLM step (default 32). */
    batchSize?: number;
    /** Peak MLM learning rate (default 5e-4). */
    learningRate?: number;
    /** WordPiece vocabulary of the ladder (default 8192); replaces `training.vocabSize` for the fine-tuned runs. */
    vocabSize?: number;
    /** At most this many documents per dataset (default: all). */
    maxDocumentsPerDataset?: number;
    /** Seed of the pretraining (default 0): one ladder serves every fine-tuning seed. */
    seed?: number;
  };
  /** Peak learning rate of the pretrained encoder in fine-tuning; the new scoring head keeps `training.learningRate`. Default: the same. */
  encoderLearningRate?: number;
}

export const CHECKPOINT_SELECTIONS = ["best-dev", "final"] as const;
export type CheckpointSelection = (typeof CHECKPOINT_SELECTIONS)[number];

export interface StudyConfig {
  /** Name of the study; the default output folder is `runs/<name>`. */
  name: string;
  scale: StudyScale;
  datasets: {
    train: TrainingSetConfig;
    evaluation: EvaluationSetConfig[];
    firstStage: FirstStage;
    /** Candidates per query taken from the first stage and reranked (the paper: 100). */
    candidateDepth: number;
  };
  /** Model size presets: names from the model's ladder (`SIZE_PRESETS`: "0.1M" … "25M") or from `customPresets`. */
  presets: string[];
  /** Extra shapes by name, e.g. tinier models for the smoke scale; ffn = 4·hidden as in the ladder. */
  customPresets?: Record<string, ModelShape>;
  objectives: Objective[];
  /** Training data budgets in query-passage pairs scored: the unit is the same for every objective. */
  dataBudgetsPairs: number[];
  seeds: number[];
  checkpoints: { count: number; spacing: CheckpointSpacing };
  /** Canonical measure names, e.g. "ndcg@10", "map", "mrr@10", "ce@32". */
  metrics: string[];
  training: TrainingHyperparameters;
  /** Fine-tune from pretrained encoders (our own MLM ladder); leave out to train from random weights. */
  pretraining?: StudyPretraining;
  order: RunOrder;
}
