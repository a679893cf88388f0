import { DataFormatError } from "../data-format-error";
import { readTsv } from "../read-tsv";
import type { TrainingExample } from "../training-examples";

/**
 * Reads MS MARCO training triples (`query<TAB>positive passage<TAB>negative passage`, text only, as in
 * `triples.train.small.tsv`) as pairwise training examples. Ids are made from line numbers
 * (`triple-<n>`, `triple-<n>-pos`, `triple-<n>-neg`); text is kept as is, mojibake included.
 *
 * Reference: microsoft/MSMARCO-Passage-Ranking, `triples.train.small.tsv`.
 * @example (await readMsMarcoTriples("triples.train.small.first100.tsv")).length // 100
 */
export async function readMsMarcoTriples(file: string, options: { limit?: number } = {}): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  await readTsv(file, 3, (fields, lineNumber) => {
    if (options.limit !== undefined && examples.length >= options.limit) return;
    if (fields.length !== 3) throw new DataFormatError(file, lineNumber, `expected 3 tab-separated fields (query, positive, negative), got ${fields.length}.`);
    const [query, positive, negative] = fields as [string, string, string];
    const queryId = `triple-${lineNumber}`;
    examples.push({ queryId, query, docIds: [`${queryId}-pos`, `${queryId}-neg`], passages: [positive, negative], labels: [1, 0], pseudo: false });
  });
  return examples;
}
