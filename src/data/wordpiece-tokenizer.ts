import * as fs from "node:fs";
import * as path from "node:path";
import { bertBasicTokens } from "./bert-basic-tokenizer";
import type { EncodedBatch } from "./encoded-batch";
import { CONTINUATION_PREFIX, trainWordPieceVocabulary, type WordPieceTrainingOptions } from "./train-wordpiece-vocabulary";

/** BERT's limit: longer words become [UNK] without being split (`max_input_chars_per_word`). */
const MAX_CHARS_PER_WORD = 100;

export interface EncodeOptions {
  /** Maximum tokens per row, [CLS] and both [SEP] included (e.g. 128, 512). */
  maxLength: number;
  /** Pad rows to `maxLength` ("max") or to the longest row of the batch ("longest", default). */
  padTo?: "max" | "longest";
  /** Also return exact-match flags (1 on query tokens that occur in the passage and passage tokens that occur in the query). */
  exactMatch?: boolean;
}

/**
 * A WordPiece tokenizer for the cross-encoder: BERT basic tokenization, then greedy longest-match-first
 * splitting into pieces of the vocabulary (`##` marks a piece that continues a word); a word with no
 * complete split, or longer than 100 characters, becomes [UNK]. The vocabulary is a plain `vocab.txt`,
 * one token per line, id = line number, so a real BERT vocab.txt (bert-base-uncased) loads too.
 *
 * Reference: Devlin et al., BERT (NAACL 2019), google-research/bert `tokenization.py` `WordpieceTokenizer`.
 * @example const tokenizer = WordPieceTokenizer.train(texts, { vocabSize: 8000 }); tokenizer.tokenize("unaffable") // ["una", "##ffa", "##ble"]
 */
export class WordPieceTokenizer {
  readonly padId: number;
  readonly unknownId: number;
  readonly clsId: number;
  readonly sepId: number;
  private readonly ids: Map<string, number>;
  private readonly wordCache = new Map<string, number[]>();

  constructor(
    /** Tokens in id order. */
    readonly vocabulary: readonly string[],
    readonly options: { lowerCase?: boolean } = {},
  ) {
    this.ids = new Map();
    vocabulary.forEach((token, id) => {
      if (!this.ids.has(token)) this.ids.set(token, id);
    });
    const required = (token: string) => {
      const id = this.ids.get(token);
      if (id === undefined) throw new Error(`WordPieceTokenizer: the vocabulary has no ${token} token; a BERT-style vocab.txt needs [PAD], [UNK], [CLS] and [SEP].`);
      return id;
    };
    this.padId = required("[PAD]");
    if (this.padId !== 0) throw new Error(`WordPieceTokenizer: [PAD] must be id 0 (line 1 of vocab.txt), found at id ${this.padId}; EncodedBatch pads with 0.`);
    this.unknownId = required("[UNK]");
    this.clsId = required("[CLS]");
    this.sepId = required("[SEP]");
  }

  get vocabSize(): number {
    return this.vocabulary.length;
  }

  /** Trains a vocabulary on `texts` (see `trainWordPieceVocabulary`) and returns its tokenizer. */
  static train(texts: Iterable<string>, options: WordPieceTrainingOptions): WordPieceTokenizer {
    return new WordPieceTokenizer(trainWordPieceVocabulary(texts, options), { lowerCase: options.lowerCase ?? true });
  }

  /** Loads a vocab.txt (one token per line; `\r\n` accepted; a trailing empty line ignored). */
  static load(file: string, options: { lowerCase?: boolean } = {}): WordPieceTokenizer {
    const lines = fs.readFileSync(file, "utf8").replace(/\r\n/g, "\n").split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 0) throw new Error(`WordPieceTokenizer.load: ${file} is empty.`);
    return new WordPieceTokenizer(lines, options);
  }

  /** Writes the vocabulary as vocab.txt, atomically (temporary file, then rename). */
  save(file: string): void {
    const bad = this.vocabulary.findIndex((token) => token.includes("\n") || token === "");
    if (bad >= 0) throw new Error(`WordPieceTokenizer.save: token ${bad} is empty or contains a newline and cannot be written one per line.`);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temporary, this.vocabulary.join("\n") + "\n");
    fs.renameSync(temporary, file);
  }

  /** Token strings of a text (no special tokens). */
  tokenize(text: string): string[] {
    return this.encodeText(text).map((id) => this.vocabulary[id]!);
  }

  /** Token ids of a text (no special tokens). */
  encodeText(text: string): number[] {
    const ids: number[] = [];
    for (const word of bertBasicTokens(text, { lowerCase: this.options.lowerCase ?? true })) {
      let pieces = this.wordCache.get(word);
      if (!pieces) {
        pieces = this.wordPieces(word);
        if (this.wordCache.size < 500_000) this.wordCache.set(word, pieces);
      }
      for (const id of pieces) ids.push(id);
    }
    return ids;
  }

  private wordPieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > MAX_CHARS_PER_WORD) return [this.unknownId];
    const pieces: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? CONTINUATION_PREFIX : "") + chars.slice(start, end).join("");
        found = this.ids.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unknownId];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /**
   * Encodes (query, passage) pairs as `[CLS] query [SEP] passage [SEP]` into an `EncodedBatch`. Pairs longer
   * than `maxLength` are truncated "longest first" (one token at a time from the longer of query and passage,
   * Hugging Face's default), so a long passage never pushes the query out.
   * @example tokenizer.encodePairs([["what is bm25", "BM25 is a ranking function"]], { maxLength: 32, exactMatch: true })
   */
  encodePairs(pairs: ReadonlyArray<readonly [string, string]>, options: EncodeOptions): EncodedBatch {
    const maxLength = options.maxLength;
    if (!Number.isInteger(maxLength) || maxLength < 3) throw new Error(`encodePairs: maxLength must be an integer >= 3 ([CLS] and two [SEP]), got ${maxLength}.`);
    const queryCache = new Map<string, number[]>();
    const rows = pairs.map(([query, passage]) => {
      let queryIds = queryCache.get(query);
      if (!queryIds) queryCache.set(query, (queryIds = this.encodeText(query)));
      const passageIds = this.encodeText(passage);
      let queryLength = queryIds.length;
      let passageLength = passageIds.length;
      while (queryLength + passageLength > maxLength - 3) {
        if (queryLength > passageLength) queryLength--;
        else passageLength--;
      }
      return { queryIds: queryIds.slice(0, queryLength), passageIds: passageIds.slice(0, passageLength) };
    });
    const longest = rows.reduce((most, row) => Math.max(most, row.queryIds.length + row.passageIds.length + 3), 0);
    const seqLen = options.padTo === "max" ? maxLength : Math.max(longest, 1);
    const batchSize = pairs.length;
    const inputIds = new Int32Array(batchSize * seqLen);
    const segmentIds = new Int32Array(batchSize * seqLen);
    const lengths = new Int32Array(batchSize);
    const exactMatch = options.exactMatch ? new Uint8Array(batchSize * seqLen) : undefined;
    rows.forEach(({ queryIds, passageIds }, row) => {
      const base = row * seqLen;
      let position = base;
      inputIds[position++] = this.clsId;
      for (const id of queryIds) inputIds[position++] = id;
      inputIds[position++] = this.sepId;
      const passageStart = position;
      for (const id of passageIds) inputIds[position++] = id;
      inputIds[position++] = this.sepId;
      segmentIds.fill(1, passageStart, position);
      lengths[row] = position - base;
      if (exactMatch) {
        const inQuery = new Set(queryIds);
        const inPassage = new Set(passageIds);
        for (let offset = 0; offset < queryIds.length; offset++) if (inPassage.has(queryIds[offset]!)) exactMatch[base + 1 + offset] = 1;
        for (let offset = 0; offset < passageIds.length; offset++) if (inQuery.has(passageIds[offset]!)) exactMatch[passageStart + offset] = 1;
      }
    });
    return exactMatch ? { batchSize, seqLen, inputIds, segmentIds, lengths, exactMatch } : { batchSize, seqLen, inputIds, segmentIds, lengths };
  }
}
