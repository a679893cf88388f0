import { evaluateTrecFiles, type TrecFileEvaluation } from "../metrics/evaluate-files";
import { formatAllLines, formatQueryLines } from "../metrics/trec-eval-format";
import { MEASURES } from "../metrics/measures";

const USAGE = `usage: rerank-scaling eval [-q] [-c] [-l LEVEL] [-M N] [-N N] [-m MEASURE]... [--json] QRELS RUN

A drop-in for trec_eval 9.0.8+: same semantics, measure names and text output (measure<TAB>qid|all<TAB>value).
  -q          print per-query values as well as "all"
  -c          average over every query in the qrels (queries missing from the run score 0)
  -l LEVEL    relevance threshold for binary measures (default 1)
  -M N        evaluate only the top N documents of each query
  -N N        number of documents in the collection (utility only)
  -m MEASURE  trec_eval measure, group or parameters: ndcg_cut.10, P.5,10, ndcg.1=3,2=9, all_trec, official
              (default: official); canonical names such as ndcg@10 and mrr@10 work too
  --json      print {"measures": [...], "perQuery": {...}, "all": {...}} instead of text
measures: ${MEASURES.map((measure) => measure.trecName).join(" ")}`;

interface EvalArguments {
  perQuery: boolean;
  averageOverQrels: boolean;
  relevanceThreshold?: number;
  maxDocsPerQuery?: number;
  collectionDocCount?: number;
  measures: string[];
  json: boolean;
  files: string[];
}

function integerOption(flag: string, text: string | undefined): number {
  const value = text === undefined ? Number.NaN : Number(text);
  if (!Number.isInteger(value)) throw new Error(`rerank-scaling eval: ${flag} needs an integer, got ${JSON.stringify(text)}.\n${USAGE}`);
  return value;
}

/** Parses trec_eval-style arguments: flags may carry their value (`-l2`, `-M100`, `-mP.5`) or take the next one. */
export function parseEvalArguments(args: readonly string[]): EvalArguments {
  const parsed: EvalArguments = { perQuery: false, averageOverQrels: false, measures: [], json: false, files: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const valued = (flag: string): string | undefined => (arg.length > flag.length ? arg.slice(flag.length) : args[++i]);
    if (arg === "--json") parsed.json = true;
    else if (arg === "-q") parsed.perQuery = true;
    else if (arg === "-c") parsed.averageOverQrels = true;
    else if (arg === "-qc" || arg === "-cq") {
      parsed.perQuery = true;
      parsed.averageOverQrels = true;
    } else if (arg.startsWith("-l")) parsed.relevanceThreshold = integerOption("-l", valued("-l"));
    else if (arg.startsWith("-M")) parsed.maxDocsPerQuery = integerOption("-M", valued("-M"));
    else if (arg.startsWith("-N")) parsed.collectionDocCount = integerOption("-N", valued("-N"));
    else if (arg.startsWith("-m")) {
      const measure = valued("-m");
      if (!measure) throw new Error(`rerank-scaling eval: -m needs a measure name.\n${USAGE}`);
      parsed.measures.push(measure);
    } else if (arg.startsWith("-") && arg.length > 1) {
      throw new Error(`rerank-scaling eval: unknown option ${arg}.\n${USAGE}`);
    } else parsed.files.push(arg);
  }
  if (parsed.files.length !== 2) throw new Error(`rerank-scaling eval: expected QRELS and RUN files, got ${parsed.files.length} file arguments.\n${USAGE}`);
  return parsed;
}

/** The evaluation as trec_eval's text output. */
export function formatTrecEvalText(evaluation: TrecFileEvaluation, perQuery: boolean): string {
  const parts: string[] = [];
  if (perQuery) {
    evaluation.queryIds.forEach((queryId, q) => {
      parts.push(formatQueryLines(evaluation.plan, queryId, evaluation.perQuery[q]!, evaluation.relevanceTexts[q]));
    });
  }
  parts.push(formatAllLines(evaluation.plan, evaluation.all, evaluation.runTag));
  return parts.join("");
}

function formatJson(evaluation: TrecFileEvaluation, perQuery: boolean): string {
  const { plan } = evaluation;
  const names: Array<{ trec: string; canonical: string; index: number; aggregation: string }> = [];
  plan.instances.forEach((instance, k) =>
    instance.trecNames.forEach((trec, v) =>
      names.push({ trec, canonical: instance.canonicalNames[v]!, index: plan.offsets[k]! + v, aggregation: instance.declaration.aggregation }),
    ),
  );
  const numeric = names.filter((name) => name.aggregation !== "perQueryText" && name.aggregation !== "runTag");
  const all: Record<string, number> = {};
  for (const name of numeric) all[name.canonical] = evaluation.all[name.index]!;
  const output: Record<string, unknown> = {
    measures: numeric.map((name) => ({ name: name.canonical, trecName: name.trec })),
    runTag: evaluation.runTag,
    options: { ...evaluation.options, maxDocsPerQuery: Number.isFinite(evaluation.options.maxDocsPerQuery) ? evaluation.options.maxDocsPerQuery : null },
    all,
  };
  if (perQuery) {
    const perQueryNames = numeric.filter((name) => name.aggregation === "mean" || name.aggregation === "sum");
    const byQuery: Record<string, Record<string, number>> = {};
    evaluation.queryIds.forEach((queryId, q) => {
      const record: Record<string, number> = {};
      for (const name of perQueryNames) record[name.canonical] = evaluation.perQuery[q]![name.index]!;
      byQuery[queryId] = record;
    });
    output.perQuery = byQuery;
  }
  return JSON.stringify(output, null, 2) + "\n";
}

/** `rerank-scaling eval`: trec_eval-compatible evaluation of a run file against a qrels file. */
export async function run(args: string[]): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseEvalArguments(args);
  const evaluation = evaluateTrecFiles(parsed.files[0]!, parsed.files[1]!, parsed.measures.length > 0 ? parsed.measures : ["official"], {
    relevanceThreshold: parsed.relevanceThreshold,
    averageOverQrels: parsed.averageOverQrels,
    maxDocsPerQuery: parsed.maxDocsPerQuery,
    collectionDocCount: parsed.collectionDocCount,
  });
  if (evaluation.queryIds.length === 0) {
    console.error("rerank-scaling eval: no query has both results and relevance judgments (trec_eval would stop here too). Check that the query ids match.");
    return 1;
  }
  const text = parsed.json ? formatJson(evaluation, parsed.perQuery) : formatTrecEvalText(evaluation, parsed.perQuery);
  await new Promise<void>((resolve, reject) => process.stdout.write(Buffer.from(text, "latin1"), (error) => (error ? reject(error) : resolve())));
  return 0;
}
