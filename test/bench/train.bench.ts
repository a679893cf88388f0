/**
 * Training-step throughput of the cross-encoder, the same step as ../shared/bench/torch_cross_encoder_step.py:
 * random token ids (vocab 8192), no padding, binary cross-entropy on logits, AdamW (src/train/adamw.ts).
 * Prints one JSON line: examples/s on the chosen backend, model GFLOP/s (6·N·tokens/s, the PyTorch script's
 * definition), and the peak RSS.
 *
 *   npm run bench:train -- --hidden 128 --layers 2 --seq 128 --batch 16
 *   npm run bench:train -- --hidden 128 --layers 2 --torch          # also runs the PyTorch reference, same shape
 *   npm run bench:train -- --hidden 128 --layers 2 --processes 2 --torch   # one process per core vs torch 2 threads
 *
 * Options: --hidden --layers --heads (default 4, as the PyTorch script) --ffn (4·hidden) --vocab (8192) --seq (128) --batch (16)
 * --steps (10, after 2 warm-up steps) --backend (see selectBackend) --activation (gelu|gelu_tanh)
 * --processes N (N copies in parallel; reports their summed throughput) --torch (run the reference too:
 * /usr/bin/python3 with --threads = processes) --ablation (also time the other op arrangements — tfjs's own
 * dense gradients, batched attention — interleaved step by step with the default one, so load hits all alike).
 * Timings on a shared machine are noisy: compare runs made together.
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { selectBackend, type BackendName } from "../../src/model/backend";
import { crossEncoder } from "../../src/model/cross-encoder";
import { useFusedWebGPUKernels } from "../../src/model/ops/webgpu-program";
import { arrangementFor, type OpsArrangement } from "../../src/model/ops/arrangement";
import { countParameters } from "../../src/model/count-parameters";
import { AdamW } from "../../src/train/adamw";
import { Random } from "../../src/random";

const TORCH_SCRIPT = path.join(__dirname, "../../../shared/bench/torch_cross_encoder_step.py");
/** The PyTorch script's --heads default, so both engines time the same shape unless told otherwise. */
const TORCH_SCRIPT_DEFAULT_HEADS = 4;

interface Options {
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocab: number;
  seq: number;
  batch: number;
  steps: number;
  backend?: BackendName;
  activation: "gelu" | "gelu_tanh";
  processes: number;
  torch: boolean;
  ablation: boolean;
}

function parseOptions(argv: string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`bench:train: unexpected argument "${arg}"; options look like --hidden 128.`);
    const key = arg.slice(2);
    if (key === "torch" || key === "ablation") flags.add(key);
    else values.set(key, argv[++i] ?? "");
  }
  const known = ["hidden", "layers", "heads", "ffn", "vocab", "seq", "batch", "steps", "backend", "activation", "processes"];
  for (const key of values.keys()) {
    if (!known.includes(key)) throw new Error(`bench:train: unknown option --${key}; known: ${known.map((k) => `--${k}`).join(" ")} --torch --ablation.`);
  }
  const integer = (key: string, fallback: number) => {
    const value = values.has(key) ? Number(values.get(key)) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`bench:train: --${key} must be a positive integer, got ${values.get(key)}.`);
    return value;
  };
  const hidden = integer("hidden", 128);
  const activation = (values.get("activation") ?? "gelu") as Options["activation"];
  return {
    hidden,
    layers: integer("layers", 2),
    heads: integer("heads", TORCH_SCRIPT_DEFAULT_HEADS),
    ffn: integer("ffn", 4 * hidden),
    vocab: integer("vocab", 8192),
    seq: integer("seq", 128),
    batch: integer("batch", 16),
    steps: integer("steps", 10),
    backend: values.get("backend") as BackendName | undefined,
    activation,
    processes: integer("processes", 1),
    torch: flags.has("torch"),
    ablation: flags.has("ablation"),
  };
}

/** One process: build, warm up, time `steps` training steps. */
async function measure(options: Options): Promise<Record<string, unknown>> {
  const choice = await selectBackend(options.backend ? { prefer: options.backend } : {});
  const { hidden, layers, heads, ffn, vocab, seq, batch } = options;
  const model = crossEncoder.create({ layers, hidden, heads, ffn, vocabSize: vocab, maxLen: seq, activation: options.activation });
  const random = new Random(0);
  const encoded = {
    batchSize: batch,
    seqLen: seq,
    inputIds: Int32Array.from({ length: batch * seq }, () => random.int(vocab)),
    segmentIds: new Int32Array(batch * seq),
    lengths: new Int32Array(batch).fill(seq),
  };
  const labels = tf.tensor1d(Array.from({ length: batch }, () => random.int(2)));
  const variables = model.variables();
  const optimizer = new AdamW(variables, { weightDecay: 0.01 });
  // Each step ends by reading the loss back, asynchronously (as the trainer does; WebGPU has no synchronous read),
  // so the time includes the device's work.
  const step = async (arrangement?: OpsArrangement) => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.losses.sigmoidCrossEntropy(labels, model.score(encoded, { training: true, arrangement })) as tf.Scalar,
        variables,
      );
      optimizer.step(variables.map((variable) => grads[variable.name]!), 1e-4);
      return value;
    });
    const value = (await loss.data())[0]!;
    loss.dispose();
    return value;
  };
  const timed = async (arrangement?: OpsArrangement) => {
    const start = process.hrtime.bigint();
    await step(arrangement);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  await step();
  await step();
  const alternatives = options.ablation ? ABLATIONS : [];
  const stepSeconds: number[] = [];
  const alternativeSeconds = alternatives.map(() => [] as number[]);
  let cpuSeconds = 0;
  for (let i = 0; i < options.steps; i++) {
    const cpuBefore = process.cpuUsage();
    stepSeconds.push(await timed());
    const cpu = process.cpuUsage(cpuBefore);
    cpuSeconds += (cpu.user + cpu.system) / 1e6;
    for (const [j, alternative] of alternatives.entries()) alternativeSeconds[j]!.push(await timed(alternative.arrangement));
  }
  const mean = (values: number[]) => values.reduce((sum, seconds) => sum + seconds, 0) / values.length;
  const meanSeconds = mean(stepSeconds);
  // Scoring (inference) throughput: forward passes only, as in reranking.
  const scoringStart = process.hrtime.bigint();
  for (let i = 0; i < options.steps; i++) {
    const scores = model.score(encoded, { training: false });
    await scores.data();
    scores.dispose();
  }
  const scoringSeconds = Number(process.hrtime.bigint() - scoringStart) / 1e9 / options.steps;
  const weights = layers * (4 * hidden * hidden + 2 * hidden * ffn); // the PyTorch script's non_embedding_params
  const described = model.describe(seq);
  return {
    engine: `tfjs ${tf.version_core}`,
    backend: choice.name,
    backend_reason: choice.reason,
    ...(choice.name === "webgpu" ? { fused_webgpu_kernels: useFusedWebGPUKernels() } : {}),
    hidden, layers, heads, ffn, vocab, seq, batch,
    activation: options.activation,
    non_embedding_params: countParameters(model.config).nonEmbeddingParams,
    training_flops_per_example: described.trainingFlopsPerExample,
    step_seconds: round(meanSeconds, 4),
    best_step_seconds: round(Math.min(...stepSeconds), 4),
    examples_per_second: round(batch / meanSeconds, 2),
    cpu_seconds_per_step: round(cpuSeconds / options.steps, 4),
    examples_per_cpu_second: round((batch * options.steps) / cpuSeconds, 2),
    model_gflops_per_second: round((6 * weights * batch * seq) / meanSeconds / 1e9, 2),
    scoring_examples_per_second: round(batch / scoringSeconds, 2),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    ...(options.ablation
      ? {
          ablation: Object.fromEntries([
            [`default (${JSON.stringify(arrangementFor(tf.getBackend()))})`, round(batch / meanSeconds, 2)],
            ...alternatives.map((alternative, j) => [alternative.name, round(batch / mean(alternativeSeconds[j]!), 2)]),
          ]),
        }
      : {}),
  };
}

/** Op arrangements timed against the backend's default by --ablation (examples/s of each). */
const ABLATIONS: { name: string; arrangement: OpsArrangement }[] = [
  { name: "tfjs dense gradients, per-slice attention", arrangement: { dense: "tfjs", attention: "per-slice" } },
  { name: "explicit-transpose dense, batched attention", arrangement: { dense: "explicit-transpose", attention: "batched" } },
  { name: "tfjs dense gradients, batched attention (plain tfjs)", arrangement: { dense: "tfjs", attention: "batched" } },
];

/**
 * Runs the PyTorch reference (its own wall-clock figures) and also its CPU seconds per step: the script is run
 * twice, with --steps 1 and --steps 1 + TORCH_CPU_STEPS, under a wrapper that prints the process's CPU time; the
 * difference divided by TORCH_CPU_STEPS excludes start-up. CPU time is the fair comparison on a loaded machine.
 */
function runTorch(options: Options, threads: number): Record<string, unknown> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  // torch.set_num_threads does not reach OpenBLAS's own pthreads (Debian's libopenblas0-pthread): without this a
  // "1-thread" reference measured here used about 1.9 CPU seconds per wall second.
  env.OPENBLAS_NUM_THREADS = `${threads}`;
  env.OMP_NUM_THREADS = `${threads}`;
  const args = ["--hidden", `${options.hidden}`, "--layers", `${options.layers}`, "--heads", `${options.heads}`,
    "--ffn", `${options.ffn}`, "--vocab", `${options.vocab}`, "--seq", `${options.seq}`, "--batch", `${options.batch}`,
    "--threads", `${threads}`];
  const wrapper = "import resource, runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__'); " +
    "usage = resource.getrusage(resource.RUSAGE_SELF); print('CPU', usage.ru_utime + usage.ru_stime)";
  const run = (steps: number) => {
    const output = execFileSync("/usr/bin/python3", ["-c", wrapper, TORCH_SCRIPT, ...args, "--steps", `${steps}`], { env, encoding: "utf8" });
    const lines = output.trim().split("\n");
    const cpu = Number(lines.pop()!.replace("CPU ", ""));
    return { result: JSON.parse(lines.pop()!) as Record<string, unknown>, cpu };
  };
  const short = run(1);
  const long = run(1 + TORCH_CPU_STEPS);
  const cpuPerStep = (long.cpu - short.cpu) / TORCH_CPU_STEPS;
  return {
    ...long.result,
    cpu_seconds_per_step: round(cpuPerStep, 4),
    examples_per_cpu_second: round(options.batch / cpuPerStep, 2),
  };
}

/** Timed PyTorch steps for the CPU-time figure. */
const TORCH_CPU_STEPS = 20;

function runChild(argv: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...argv], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`bench:train: a worker process exited with ${code}.`));
      else resolve(JSON.parse(output.trim().split("\n").pop()!) as Record<string, unknown>);
    });
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  let result: Record<string, unknown>;
  if (options.processes > 1) {
    const childArgv = argv.filter((arg, i) => arg !== "--torch" && arg !== "--ablation" && arg !== "--processes" && argv[i - 1] !== "--processes");
    const workers = await Promise.all(Array.from({ length: options.processes }, () => runChild(childArgv)));
    result = {
      ...workers[0],
      processes: options.processes,
      examples_per_second: round(workers.reduce((sum, w) => sum + (w.examples_per_second as number), 0), 2),
      per_process_examples_per_second: workers.map((w) => w.examples_per_second),
      model_gflops_per_second: round(workers.reduce((sum, w) => sum + (w.model_gflops_per_second as number), 0), 2),
      peak_rss_mb: workers.map((w) => w.peak_rss_mb),
    };
  } else {
    result = await measure(options);
  }
  if (options.torch) {
    const torch = runTorch(options, options.processes);
    result.torch = torch;
    result.ratio_to_torch = round((result.examples_per_second as number) / (torch.examples_per_second as number), 3);
    if (options.processes === 1) {
      result.cpu_ratio_to_torch = round((result.examples_per_cpu_second as number) / (torch.examples_per_cpu_second as number), 3);
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
