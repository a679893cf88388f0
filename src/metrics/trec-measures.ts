import { RELEVANCE_NOT_IN_POOL, RELEVANCE_UNJUDGED_IN_POOL, type JudgedRanking } from "./judged-ranking";
import type { MeasureInstance, MeasureParameterPair } from "./measure-names";

/**
 * Computation of every declared measure from a {@link JudgedRanking}, following trec_eval's `m_*.c` files
 * line by line where the order of floating-point operations affects the 4th decimal.
 * Reference: usnistgov/trec_eval (version 9.0.8 and later; `iprec_at_recall`/`11pt_avg` use `lround` as in 10.0).
 */

/** trec_eval's MIN_GEO_MEAN: floor of values entering a geometric mean. */
export const MIN_GEO_MEAN = 0.00001;
/** trec_eval's INFAP_EPSILON (m_infap.c). */
const INFAP_EPSILON = 0.00001;
/** Default RBP persistence (m_rbp.c). */
const RBP_DEFAULT_PERSISTENCE = 0.9;

/** Settings shared by all measures of one evaluation (trec_eval's EPI). */
export interface MeasureContext {
  /** trec_eval `-l`: grade at or above which a document is relevant (default 1). */
  relevanceThreshold: number;
  /** trec_eval `-N`: documents in the collection (only utility's 4th coefficient uses it; default 0). */
  collectionDocCount: number;
}

interface Gain {
  level: number;
  gain: number;
  countAtLevel: number;
}

/** trec_eval's `setup_gains` (gain_init.c): explicit level=gain pairs, then default gain = level for each grade. */
function setupGains(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): Gain[] {
  const gains: Gain[] = [];
  for (const pair of pairs) {
    if (!/^[+-]?\d+$/.test(pair.name)) continue;
    gains.push({ level: Number.parseInt(pair.name, 10), gain: pair.value, countAtLevel: 0 });
  }
  const counts = ranking.judgedCountByGrade;
  for (let level = 0; level < counts.length; level++) {
    const given = gains.find((gain) => gain.level === level);
    if (given) given.countAtLevel = counts[level]!;
    else gains.push({ level, gain: level, countAtLevel: counts[level]! });
  }
  // trec_eval's comparator returns (int)(gain1 - gain2); Array.prototype.sort is stable like glibc's merge sort.
  gains.sort((a, b) => Math.trunc(a.gain - b.gain));
  return gains;
}

function gainOf(level: number, gains: readonly Gain[]): number {
  for (const gain of gains) if (gain.level === level) return gain.gain;
  return 0;
}

/**
 * Gains along the run and along the ideal ranking, the input of every nDCG-like measure:
 * `results[i]` is the gain of the document at rank i+1 (0 when unjudged); `ideal` holds the positive gains of all
 * judged documents, highest first (trec_eval walks its gain levels from the top and stops at the first gain ≤ 0).
 */
interface GainProfile {
  results: Float64Array;
  ideal: Float64Array;
}

function gainProfile(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking, depth = Number.POSITIVE_INFINITY): GainProfile {
  const gains = setupGains(pairs, ranking);
  const results = new Float64Array(Math.min(ranking.retrievedCount, depth));
  for (let i = 0; i < results.length; i++) results[i] = gainOf(ranking.relevanceByRank[i]!, gains);
  const ideal: number[] = [];
  for (let level = gains.length - 1; level >= 0; level--) {
    const { gain, countAtLevel } = gains[level]!;
    if (countAtLevel === 0) continue;
    if (gain <= 0) break;
    for (let k = 0; k < countAtLevel && ideal.length < depth; k++) ideal.push(gain);
  }
  return { results, ideal: Float64Array.from(ideal) };
}

/** Discount of rank i+1 (0-based i): log2(i + 2). */
function discount(i: number): number {
  return Math.log2(i + 2);
}

/** DCG of the first `depth` gains, summed in rank order as trec_eval does (zero gains skipped). */
function discountedSum(gains: Float64Array, depth: number): number {
  let sum = 0;
  const end = Math.min(depth, gains.length);
  for (let i = 0; i < end; i++) if (gains[i] !== 0) sum += gains[i]! / discount(i);
  return sum;
}

function ndcgFamily(name: "ndcg" | "dcg" | "ideal_dcg", pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): number {
  const { results, ideal } = gainProfile(pairs, ranking);
  const resultsDcg = discountedSum(results, results.length);
  const idealDcg = discountedSum(ideal, ideal.length);
  if (name === "dcg") return resultsDcg;
  if (name === "ideal_dcg") return idealDcg;
  return idealDcg > 0 ? resultsDcg / idealDcg : 0;
}

function ndcgAtCutoffs(cutoffs: readonly number[], ranking: JudgedRanking, out: Float64Array, offset: number): void {
  const { results, ideal } = gainProfile([], ranking, cutoffs[cutoffs.length - 1]);
  cutoffs.forEach((cutoff, c) => {
    const idealDcg = discountedSum(ideal, cutoff);
    out[offset + c] = idealDcg > 0 ? discountedSum(results, cutoff) / idealDcg : 0;
  });
}

/** nDCG averaged over relevant documents (m_ndcg_rel.c). */
function ndcgRel(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): number {
  const { results, ideal } = gainProfile(pairs, ranking);
  let resultsDcg = 0;
  let idealDcg = 0;
  let sum = 0;
  let relRetrieved = 0;
  for (let i = 0; i < Math.max(results.length, ideal.length); i++) {
    const resultsGain = i < results.length ? results[i]! : 0;
    if (resultsGain !== 0) resultsDcg += resultsGain / discount(i);
    if (i < ideal.length) idealDcg += ideal[i]! / discount(i);
    if (resultsGain > 0) {
      sum += resultsDcg / idealDcg;
      relRetrieved++;
    }
  }
  sum += ((ideal.length - relRetrieved) * resultsDcg) / idealDcg;
  return sum > 0 ? sum / ideal.length : 0;
}

/** nDCG averaged at the ranks where the ideal gain changes, and at the end of the run (m_Rndcg.c). */
function rndcg(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): number {
  const { results, ideal } = gainProfile(pairs, ranking);
  if (ranking.relevantCount === 0 || ideal.length === 0) return 0;
  // The ideal gain at rank i+1; past the positive gains it drops to a non-positive value (here 0).
  const idealAt = (i: number) => (i < ideal.length ? ideal[i]! : 0);
  let resultsDcg = 0;
  let idealDcg = 0;
  let sum = 0;
  let changes = 0;
  let previous = ideal[0]!;
  const boundary = (i: number) => {
    if (idealAt(i) !== previous) {
      if (idealDcg > 0) {
        sum += resultsDcg / idealDcg;
        changes++;
      }
      previous = idealAt(i);
    }
  };
  let i = 0;
  for (; i < results.length && i <= ideal.length; i++) {
    boundary(i);
    if (results[i] !== 0) resultsDcg += results[i]! / discount(i);
    if (i < ideal.length) idealDcg += ideal[i]! / discount(i);
  }
  if (i < results.length) {
    for (; i < results.length; i++) if (results[i] !== 0) resultsDcg += results[i]! / discount(i);
    if (idealDcg > 0) {
      sum += resultsDcg / idealDcg;
      changes++;
    }
  } else {
    for (; i <= ideal.length; i++) {
      boundary(i);
      if (i < ideal.length) idealDcg += ideal[i]! / discount(i);
    }
  }
  return changes > 0 ? sum / changes : 0;
}

/** G: cumulative gain with a cost-adjusted discount, normalized by the ideal total gain (m_G.c). */
function cumulativeGainG(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): number {
  const { results, ideal } = gainProfile(pairs, ranking);
  const minCost = 1;
  let resultsG = 0;
  let sumResults = 0;
  let sumCost = 0;
  for (let i = 0; i < results.length; i++) {
    sumResults += results[i]!;
    sumCost += i < ideal.length && ideal[i]! >= minCost ? ideal[i]! : minCost;
    if (results[i] !== 0) resultsG += results[i]! / Math.log2(2 + sumCost - sumResults);
  }
  let sumIdeal = 0;
  for (const gain of ideal) sumIdeal += gain;
  return sumIdeal > 0 ? resultsG / sumIdeal : 0;
}

function rankBiasedPrecision(pairs: readonly MeasureParameterPair[], ranking: JudgedRanking): number {
  let persistence = RBP_DEFAULT_PERSISTENCE;
  for (const pair of pairs) if (pair.name === "p") persistence = pair.value;
  const gains = setupGains(pairs, ranking);
  // Gains are scaled into [0, 1] when any lies outside (m_rbp.c; its min/max start from 0).
  let min = 0;
  let max = 0;
  for (const gain of gains) {
    if (gain.gain < min) min = gain.gain;
    if (gain.gain > max) max = gain.gain;
  }
  if (min < 0 || max > 1) for (const gain of gains) gain.gain = (gain.gain - min) / (max - min);
  let sum = 0;
  let weight = 1;
  const rels = ranking.relevanceByRank;
  for (let i = 0; i < ranking.retrievedCount; i++) {
    const gain = gainOf(rels[i]!, gains);
    if (gain !== 0) sum += gain * weight;
    weight *= persistence;
  }
  return (1 - persistence) * sum;
}

function rankBiasedPrecisionResidual(ranking: JudgedRanking): number {
  const persistence = RBP_DEFAULT_PERSISTENCE;
  let unjudged = 0;
  let sum = 0;
  let weight = 1;
  const rels = ranking.relevanceByRank;
  for (let i = 0; i < ranking.retrievedCount; i++) {
    if (rels[i]! < 0) {
      unjudged++;
      sum += weight;
    }
    weight *= persistence;
  }
  return unjudged > 0 ? weight + (1 - persistence) * sum : 0;
}

/** Interpolated precision at recall levels, and their average (m_iprec_at_recall.c, m_11pt_avg.c). */
function interpolatedPrecisions(levels: readonly number[], ranking: JudgedRanking, threshold: number): number[] {
  const values = new Array<number>(levels.length).fill(0);
  const { retrievedCount, relevantCount, relevantRetrievedCount, relevanceByRank } = ranking;
  if (retrievedCount === 0) return values;
  const cutoffs = levels.map((level) => Math.round(level * relevantCount));
  let current = levels.length - 1;
  while (current >= 0 && cutoffs[current]! > relevantRetrievedCount) current--;
  let interpolated = relevantRetrievedCount / retrievedCount;
  let relSoFar = relevantRetrievedCount;
  for (let i = retrievedCount; i > 0 && relSoFar > 0; i--) {
    const precision = relSoFar / i;
    if (interpolated < precision) interpolated = precision;
    if (relevanceByRank[i - 1]! >= threshold) {
      while (current >= 0 && relSoFar === cutoffs[current]) values[current--] = interpolated;
      relSoFar--;
    }
  }
  while (current >= 0) values[current--] = interpolated;
  return values;
}

/**
 * Computes one measure instance for one query, writing its values at `out[offset ...]`.
 * Geometric-mean measures write log(max(value, MIN_GEO_MEAN)); text measures (relstring) write nothing.
 */
export function computeMeasure(
  instance: MeasureInstance,
  ranking: JudgedRanking,
  context: MeasureContext,
  out: Float64Array,
  offset: number,
): void {
  const threshold = context.relevanceThreshold;
  const rels = ranking.relevanceByRank;
  const retrieved = ranking.retrievedCount;
  const relevant = ranking.relevantCount;
  const relRetrieved = ranking.relevantRetrievedCount;
  const cutoffs = instance.parameters;
  switch (instance.declaration.trecName) {
    case "runid":
    case "num_q":
    case "relstring":
      return;
    case "num_ret":
      out[offset] = retrieved;
      return;
    case "num_rel":
      out[offset] = relevant;
      return;
    case "num_rel_ret":
      out[offset] = relRetrieved;
      return;
    case "map":
    case "gm_map": {
      let relSoFar = 0;
      let sum = 0;
      for (let i = 0; i < retrieved; i++) {
        if (rels[i]! >= threshold) {
          relSoFar++;
          sum += relSoFar / (i + 1);
        }
      }
      const averagePrecision = relevant > 0 ? sum / relevant : 0;
      out[offset] = instance.declaration.trecName === "map" ? averagePrecision : Math.log(Math.max(averagePrecision, MIN_GEO_MEAN));
      return;
    }
    case "Rprec": {
      let relSoFar = 0;
      for (let i = 0; i < relevant && i < retrieved; i++) if (rels[i]! >= threshold) relSoFar++;
      out[offset] = relevant > 0 ? relSoFar / relevant : 0;
      return;
    }
    case "bpref":
    case "gm_bpref": {
      let nonrelevantJudged = 0;
      for (let grade = 0; grade < threshold && grade < ranking.judgedCountByGrade.length; grade++) {
        nonrelevantJudged += ranking.judgedCountByGrade[grade]!;
      }
      let nonrelSoFar = 0;
      let bpref = 0;
      for (let i = 0; i < retrieved; i++) {
        const rel = rels[i]!;
        if (rel === RELEVANCE_NOT_IN_POOL || rel === RELEVANCE_UNJUDGED_IN_POOL) continue;
        if (rel >= 0 && rel < threshold) nonrelSoFar++;
        else if (nonrelSoFar > 0) bpref += 1 - Math.min(nonrelSoFar, relevant) / Math.min(nonrelevantJudged, relevant);
        else bpref += 1;
      }
      if (relevant > 0) bpref /= relevant;
      out[offset] = instance.declaration.trecName === "bpref" ? bpref : Math.log(Math.max(bpref, MIN_GEO_MEAN));
      return;
    }
    case "recip_rank": {
      let value = 0;
      for (let i = 0; i < retrieved; i++) {
        if (rels[i]! >= threshold) {
          value = 1 / (i + 1);
          break;
        }
      }
      out[offset] = value;
      return;
    }
    case "iprec_at_recall": {
      const values = interpolatedPrecisions(cutoffs, ranking, threshold);
      for (let c = 0; c < values.length; c++) out[offset + c] = values[c]!;
      return;
    }
    case "11pt_avg": {
      if (cutoffs.length === 0) throw new Error("measure 11pt_avg needs at least one recall level.");
      const values = interpolatedPrecisions([...cutoffs].sort((a, b) => a - b), ranking, threshold);
      out[offset] = values.reduce((total, value) => total + value, 0) / cutoffs.length;
      return;
    }
    case "P":
    case "recall":
    case "relative_P":
    case "success":
    case "map_cut":
    case "mrr_cut":
    case "unj":
    case "judged": {
      cutoffsMeasure(instance.declaration.trecName, cutoffs, ranking, threshold, out, offset);
      return;
    }
    case "infAP": {
      let nonrelSoFar = 0;
      let relSoFar = 0;
      let unjudgedSoFar = 0;
      let infAp = 0;
      for (let j = 0; j < retrieved; j++) {
        const rel = rels[j]!;
        if (rel === RELEVANCE_NOT_IN_POOL) continue;
        if (rel === RELEVANCE_UNJUDGED_IN_POOL) {
          unjudgedSoFar++;
          continue;
        }
        if (rel >= 0 && rel < threshold) nonrelSoFar++;
        else {
          relSoFar++;
          if (j === 0) infAp += 1;
          else {
            const fj = j;
            infAp +=
              1 / (fj + 1) +
              (fj / (fj + 1)) *
                ((relSoFar - 1 + nonrelSoFar + unjudgedSoFar) / fj) *
                ((relSoFar - 1 + INFAP_EPSILON) / (relSoFar - 1 + nonrelSoFar + 2 * INFAP_EPSILON));
          }
        }
      }
      out[offset] = relevant > 0 ? infAp / relevant : infAp;
      return;
    }
    case "Rprec_mult": {
      for (let c = 0; c < cutoffs.length; c++) {
        const cutoff = Math.trunc(cutoffs[c]! * relevant + 0.9);
        if (cutoff <= 0) out[offset + c] = 0;
        else if (cutoff > retrieved) out[offset + c] = relRetrieved / cutoff;
        else {
          let relSoFar = 0;
          for (let i = 0; i < cutoff; i++) if (rels[i]! >= threshold) relSoFar++;
          out[offset + c] = relSoFar / cutoff;
        }
      }
      return;
    }
    case "utility": {
      if (cutoffs.length !== 4) throw new Error(`measure utility needs 4 coefficients, got ${cutoffs.length}. Example: utility.1,-1,0,0.`);
      out[offset] =
        cutoffs[0]! * relRetrieved +
        cutoffs[1]! * (retrieved - relRetrieved) +
        cutoffs[2]! * (relevant - relRetrieved) +
        cutoffs[3]! * (context.collectionDocCount + relRetrieved - retrieved - relevant);
      return;
    }
    case "binG": {
      let relSoFar = 0;
      let sum = 0;
      for (let i = 0; i < retrieved; i++) {
        if (rels[i]! >= threshold) {
          relSoFar++;
          sum += 1 / Math.log2(3 + i - relSoFar);
        }
      }
      out[offset] = relSoFar > 0 ? sum / relevant : 0;
      return;
    }
    case "G":
      out[offset] = cumulativeGainG(instance.pairs, ranking);
      return;
    case "dcg":
    case "ideal_dcg":
    case "ndcg":
      out[offset] = ndcgFamily(instance.declaration.trecName, instance.pairs, ranking);
      return;
    case "ndcg_rel":
      out[offset] = ndcgRel(instance.pairs, ranking);
      return;
    case "Rndcg":
      out[offset] = rndcg(instance.pairs, ranking);
      return;
    case "ndcg_cut":
      ndcgAtCutoffs(cutoffs, ranking, out, offset);
      return;
    case "set_P":
      out[offset] = retrieved > 0 ? relRetrieved / retrieved : 0;
      return;
    case "set_relative_P": {
      const denominator = Math.min(retrieved, relevant);
      out[offset] = denominator > 0 ? relRetrieved / denominator : 0;
      return;
    }
    case "set_recall":
      out[offset] = relevant > 0 ? relRetrieved / relevant : 0;
      return;
    case "set_map":
      out[offset] = retrieved > 0 && relevant > 0 ? (relRetrieved / retrieved) * (relRetrieved / relevant) : 0;
      return;
    case "set_F": {
      if (retrieved > 0 && relevant > 0 && relRetrieved > 0) {
        const precision = relRetrieved / retrieved;
        const recall = relRetrieved / relevant;
        const beta = cutoffs[0] ?? 1;
        out[offset] = ((beta + 1) * precision * recall) / (beta * precision + recall);
      } else out[offset] = 0;
      return;
    }
    case "num_nonrel_judged_ret": {
      let count = 0;
      for (let i = 0; i < retrieved; i++) if (rels[i]! >= 0 && rels[i]! < threshold) count++;
      out[offset] = count;
      return;
    }
    case "rbp":
      out[offset] = rankBiasedPrecision(instance.pairs, ranking);
      return;
    case "rbp_resid":
      out[offset] = rankBiasedPrecisionResidual(ranking);
      return;
    default:
      throw new Error(`computeMeasure: no computation for measure ${instance.declaration.trecName} (a bug: declared but not implemented).`);
  }
}

function cutoffsMeasure(
  name: string,
  cutoffs: readonly number[],
  ranking: JudgedRanking,
  threshold: number,
  out: Float64Array,
  offset: number,
): void {
  const rels = ranking.relevanceByRank;
  const retrieved = ranking.retrievedCount;
  const relevant = ranking.relevantCount;
  let relSoFar = 0;
  let unjudgedSoFar = 0;
  let precisionSum = 0;
  let firstRelevantRank = 0;
  let c = 0;
  const valueAt = (cutoff: number): number => {
    switch (name) {
      case "P":
        return relSoFar / cutoff;
      case "recall":
        return relevant > 0 ? relSoFar / relevant : 0;
      case "relative_P": {
        const denominator = Math.min(cutoff, relevant);
        return denominator > 0 ? relSoFar / denominator : 0;
      }
      case "success":
        return relSoFar > 0 ? 1 : 0;
      case "map_cut":
        return relevant > 0 ? precisionSum / relevant : 0;
      case "mrr_cut":
        return firstRelevantRank > 0 ? 1 / firstRelevantRank : 0;
      case "unj":
        return unjudgedSoFar / cutoff;
      default: // judged
        return (Math.min(cutoff, retrieved) - unjudgedSoFar) / cutoff;
    }
  };
  for (let i = 0; i < retrieved; i++) {
    while (c < cutoffs.length && i === cutoffs[c]) out[offset + c] = valueAt(cutoffs[c++]!);
    if (c >= cutoffs.length) return;
    const rel = rels[i]!;
    if (rel >= threshold) {
      relSoFar++;
      precisionSum += relSoFar / (i + 1);
      if (firstRelevantRank === 0) firstRelevantRank = i + 1;
    } else if (rel < 0) unjudgedSoFar++;
  }
  while (c < cutoffs.length) out[offset + c] = valueAt(cutoffs[c++]!);
}

/** relstring: grades of the top N documents, one character each (m_relstring.c). */
export function relevanceString(length: number, ranking: JudgedRanking): string {
  const count = Math.max(0, Math.min(Math.trunc(length), ranking.retrievedCount));
  let text = "";
  for (let i = 0; i < count; i++) {
    const rel = ranking.relevanceByRank[i]!;
    text +=
      rel > 9 ? ">" : rel >= 0 ? String(rel) : rel === RELEVANCE_NOT_IN_POOL ? "-" : rel === RELEVANCE_UNJUDGED_IN_POOL ? "." : "<";
  }
  return text;
}
