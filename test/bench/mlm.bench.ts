/**
 * MLM pretraining throughput per size preset: tokens per second of `pretrainMlm` (forward, backward, AdamW) at
 * sequence length 128, batch 16, vocabulary 8192, on the backend tfjs picks here (wasm). Prints one JSON line
 * per preset. Run: `npm run bench:mlm [-- 0.1M 0.4M]` (env BENCH_MLM_STEPS, BENCH_MLM_BATCH, BENCH_MLM_VOCAB).
 * Run large presets in their own process; 25M at batch 16 ran out of wasm heap here (XNNPACK status 6, abort).
 * Shared 2-core machine: timings are noisy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { SIZE_PRESET_NAMES, type SizePresetName } from "../../src/model/size-presets";
import { Random } from "../../src/random";
import { pretrainMlm } from "../../src/train/mlm";

const VOCAB_SIZE = Number(process.env.BENCH_MLM_VOCAB ?? 8192);
const SEQ_LEN = 128;
const BATCH = Number(process.env.BENCH_MLM_BATCH ?? 16);

async function main(): Promise<void> {
  await tf.setBackend("wasm");
  await tf.ready();
  const presets = (process.argv.slice(2).length ? process.argv.slice(2) : SIZE_PRESET_NAMES) as SizePresetName[];
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...Array.from({ length: VOCAB_SIZE - 5 }, (_, i) => `w${i}`)];
  const random = new Random(1);
  const texts = Array.from({ length: 200 }, () => Array.from({ length: 200 }, () => `w${random.int(VOCAB_SIZE - 5)}`).join(" "));
  const ids = new Map(vocab.map((token, id) => [token, id]));
  const tokenizer = { vocab, tokenIds: (text: string) => text.split(" ").map((word) => ids.get(word)!) };
  for (const preset of presets) {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-mlm-"));
    // One warm-up step (kernel compilation, allocations), then timed steps.
    await pretrainMlm({ outDir: path.join(outDir, "warm"), texts, tokenizer, size: preset, steps: 1, seqLen: SEQ_LEN, batchSize: BATCH, progress: false });
    const steps = Number(process.env.BENCH_MLM_STEPS ?? 3);
    const result = await pretrainMlm({ outDir: path.join(outDir, "timed"), texts, tokenizer, size: preset, steps, seqLen: SEQ_LEN, batchSize: BATCH, progress: false, checkpointEvery: 1_000_000 });
    console.log(JSON.stringify({
      bench: "mlm", preset, backend: tf.getBackend(), nonEmbeddingParams: result.nonEmbeddingParams, seqLen: SEQ_LEN, batch: BATCH, steps,
      tokensPerSecond: Math.round(result.tokensPerSecond), secondsPerStep: Number((result.wallSeconds / steps).toFixed(2)),
      gigaflopsPerSecond: Number((result.pretrainingFlops / result.wallSeconds / 1e9).toFixed(2)),
    }));
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
