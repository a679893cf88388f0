/** A toy MLM corpus and whole-word tokenizer, shared by the MLM tests (the WordPiece tokenizer lives in src/data). */
import type { MlmTokenizer } from "../../src/train/mlm";

export const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/** Whole-word tokenizer over a toy vocabulary: the specials, then `words`; unknown words map to [UNK]. */
export function toyTokenizer(words: string[]): MlmTokenizer {
  const vocab = [...SPECIALS, ...words];
  const ids = new Map(vocab.map((token, id) => [token, id]));
  return { vocab, tokenIds: (text) => text.split(/\s+/).filter(Boolean).map((word) => ids.get(word) ?? 1) };
}

/** A corpus where every token is predictable from its sentence: "s7 t7 u7 v7", ten such sentences, shuffled. */
export const CORPUS = Array.from({ length: 200 }, (_, i) => {
  const k = (i * 7) % 10;
  return `s${k} t${k} u${k} v${k}`;
});
export const WORDS = Array.from(new Set(CORPUS.join(" ").split(" ")));
