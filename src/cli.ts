/**
 * `rerank-scaling` command line: one sub-command per module in src/cli/, loaded on demand so that
 * `eval` does not pay for loading tfjs.
 */
import { exitWhenIdle } from "./exit-when-idle";

const COMMANDS: Record<string, { module: string; summary: string }> = {
  eval: { module: "./cli/eval", summary: "trec_eval-compatible evaluation of a TREC run against qrels" },
  datasets: { module: "./cli/datasets", summary: "list, inspect and fetch registered datasets" },
  bm25: { module: "./cli/bm25", summary: "BM25 first-stage retrieval into a TREC run" },
  fit: { module: "./cli/fit", summary: "fit a scaling law to a CSV table of points" },
  train: { module: "./cli/train", summary: "train a cross-encoder reranker" },
  study: { module: "./cli/study", summary: "run a scaling study (grid of sizes x objectives x budgets)" },
  report: { module: "./cli/report", summary: "execute notebooks with the project kernel and publish HTML reports" },
};

export interface CliCommand {
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return ["usage: rerank-scaling <command> [options]", "", "commands:", ...lines].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`rerank-scaling: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}.`);
    return 2;
  }
  let command: CliCommand;
  try {
    command = require(entry.module) as CliCommand;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String(error).includes(entry.module.slice(2))) {
      console.error(`rerank-scaling ${name}: not available in this version.`);
      return 2;
    }
    throw error;
  }
  return command.run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => exitWhenIdle(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      if (process.env.RERANK_DEBUG && error instanceof Error) console.error(error.stack);
      exitWhenIdle(1);
    },
  );
}
