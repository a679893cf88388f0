/**
 * Benchmark of `rerank-scaling eval` end to end, as a process (tsx start-up and file reading included):
 * 10,000 queries × 1,000 documents with 20 graded judgments per query, measures
 * `-m ndcg_cut.10 -m map -m recip_rank -m P.10 -m recall.100`.
 * Reference point (issue 3): trec_eval 9.0.8 takes about 11.5 s on this 2-core machine for this input; the goal is
 * at least twice as fast with well under 2 GiB of memory. Run with `npm run bench:eval`; the input is generated
 * once into build/bench-eval/ (about 364 MiB) and reused. If a `trec_eval` binary is on PATH it is timed too.
 * Timings are noisy when other work shares the machine: the CPU time (user + sys) is printed beside the wall time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../src/paths";
import { Random } from "../../src/random";

const QUERY_COUNT = 10_000;
const DOCS_PER_QUERY = 1_000;
const JUDGMENTS_PER_QUERY = 20;
const MEASURE_ARGS = ["-m", "ndcg_cut.10", "-m", "map", "-m", "recip_rank", "-m", "P.10", "-m", "recall.100"];
const TREC_EVAL_9_0_8_SECONDS = 11.5;

function generate(folder: string): { qrels: string; run: string } {
  const qrels = path.join(folder, "qrels.txt");
  const run = path.join(folder, "run.txt");
  if (fs.existsSync(qrels) && fs.existsSync(run)) return { qrels, run };
  fs.mkdirSync(folder, { recursive: true });
  const random = new Random(20260101);
  const qrelsLines: string[] = [];
  const runStream = fs.openSync(`${run}.tmp`, "w");
  for (let q = 0; q < QUERY_COUNT; q++) {
    const queryId = String(100000 + q);
    const lines: string[] = [];
    let score = 30;
    for (let rank = 1; rank <= DOCS_PER_QUERY; rank++) {
      score -= random.next() * 0.03;
      // Some exact ties, as real runs have (rounded scores).
      lines.push(`${queryId} Q0 D${(q * 7919 + rank * 104729) % 9000000} ${rank} ${score.toFixed(rank % 7 === 0 ? 2 : 6)} bench`);
    }
    // Judgments: mostly documents of the run (about half within the top 100), some never retrieved.
    for (let j = 0; j < JUDGMENTS_PER_QUERY; j++) {
      const docId = j < 15 ? `D${(q * 7919 + (1 + random.int(j < 8 ? 100 : DOCS_PER_QUERY)) * 104729) % 9000000}` : `X${q}-${j}`;
      qrelsLines.push(`${queryId} 0 ${docId} ${random.int(4)}`);
    }
    fs.writeSync(runStream, lines.join("\n") + "\n");
  }
  fs.closeSync(runStream);
  // Duplicate judgments of one document are an error in trec_eval: keep the first.
  const seen = new Set<string>();
  const unique = qrelsLines.filter((line) => {
    const key = line.split(" ").filter((_, i) => i === 0 || i === 2).join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  fs.writeFileSync(qrels, unique.join("\n") + "\n");
  fs.renameSync(`${run}.tmp`, run);
  return { qrels, run };
}

function timed(label: string, command: string, args: string[]): void {
  const result = spawnSync("/usr/bin/time", ["-v", command, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(result.stderr)?.[1] ?? "?";
  const rssKilobytes = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? Number.NaN);
  const userSeconds = Number(/User time \(seconds\): (\S+)/.exec(result.stderr)?.[1] ?? Number.NaN);
  const systemSeconds = Number(/System time \(seconds\): (\S+)/.exec(result.stderr)?.[1] ?? Number.NaN);
  console.log(
    `${label}: wall ${wall}, CPU ${(userSeconds + systemSeconds).toFixed(2)} s (user ${userSeconds} + sys ${systemSeconds}), ` +
      `peak RSS ${(rssKilobytes / 1024).toFixed(0)} MiB, exit ${result.status}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(result.stdout.trim().split("\n").map((line) => `    ${line}`).join("\n"));
  if (result.status !== 0) console.log(result.stderr.split("\n").slice(0, 5).join("\n"));
}

function main(): void {
  const folder = path.join(PROJECT_ROOT, "build", "bench-eval");
  const started = Date.now();
  const { qrels, run } = generate(folder);
  console.log(`input: ${run} (${(fs.statSync(run).size / 2 ** 20).toFixed(0)} MiB), generated/reused in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`reference: trec_eval 9.0.8 ≈ ${TREC_EVAL_9_0_8_SECONDS} s on this machine (issue 3); goal ≤ ${TREC_EVAL_9_0_8_SECONDS / 2} s`);
  timed("rerank-scaling eval", process.execPath, [path.join(PROJECT_ROOT, "bin", "rerank-scaling.js"), "eval", ...MEASURE_ARGS, qrels, run]);
  let trecEval: string | undefined;
  try {
    trecEval = execFileSync("sh", ["-c", "command -v trec_eval"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    trecEval = undefined;
  }
  if (trecEval) timed("trec_eval", trecEval, [...MEASURE_ARGS, qrels, run]);
  else console.log("trec_eval: not on PATH (no Debian package; not built here), not timed.");
}

main();
