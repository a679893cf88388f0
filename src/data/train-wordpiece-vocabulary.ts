import { bertBasicTokens } from "./bert-basic-tokenizer";

/** Special tokens at the start of every trained vocabulary; [PAD] is id 0 (the padding id of `EncodedBatch`), as in BERT. */
export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Prefix of a word-piece that continues a word. */
export const CONTINUATION_PREFIX = "##";

export interface WordPieceTrainingOptions {
  /** Target vocabulary size, special tokens included (e.g. 8,000 or 30,522 as BERT). */
  vocabSize: number;
  /** A merge must occur at least this often (default 2). */
  minFrequency?: number;
  /** Keep at most this many distinct characters, the most frequent (default 1,000); rarer ones become [UNK] when encoding. */
  limitAlphabet?: number;
  lowerCase?: boolean;
}

/**
 * Trains a WordPiece vocabulary on texts, the way Hugging Face's `WordPieceTrainer` does: BERT basic
 * tokenization, word counts, an alphabet of characters (word-initial `c` and continuation `##c`), then
 * byte-pair-style merges of the most frequent adjacent pair until `vocabSize` is reached. Fully
 * deterministic: ties between equally frequent pairs go to the pair whose symbols were created first.
 * Returns the tokens in id order: special tokens, alphabet (by frequency), merged pieces (in merge order).
 *
 * Reference: Schuster & Nakajima, "Japanese and Korean Voice Search", ICASSP 2012; Sennrich et al., BPE, ACL 2016;
 * huggingface/tokenizers `models/wordpiece/trainer.rs` (BPE trainer with `##` prefix).
 * @example trainWordPieceVocabulary(["low lower lowest"], { vocabSize: 40 }).includes("low") // true
 */
export function trainWordPieceVocabulary(texts: Iterable<string>, options: WordPieceTrainingOptions): string[] {
  const minFrequency = options.minFrequency ?? 2;
  const limitAlphabet = options.limitAlphabet ?? 1000;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize <= SPECIAL_TOKENS.length) {
    throw new Error(`trainWordPieceVocabulary: vocabSize must be an integer above ${SPECIAL_TOKENS.length}, got ${options.vocabSize}.`);
  }
  // 1. Word counts.
  const wordCounts = new Map<string, number>();
  for (const text of texts) {
    for (const word of bertBasicTokens(text, { lowerCase: options.lowerCase ?? true })) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  const words = [...wordCounts.keys()].sort();
  // 2. Alphabet: most frequent characters (ties by code point order).
  const charCounts = new Map<string, number>();
  for (const word of words) for (const char of word) charCounts.set(char, (charCounts.get(char) ?? 0) + wordCounts.get(word)!);
  const alphabet = [...charCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limitAlphabet).map(([char]) => char);
  const kept = new Set(alphabet);

  const symbols: string[] = [];
  const symbolIds = new Map<string, number>();
  const symbolId = (symbol: string) => {
    let id = symbolIds.get(symbol);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(symbol);
      symbolIds.set(symbol, id);
    }
    return id;
  };
  const vocabulary: string[] = [...SPECIAL_TOKENS];
  const inVocabulary = new Set<string>(vocabulary);
  const addToVocabulary = (token: string) => {
    if (!inVocabulary.has(token)) {
      inVocabulary.add(token);
      vocabulary.push(token);
    }
  };
  // Word-initial characters first, then continuations, each in alphabet order.
  const initials = new Set<string>();
  const continuations = new Set<string>();
  for (const word of words) {
    let first = true;
    for (const char of word) {
      if (kept.has(char)) (first ? initials : continuations).add(char);
      first = false;
    }
  }
  for (const char of alphabet) if (initials.has(char)) addToVocabulary(char);
  for (const char of alphabet) if (continuations.has(char)) addToVocabulary(CONTINUATION_PREFIX + char);

  // 3. Words as symbol sequences (words with a dropped character are skipped: they encode to [UNK]).
  const sequences: number[][] = [];
  const counts: number[] = [];
  for (const word of words) {
    const chars = [...word];
    if (!chars.every((char) => kept.has(char))) continue;
    sequences.push(chars.map((char, index) => symbolId(index === 0 ? char : CONTINUATION_PREFIX + char)));
    counts.push(wordCounts.get(word)!);
  }
  const PAIR_BASE = 1 << 22;
  const pairKey = (left: number, right: number) => left * PAIR_BASE + right;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (wordIndex: number, sign: 1 | -1) => {
    const sequence = sequences[wordIndex]!;
    for (let position = 0; position + 1 < sequence.length; position++) {
      const key = pairKey(sequence[position]!, sequence[position + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * counts[wordIndex]!);
      if (sign > 0) {
        let where = pairWords.get(key);
        if (!where) pairWords.set(key, (where = new Set()));
        where.add(wordIndex);
      }
    }
  };
  sequences.forEach((_, wordIndex) => addPairs(wordIndex, 1));
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  // 4. Merges.
  while (vocabulary.length < options.vocabSize) {
    let best: { count: number; key: number } | undefined;
    while ((best = heap.pop())) {
      if (pairCounts.get(best.key) === best.count) break;
    }
    if (!best || best.count < minFrequency) break;
    const left = Math.floor(best.key / PAIR_BASE);
    const right = best.key % PAIR_BASE;
    const mergedText = symbols[left]! + symbols[right]!.slice(CONTINUATION_PREFIX.length);
    const merged = symbolId(mergedText);
    addToVocabulary(mergedText);
    const affected = [...(pairWords.get(best.key) ?? [])].sort((a, b) => a - b);
    const changed = new Set<number>();
    for (const wordIndex of affected) {
      const sequence = sequences[wordIndex]!;
      let hasPair = false;
      for (let position = 0; position + 1 < sequence.length; position++) if (sequence[position] === left && sequence[position + 1] === right) hasPair = true;
      if (!hasPair) continue;
      const before = new Set<number>();
      for (let position = 0; position + 1 < sequence.length; position++) before.add(pairKey(sequence[position]!, sequence[position + 1]!));
      addPairs(wordIndex, -1);
      const next: number[] = [];
      for (let position = 0; position < sequence.length; position++) {
        if (position + 1 < sequence.length && sequence[position] === left && sequence[position + 1] === right) {
          next.push(merged);
          position++;
        } else next.push(sequence[position]!);
      }
      sequences[wordIndex] = next;
      addPairs(wordIndex, 1);
      for (const key of before) changed.add(key);
      for (let position = 0; position + 1 < next.length; position++) changed.add(pairKey(next[position]!, next[position + 1]!));
    }
    pairWords.delete(best.key);
    pairCounts.delete(best.key);
    for (const key of changed) {
      const count = pairCounts.get(key);
      if (count !== undefined && count > 0) heap.push(count, key);
    }
  }
  return vocabulary;
}

/** Max-heap of (count, pair key); ties pop the smaller key (older symbols) first, so training is deterministic. */
class PairHeap {
  private readonly countsHeap: number[] = [];
  private readonly keysHeap: number[] = [];

  private better(a: number, b: number): boolean {
    const countA = this.countsHeap[a]!;
    const countB = this.countsHeap[b]!;
    return countA > countB || (countA === countB && this.keysHeap[a]! < this.keysHeap[b]!);
  }

  private swap(a: number, b: number): void {
    [this.countsHeap[a], this.countsHeap[b]] = [this.countsHeap[b]!, this.countsHeap[a]!];
    [this.keysHeap[a], this.keysHeap[b]] = [this.keysHeap[b]!, this.keysHeap[a]!];
  }

  push(count: number, key: number): void {
    this.countsHeap.push(count);
    this.keysHeap.push(key);
    let index = this.countsHeap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.better(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { count: number; key: number } | undefined {
    if (this.countsHeap.length === 0) return undefined;
    const top = { count: this.countsHeap[0]!, key: this.keysHeap[0]! };
    const lastCount = this.countsHeap.pop()!;
    const lastKey = this.keysHeap.pop()!;
    if (this.countsHeap.length > 0) {
      this.countsHeap[0] = lastCount;
      this.keysHeap[0] = lastKey;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let best = index;
        if (left < this.countsHeap.length && this.better(left, best)) best = left;
        if (right < this.countsHeap.length && this.better(right, best)) best = right;
        if (best === index) break;
        this.swap(index, best);
        index = best;
      }
    }
    return top;
  }
}
