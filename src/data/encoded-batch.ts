/**
 * A batch of tokenized (query, passage) pairs, the hand-off between data/ (tokenizer) and model/ (cross-encoder).
 * Row-major: row i holds `[CLS] query [SEP] passage [SEP]` padded with 0 up to `seqLen`.
 */
export interface EncodedBatch {
  /** Number of (query, passage) pairs. */
  batchSize: number;
  /** Padded sequence length (tokens per row). */
  seqLen: number;
  /** Token ids, batchSize × seqLen; 0 is padding. */
  inputIds: Int32Array;
  /** Segment ids (0 for [CLS] query [SEP], 1 for passage [SEP]), batchSize × seqLen. */
  segmentIds: Int32Array;
  /** Real (unpadded) length of each row. */
  lengths: Int32Array;
  /** Optional exact-match flags, batchSize × seqLen: 1 where the token also occurs in the other segment. */
  exactMatch?: Uint8Array;
}
