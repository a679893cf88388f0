/** trec_eval's relevance value for a retrieved document that is absent from the qrels (RELVALUE_NONPOOL). */
export const RELEVANCE_NOT_IN_POOL = -1;
/** trec_eval's relevance value for a document in the qrels with a negative grade (RELVALUE_UNJUDGED). */
export const RELEVANCE_UNJUDGED_IN_POOL = -2;

/**
 * One query's ranking turned into relevance values by rank, the input of every trec_eval measure
 * (trec_eval's RES_RELS). `relevanceByRank[i]` is the grade of the document at rank i+1, or
 * {@link RELEVANCE_NOT_IN_POOL} / {@link RELEVANCE_UNJUDGED_IN_POOL}.
 */
export interface JudgedRanking {
  /** Documents retrieved (after the `-M` cap). */
  retrievedCount: number;
  /** Relevance value by rank; only the first `retrievedCount` entries are meaningful. */
  relevanceByRank: Int32Array;
  /** `judgedCountByGrade[g]`: qrels documents of this query with grade g >= 0 (retrieved or not). */
  judgedCountByGrade: number[];
  /** Qrels documents with grade >= the relevance threshold. */
  relevantCount: number;
  /** Retrieved documents with grade >= the relevance threshold. */
  relevantRetrievedCount: number;
}

/**
 * Counts of judged documents by grade for one query's qrels, ignoring negative grades, as trec_eval's
 * `rel_levels` (trailing zero levels trimmed, so the length is the highest grade present + 1).
 */
export function judgedCountsByGrade(grades: Iterable<number>): number[] {
  const counts: number[] = [];
  for (const grade of grades) {
    if (grade < 0) continue;
    while (counts.length <= grade) counts.push(0);
    counts[grade]!++;
  }
  while (counts.length > 0 && counts[counts.length - 1] === 0) counts.pop();
  return counts;
}

/** Number of qrels documents with grade >= relevanceThreshold, from {@link judgedCountsByGrade}. */
export function relevantCountOf(judgedCountByGrade: readonly number[], relevanceThreshold: number): number {
  let count = 0;
  for (let grade = Math.max(0, relevanceThreshold); grade < judgedCountByGrade.length; grade++) {
    count += judgedCountByGrade[grade]!;
  }
  return count;
}

/**
 * Builds a {@link JudgedRanking} from document ids already in rank order and the query's grades.
 * @example judgedRanking(["d2", "d9"], new Map([["d2", 1], ["d3", 2]]), 1).relevanceByRank // Int32Array [1, -1]
 */
export function judgedRanking(
  rankedDocIds: readonly string[],
  gradesByDocId: ReadonlyMap<string, number>,
  relevanceThreshold: number,
  judgedCountByGrade: number[] = judgedCountsByGrade(gradesByDocId.values()),
): JudgedRanking {
  const relevanceByRank = new Int32Array(rankedDocIds.length);
  let relevantRetrievedCount = 0;
  for (let rank = 0; rank < rankedDocIds.length; rank++) {
    const grade = gradesByDocId.get(rankedDocIds[rank]!);
    if (grade === undefined) relevanceByRank[rank] = RELEVANCE_NOT_IN_POOL;
    else if (grade < 0) relevanceByRank[rank] = RELEVANCE_UNJUDGED_IN_POOL;
    else {
      relevanceByRank[rank] = grade;
      if (grade >= relevanceThreshold) relevantRetrievedCount++;
    }
  }
  return {
    retrievedCount: rankedDocIds.length,
    relevanceByRank,
    judgedCountByGrade,
    relevantCount: relevantCountOf(judgedCountByGrade, relevanceThreshold),
    relevantRetrievedCount,
  };
}
