import { EnglishAnalyzer, standardTokens, type EnglishAnalyzerOptions } from "./english-analyzer";

/** Anserini's BM25 defaults (k1 = 0.9, b = 0.4), used for its BEIR and MS MARCO baselines. Reference: Anserini `SearchCollection` `-bm25.k1`/`-bm25.b` defaults. */
export const ANSERINI_BM25_K1 = 0.9;
export const ANSERINI_BM25_B = 0.4;

export interface Bm25Options extends EnglishAnalyzerOptions {
  /** Term-frequency saturation (default 0.9, Anserini). */
  k1?: number;
  /** Length normalisation (default 0.4, Anserini). */
  b?: number;
  /** Quantise document lengths to one byte as Lucene's norms do (default true: matches Anserini's scores). */
  luceneNorms?: boolean;
}

/** One search hit: the document's index in the collection and its BM25 score. */
export interface Bm25Hit {
  docIndex: number;
  score: number;
}

/**
 * Lucene `SmallFloat.intToByte4` followed by `byte4ToInt`: the document length Lucene actually scores with
 * (exact up to 23, then about 3 significant bits). Reference: lucene/core/.../util/SmallFloat.java.
 * @example luceneQuantisedLength(100) // 96
 */
export function luceneQuantisedLength(length: number): number {
  const NUM_FREE_VALUES = 24; // 255 - longToInt4(Integer.MAX_VALUE)
  if (length < NUM_FREE_VALUES) return length;
  const value = length - NUM_FREE_VALUES;
  const bits = 32 - Math.clz32(value);
  let decoded: number;
  if (bits < 4) decoded = value;
  else {
    const shift = bits - 4;
    decoded = ((value >>> shift) & 0x07 | 0x08) * 2 ** shift;
  }
  return NUM_FREE_VALUES + decoded;
}

/**
 * An in-memory inverted index with Lucene's BM25 scoring (Lucene ≥ 8, the formula Anserini uses):
 * score(q, d) = Σ_{t∈q} count_q(t) · idf(t) · tf / (tf + k1·(1 − b + b·|d|/avgdl)),
 * idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)), |d| quantised as Lucene stores it, avgdl exact; per-term scores
 * in float32 as Lucene computes them. Postings are typed arrays in compressed-row form (term → doc indexes,
 * term frequencies), so 100k passages index in seconds. Documents with no terms score nothing.
 *
 * Reference: Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009);
 * Lucene `BM25Similarity.java`; Kamphuis et al., "Which BM25 Do You Mean?" (ECIR 2020).
 * @example const index = Bm25Index.build(["a cat", "a dog"]); index.search("cat", 1) // [{ docIndex: 0, score: 0.31… }]
 */
export class Bm25Index {
  private constructor(
    readonly documentCount: number,
    private readonly analyzer: EnglishAnalyzer,
    private readonly termIds: Map<string, number>,
    private readonly postingStarts: Int32Array,
    private readonly postingDocs: Int32Array,
    private readonly postingFreqs: Float32Array,
    /** 1 / (k1·(1 − b + b·|d|/avgdl)) per document, float32 as Lucene caches it. */
    private readonly inverseNorms: Float32Array,
    private readonly idfs: Float32Array,
    private readonly scores: Float64Array,
    readonly options: Required<Bm25Options>,
  ) {}

  /** Number of distinct terms in the index. */
  get termCount(): number {
    return this.termIds.size;
  }

  static build(texts: Iterable<string>, options: Bm25Options = {}): Bm25Index {
    const resolved: Required<Bm25Options> = { k1: options.k1 ?? ANSERINI_BM25_K1, b: options.b ?? ANSERINI_BM25_B, luceneNorms: options.luceneNorms ?? true, stopWords: options.stopWords ?? true, stem: options.stem ?? true };
    if (!(resolved.k1 >= 0) || !(resolved.b >= 0 && resolved.b <= 1)) throw new Error(`Bm25Index: need k1 >= 0 and 0 <= b <= 1, got k1=${resolved.k1}, b=${resolved.b}.`);
    const analyzer = new EnglishAnalyzer(resolved);
    const termIds = new Map<string, number>();
    // Raw token → term id (−1: stop word), so each distinct token is analysed once.
    const tokenTermIds = new Map<string, number>();
    let docTerms = new Int32Array(1 << 16);
    let docFreqs = new Int32Array(1 << 16);
    let used = 0;
    const docStarts: number[] = [0];
    const lengths: number[] = [];
    const documentFrequency: number[] = [];
    let counts = new Int32Array(1 << 12);
    const touched: number[] = [];
    for (const text of texts) {
      let length = 0;
      for (const token of standardTokens(text)) {
        let id = tokenTermIds.get(token);
        if (id === undefined) {
          const term = analyzer.normalise(token);
          if (term === null) id = -1;
          else {
            id = termIds.get(term);
            if (id === undefined) {
              id = termIds.size;
              termIds.set(term, id);
              documentFrequency.push(0);
              if (id >= counts.length) {
                const grown = new Int32Array(counts.length * 2);
                grown.set(counts);
                counts = grown;
              }
            }
          }
          tokenTermIds.set(token, id);
        }
        if (id < 0) continue;
        length++;
        if (counts[id] === 0) touched.push(id);
        counts[id]!++;
      }
      if (used + touched.length > docTerms.length) {
        const grown = Math.max(docTerms.length * 2, used + touched.length);
        const terms2 = new Int32Array(grown);
        terms2.set(docTerms.subarray(0, used));
        const freqs2 = new Int32Array(grown);
        freqs2.set(docFreqs.subarray(0, used));
        docTerms = terms2;
        docFreqs = freqs2;
      }
      for (const id of touched) {
        docTerms[used] = id;
        docFreqs[used] = counts[id]!;
        counts[id] = 0;
        used++;
        documentFrequency[id]!++;
      }
      touched.length = 0;
      lengths.push(length);
      docStarts.push(used);
    }
    const documentCount = lengths.length;
    const postingStarts = new Int32Array(termIds.size + 1);
    for (let id = 0; id < termIds.size; id++) postingStarts[id + 1] = postingStarts[id]! + documentFrequency[id]!;
    const fill = postingStarts.slice(0, termIds.size);
    const postingDocs = new Int32Array(used);
    const postingFreqs = new Float32Array(used);
    for (let doc = 0; doc < documentCount; doc++) {
      for (let entry = docStarts[doc]!; entry < docStarts[doc + 1]!; entry++) {
        const slot = fill[docTerms[entry]!]!++;
        postingDocs[slot] = doc;
        postingFreqs[slot] = docFreqs[entry]!;
      }
    }
    // Lucene: avgdl = sumTotalTermFreq / docCount over documents that have the field (at least one term).
    let totalTerms = 0;
    let docsWithTerms = 0;
    for (const length of lengths) {
      totalTerms += length;
      if (length > 0) docsWithTerms++;
    }
    const averageLength = docsWithTerms > 0 ? totalTerms / docsWithTerms : 1;
    const inverseNorms = new Float32Array(documentCount);
    lengths.forEach((length, doc) => {
      const scoredLength = resolved.luceneNorms ? luceneQuantisedLength(length) : length;
      inverseNorms[doc] = 1 / Math.fround(resolved.k1 * (1 - resolved.b + (resolved.b * scoredLength) / averageLength));
    });
    const idfs = new Float32Array(termIds.size);
    for (let id = 0; id < termIds.size; id++) {
      const df = documentFrequency[id]!;
      idfs[id] = Math.log(1 + (docsWithTerms - df + 0.5) / (df + 0.5));
    }
    return new Bm25Index(documentCount, analyzer, termIds, postingStarts, postingDocs, postingFreqs, inverseNorms, idfs, new Float64Array(documentCount), resolved);
  }

  /**
   * The `k` best documents for a query, best first; ties broken by document index (collection order).
   * Each query term counts as often as it occurs in the query (Anserini's bag-of-words query).
   */
  search(query: string, k: number): Bm25Hit[] {
    if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`Bm25Index.search: k must be a positive integer, got ${k}.`);
    const touched = this.accumulate(query);
    const hits = topK(touched, this.scores, k);
    for (const doc of touched) this.scores[doc] = 0;
    return hits;
  }

  /** BM25 scores of the given documents (by index) for a query, 0 where no query term occurs: for reranking fixed candidate lists. */
  scoreDocuments(query: string, docIndexes: readonly number[]): number[] {
    const touched = this.accumulate(query);
    const result = docIndexes.map((doc) => Math.fround(this.scores[doc] ?? 0));
    for (const doc of touched) this.scores[doc] = 0;
    return result;
  }

  /** Adds every query term's contribution into `this.scores`; returns the documents touched (caller resets them). */
  private accumulate(query: string): number[] {
    const queryCounts = new Map<number, number>();
    for (const term of this.analyzer.analyze(query)) {
      const id = this.termIds.get(term);
      if (id !== undefined) queryCounts.set(id, (queryCounts.get(id) ?? 0) + 1);
    }
    const scores = this.scores;
    const touched: number[] = [];
    for (const [id, count] of queryCounts) {
      const weight = Math.fround(count * this.idfs[id]!);
      for (let slot = this.postingStarts[id]!; slot < this.postingStarts[id + 1]!; slot++) {
        const doc = this.postingDocs[slot]!;
        if (scores[doc] === 0) touched.push(doc);
        // Lucene's monotone form of weight·tf/(tf + norm): weight − weight/(1 + tf·(1/norm)), in float32.
        scores[doc] += Math.fround(weight - Math.fround(weight / Math.fround(1 + Math.fround(this.postingFreqs[slot]! * this.inverseNorms[doc]!))));
      }
    }
    return touched;
  }
}

/** The k highest-scoring of `candidates` (ties: lower index first), best first, via a bounded min-heap. */
function topK(candidates: number[], scores: Float64Array, k: number): Bm25Hit[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number) => {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && worse(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && worse(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  };
  for (const doc of candidates) {
    if (heap.length < k) {
      heap.push(doc);
      let index = heap.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!worse(heap[index]!, heap[parent]!)) break;
        [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
        index = parent;
      }
    } else if (worse(heap[0]!, doc)) {
      heap[0] = doc;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0)).map((doc) => ({ docIndex: doc, score: Math.fround(scores[doc]!) }));
}
