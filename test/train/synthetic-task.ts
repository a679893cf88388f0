/**
 * A tiny synthetic ranking task for trainer tests: the query is one word; relevant passages contain it,
 * non-relevant ones do not. A one-layer cross-encoder with the exact-match flag learns it in a few dozen steps,
 * while an untrained one ranks at random. Deterministic from a seed.
 */
import type { EncodedBatch } from "../../src/data/encoded-batch";
import { Random } from "../../src/random";
import type { RerankCandidates } from "../../src/train/score-candidates";
import type { QueryPassagePair, TrainingGroup } from "../../src/train/trainable-model";

const WORDS = Array.from({ length: 40 }, (_, index) => `w${index}`);
/** Token ids: 0 padding, 1 [CLS], 2 [SEP], 3.. words. */
export const SYNTHETIC_VOCAB_SIZE = WORDS.length + 3;
export const SYNTHETIC_SEQ_LEN = 12;

function passage(random: Random, containing: string | undefined, avoiding: string): string {
  const words: string[] = [];
  while (words.length < 6) {
    const word = WORDS[random.int(WORDS.length)]!;
    if (word !== avoiding) words.push(word);
  }
  if (containing) words[random.int(words.length)] = containing;
  return words.join(" ");
}

/** `count` groups of one relevant passage (label 1) and `groupSize − 1` non-relevant ones (label 0). */
export function syntheticGroups(count: number, groupSize: number, seed: number): TrainingGroup[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, index) => {
    const query = WORDS[random.int(WORDS.length)]!;
    const passages = [passage(random, query, query)];
    for (let n = 1; n < groupSize; n++) passages.push(passage(random, undefined, query));
    return { queryId: `q${index}`, query, passages, labels: passages.map((_, i) => (i === 0 ? 1 : 0)) };
  });
}

/** Dev candidates: `queries` queries with 10 candidates each, the relevant one at a random position. */
export function syntheticCandidates(queries: number, seed: number): RerankCandidates {
  const random = new Random(seed);
  const texts = new Map<string, string>();
  const lists = new Map<string, { docId: string; text: string }[]>();
  const qrels = new Map<string, Map<string, number>>();
  for (let index = 0; index < queries; index++) {
    const queryId = `dev${index}`;
    const query = WORDS[random.int(WORDS.length)]!;
    const relevantAt = random.int(10);
    const list = Array.from({ length: 10 }, (_, position) => ({
      docId: `${queryId}-d${position}`,
      text: passage(random, position === relevantAt ? query : undefined, query),
    }));
    texts.set(queryId, query);
    lists.set(queryId, list);
    qrels.set(queryId, new Map([[`${queryId}-d${relevantAt}`, 1]]));
  }
  return { queries: texts, candidates: lists, qrels };
}

/** `[CLS] query [SEP] passage [SEP]` with exact-match flags, padded to SYNTHETIC_SEQ_LEN. */
export function encodeSynthetic(pairs: readonly QueryPassagePair[]): EncodedBatch {
  const seqLen = SYNTHETIC_SEQ_LEN;
  const inputIds = new Int32Array(pairs.length * seqLen);
  const segmentIds = new Int32Array(pairs.length * seqLen);
  const exactMatch = new Uint8Array(pairs.length * seqLen);
  const lengths = new Int32Array(pairs.length);
  const idOf = (word: string) => 3 + WORDS.indexOf(word);
  pairs.forEach((pair, row) => {
    const queryWords = pair.query.split(" ");
    const passageWords = pair.passage.split(" ");
    const tokens = [1, ...queryWords.map(idOf), 2, ...passageWords.map(idOf), 2].slice(0, seqLen);
    const boundary = queryWords.length + 2;
    tokens.forEach((id, position) => {
      inputIds[row * seqLen + position] = id;
      segmentIds[row * seqLen + position] = position < boundary ? 0 : 1;
      const word = WORDS[id - 3];
      const other = position < boundary ? passageWords : queryWords;
      exactMatch[row * seqLen + position] = word !== undefined && other.includes(word) ? 1 : 0;
    });
    lengths[row] = tokens.length;
  });
  return { batchSize: pairs.length, seqLen, inputIds, segmentIds, lengths, exactMatch };
}
