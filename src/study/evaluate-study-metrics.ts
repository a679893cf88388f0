import type { Qrels } from "../data/dataset";
import type { Run } from "../data/trec-run";
import { CONTRASTIVE_ENTROPY_NAME, contrastiveEntropy } from "../metrics/contrastive-entropy";
import { resolveMeasures } from "../metrics/measure-names";
import { evaluateWithTrecMeasures } from "../train/train";

/** Seed of the negatives drawn for contrastive entropy: fixed, so every run is measured on the same negatives. */
export const CONTRASTIVE_ENTROPY_SEED = 0;

/**
 * Measures a reranked run with the study's metrics (canonical names): trec_eval measures through src/metrics
 * `evaluate`, and `ce@k` through `contrastiveEntropy` (k negatives sampled from the candidates with
 * `CONTRASTIVE_ENTROPY_SEED`; mean over (query, positive) pairs, natural log, lower is better). Per-query values
 * for every metric (a query without a positive among its candidates has no CE value).
 *
 * @example evaluateStudyMetrics(run, qrels, ["ndcg@10", "ce@16"], { relevanceThreshold: 1 }).means["ce@16"]
 */
export function evaluateStudyMetrics(
  run: Run,
  qrels: Qrels,
  metrics: readonly string[],
  options: { relevanceThreshold: number },
): { means: Record<string, number>; perQuery: Record<string, Record<string, number>> } {
  const trecMetrics = metrics.filter((metric) => !CONTRASTIVE_ENTROPY_NAME.test(metric));
  const measured = trecMetrics.length > 0 ? evaluateWithTrecMeasures(run, qrels, trecMetrics, options) : { means: {}, perQuery: {} };
  const means: Record<string, number> = { ...measured.means };
  const perQuery: Record<string, Record<string, number>> = { ...measured.perQuery };
  for (const metric of metrics) {
    const match = CONTRASTIVE_ENTROPY_NAME.exec(metric);
    if (!match) continue;
    const result = contrastiveEntropy(run, qrels, {
      negativeCount: Number(match[1]),
      seed: CONTRASTIVE_ENTROPY_SEED,
      relevanceThreshold: options.relevanceThreshold,
    });
    means[metric] = result.value;
    perQuery[metric] = Object.fromEntries(result.perQuery);
  }
  return { means, perQuery };
}

/**
 * Says why the study cannot compute a metric name, or undefined when it can: `ce@k`, or a canonical measure
 * name that src/metrics resolves to exactly that name (`ndcg@10`, `map`, `mrr@10`, `P@10`, `recall@100`).
 */
export function checkStudyMetric(name: string): string | undefined {
  if (CONTRASTIVE_ENTROPY_NAME.test(name)) return undefined;
  try {
    const canonical = resolveMeasures([name]).flatMap((measure) => measure.canonicalNames);
    if (canonical.length === 1 && canonical[0] === name) return undefined;
    return `must be written in canonical form (${canonical.join(", ")})`;
  } catch (error) {
    return `is not a measure src/metrics computes (${(error as Error).message.split(".")[0]})`;
  }
}
