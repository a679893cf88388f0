import type { EvaluationPlan } from "./evaluation-plan";

/**
 * C's `printf("%6.4f", value)`: 4 decimals, exact ties rounded to even as glibc does (0.03125 → "0.0312"),
 * where `Number.prototype.toFixed` would round them up.
 */
export function formatFixed4(value: number): string {
  if (Number.isNaN(value)) return value < 0 ? "-nan" : "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const scaled32 = Math.abs(value) * 32;
  // A value is exactly halfway between two 4-decimal numbers only when value·32 is an odd integer.
  if (Number.isInteger(scaled32) && scaled32 % 2 === 1 && scaled32 < 2 ** 50) {
    const below = Math.floor(Math.abs(value) * 10000);
    const rounded = below % 2 === 0 ? below : below + 1;
    const text = (rounded / 10000).toFixed(4);
    return value < 0 ? `-${text}` : text;
  }
  return value.toFixed(4);
}

/** One line of trec_eval's output: `%-22s\t%s\t%s`. */
export function trecEvalLine(measure: string, queryId: string, valueText: string): string {
  return `${measure.padEnd(22)}\t${queryId}\t${valueText}\n`;
}

/** Per-query lines of one query, in trec_eval's order (measures without per-query values skipped). */
export function formatQueryLines(plan: EvaluationPlan, queryId: string, values: Float64Array, relevanceText: string | undefined): string {
  let text = "";
  plan.instances.forEach((instance, k) => {
    const aggregation = instance.declaration.aggregation;
    if (aggregation === "queryCount" || aggregation === "runTag" || aggregation === "geometricMean") return;
    if (aggregation === "perQueryText") {
      text += trecEvalLine(instance.trecNames[0]!, queryId, `'${relevanceText ?? ""}'`);
      return;
    }
    instance.trecNames.forEach((name, v) => {
      const value = values[plan.offsets[k]! + v]!;
      text += trecEvalLine(name, queryId, aggregation === "sum" ? String(Math.trunc(value)) : formatFixed4(value));
    });
  });
  return text;
}

/** The `all` lines, in trec_eval's order. */
export function formatAllLines(plan: EvaluationPlan, all: Float64Array, runTag: string): string {
  let text = "";
  plan.instances.forEach((instance, k) => {
    const aggregation = instance.declaration.aggregation;
    if (aggregation === "perQueryText") return;
    if (aggregation === "runTag") {
      text += trecEvalLine(instance.trecNames[0]!, "all", runTag);
      return;
    }
    instance.trecNames.forEach((name, v) => {
      const value = all[plan.offsets[k]! + v]!;
      const integer = aggregation === "sum" || aggregation === "queryCount";
      text += trecEvalLine(name, "all", integer ? String(Math.trunc(value)) : formatFixed4(value));
    });
  });
  return text;
}
